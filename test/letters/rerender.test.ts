import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LetterRecord } from '../../src/letters/letter-store.js';
import { compareRerender } from '../../src/letters/rerender.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const render = Buffer.from('%PDF-1.7 the letter');
const signed = Buffer.concat([render, Buffer.from(' incremental update with the signature')]);
const record = (over: Partial<LetterRecord>) =>
  ({
    pdfSha256: sha(signed),
    signature: {
      unsignedSha256: sha(render),
      subject: 'CN=x',
      issuer: 'CN=ca',
      notBefore: '',
      notAfter: '',
      signedAt: '',
    },
    ...over,
  }) as LetterRecord;

describe('comparing a re-render with the issued letter', () => {
  it('an unsigned letter: the re-render is the stored file', () => {
    expect(
      compareRerender(render, sha(render), record({ pdfSha256: sha(render), signature: null }), () => render),
    ).toBeUndefined();
    expect(compareRerender(render, sha(render), record({ signature: null }), () => signed)).toMatch(
      /differs from the issued/,
    );
  });

  it('a signed letter: the re-render matches the unsigned hash and is the prefix of the stored file', () => {
    expect(compareRerender(render, sha(render), record({}), () => signed)).toBeUndefined();
    const other = Buffer.from('%PDF-1.7 another letter');
    expect(compareRerender(other, sha(other), record({}), () => signed)).toMatch(
      /differs from the issued unsigned render/,
    );
    const forged = Buffer.concat([Buffer.from('%PDF-1.7 the lettex'), signed.subarray(render.length)]);
    expect(compareRerender(render, sha(render), record({}), () => forged)).toBe(
      'the stored signed file does not begin with the re-rendered letter',
    );
  });
});
