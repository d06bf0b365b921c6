import type { LetterRecord } from './letter-store.js';

/**
 * A re-render is compared with what was issued. A signed letter was signed as an incremental
 * update, so the unsigned render is a byte prefix of the stored file: the re-render must match
 * the recorded unsigned hash and be that prefix (re-signing would need the key, which a check
 * must not depend on, and the signer's certificate may have been replaced since).
 */
export function compareRerender(
  pdf: Buffer,
  sha256: string,
  rec: LetterRecord,
  stored: () => Buffer,
): string | undefined {
  if (!rec.signature)
    return sha256 === rec.pdfSha256
      ? undefined
      : `re-rendered sha256 ${sha256} differs from the issued ${rec.pdfSha256}`;
  if (sha256 !== rec.signature.unsignedSha256)
    return `re-rendered sha256 ${sha256} differs from the issued unsigned render ${rec.signature.unsignedSha256}`;
  return stored().subarray(0, pdf.length).equals(pdf)
    ? undefined
    : 'the stored signed file does not begin with the re-rendered letter';
}
