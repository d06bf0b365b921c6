import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueLetter, specimenSeals } from '../../src/index.js';
import { dated, TODAY } from '../helpers.js';

// A creditor's own demand: a lawyer's letter is issued only through a lawyer's approval (test/workflow).
const demand = (contractNo = 'BT2025-004567') => {
  const x = dated('demand');
  x.account.contractNo = contractNo;
  return x;
};
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
// pdf/seal.ts draws a seal as an image XObject; a letter without a seal has none.
const hasImage = (pdf: Buffer) => pdf.includes('/Subtype /Image');

describe('issueLetter (library)', () => {
  it('returns the issued PDF bytes, draws the seals it is given, and returns the stored bytes on a retry', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'hanjian-issue-')), 'h.db');
    const sealed = await issueLetter(demand(), {
      db,
      idempotencyKey: 'lib-1',
      today: TODAY,
      seals: specimenSeals,
      publicBaseUrl: 'https://verify.example.test',
    });
    expect(sealed.replayed).toBe(false);
    expect(Buffer.isBuffer(sealed.pdf)).toBe(true);
    expect(sha256(sealed.pdf)).toBe(sealed.record.pdfSha256);
    expect(hasImage(sealed.pdf)).toBe(true);

    const again = await issueLetter(demand(), {
      db,
      idempotencyKey: 'lib-1',
      today: TODAY,
      seals: specimenSeals,
      publicBaseUrl: 'https://verify.example.test',
    });
    expect(again.replayed).toBe(true);
    expect(again.pdf.equals(sealed.pdf)).toBe(true);

    const plain = await issueLetter(
      { ...demand('BT2025-000002'), debtor: { ...demand().debtor, name: '李雷' } },
      { db, today: TODAY, publicBaseUrl: 'https://verify.example.test' },
    );
    expect(plain.record.number).toMatch(/^（2026）.+第0002号$/);
    expect(hasImage(plain.pdf)).toBe(false);
  });
});
