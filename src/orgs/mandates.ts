/**
 * The engagement's 授权委托书 (mandate): the signed PDF or a photo/scan of it, kept so that the
 * reviewing lawyer can see it and a court gets it with the letter's evidence. It names the
 * client and the firm and often people: personal data, so it is stored encrypted with the data key
 * (shared/vault.ts), as base64 inside the ciphertext, under its plaintext sha256 — the sha256
 * the engagement records. Its type is recognised by its first bytes, never by a name.
 */
import { createHash } from 'node:crypto';
import { attachablePages } from '../pipeline/index.js';
import type { BlobStore } from '../shared/blobs.js';
import { HanjianError } from '../shared/errors.js';
import type { Vault } from '../shared/vault.js';
import type { Engagement } from './model.js';
import type { Orgs } from './orgs.js';

/** What a mandate may be, recognised by its first bytes. */
export const MANDATE_TYPES: Record<string, { ext: string; magic: number[] }> = {
  'application/pdf': { ext: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  'image/png': { ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  'image/jpeg': { ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
};
/** A scan of a few pages fits; a camera's raw photo series does not. */
export const MANDATE_MAX_BYTES = 10 * 1024 * 1024;

export interface Mandate {
  bytes: Buffer;
  type: string;
  sha256: string;
}

/** The mandate's type from its content, or a 4xx naming the field. */
export function mandateType(bytes: Buffer, path = 'mandate'): string {
  if (bytes.length > MANDATE_MAX_BYTES)
    throw new HanjianError({
      code: 'MANDATE_TOO_LARGE',
      category: 'invalid_input',
      path,
      zh: `授权委托书文件超过 ${MANDATE_MAX_BYTES / 1024 / 1024} MB`,
      en: `the mandate file exceeds ${MANDATE_MAX_BYTES / 1024 / 1024} MB`,
    });
  const type = Object.entries(MANDATE_TYPES).find(([, t]) => t.magic.every((b, i) => bytes[i] === b))?.[0];
  if (!type)
    throw new HanjianError({
      code: 'MANDATE_TYPE',
      category: 'invalid_input',
      path,
      zh: '授权委托书须为 PDF、PNG 或 JPEG 文件（按文件内容识别）',
      en: 'the mandate must be a PDF, PNG or JPEG file (recognised by its content)',
    });
  return type;
}

/**
 * Which letter's mandate: the firm (`orgId`) and its client; then the mandate the letter records
 * (`sha256`), else the engagement it was requested under, else the engagement in force on the
 * issue date (the latest signed, if several).
 */
export interface MandateQuery {
  orgId: string;
  clientOrgId: string;
  issueDate: string;
  engagementId?: string | null;
  sha256?: string | null;
}

export class Mandates {
  constructor(
    private orgs: Orgs,
    private blobs: BlobStore,
    private vault: Vault,
  ) {}

  /**
   * Checks a mandate and stores it encrypted: its sha256 (what the engagement records as its
   * evidence) and the file to record with the engagement (the encrypted blob's name and the type).
   */
  async store(bytes: Buffer, path = 'mandate'): Promise<{ sha256: string; file: { blob: string; type: string } }> {
    const type = mandateType(bytes, path);
    // It is appended to the lawyer's letters issued under the engagement: a PDF that cannot be (encrypted, broken) is refused now.
    try {
      await attachablePages({ bytes, type });
    } catch (e) {
      if (e instanceof HanjianError)
        throw new HanjianError({ code: e.code, category: e.category, zh: e.zh, en: e.en, path });
      throw e;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // Encrypted with a fresh IV each time: the blob is named by the encrypted bytes (the store checks every read against the name).
    const encrypted = Buffer.from(this.vault.encrypt(bytes.toString('base64')));
    const blob = createHash('sha256').update(encrypted).digest('hex');
    await this.blobs.writeBlob('mandates', blob, encrypted, MANDATE_TYPES[type]!.ext);
    return { sha256, file: { blob, type } };
  }

  /** The engagement's stored mandate, or null (an engagement recorded by its sha256 only). */
  async of(e: Pick<Engagement, 'mandateSha256' | 'mandateFile'>): Promise<Mandate | null> {
    if (!e.mandateFile) return null;
    const { blob, type } = e.mandateFile;
    const encrypted = await this.blobs.readBlob('mandates', blob, MANDATE_TYPES[type]?.ext ?? 'bin');
    const bytes = encrypted ? Buffer.from(this.vault.decrypt(encrypted.toString()), 'base64') : null;
    // The blob store checks the encrypted bytes; the mandate itself is checked against the engagement's record.
    if (!bytes || createHash('sha256').update(bytes).digest('hex') !== e.mandateSha256)
      throw new HanjianError({
        code: 'STORED_FILE_CORRUPT',
        category: 'internal',
        zh: '存储的授权委托书缺失或与委托记录不符',
        en: "the stored mandate is missing or does not match the engagement's record",
      });
    return { bytes, type, sha256: e.mandateSha256 };
  }

  /**
   * The mandate under which a firm's letter for a client was issued: the firm's engagement for
   * that client in force on the issue date (the latest signed, if several).
   */
  async forLetter(letter: MandateQuery): Promise<Mandate | null> {
    if (letter.orgId === letter.clientOrgId) return null;
    const between = (await this.orgs.engagementsOf(letter.orgId)).filter(
      (x) => x.firmOrgId === letter.orgId && x.creditorOrgId === letter.clientOrgId,
    );
    // The letter records the mandate it was issued with (engagement.mandateSha256): that one, whatever engagement holds it.
    const e = letter.sha256
      ? between.find((x) => x.mandateSha256 === letter.sha256 && x.mandateFile)
      : letter.engagementId
        ? between.find((x) => x.id === letter.engagementId)
        : between
            .filter((x) => x.startsOn <= letter.issueDate && (!x.endsOn || x.endsOn >= letter.issueDate))
            .sort((a, b) => b.signedOn.localeCompare(a.signedOn))[0];
    return e ? this.of(e) : null;
  }
}
