/**
 * Issue 32, low 12: stored PDFs and proof files are encrypted at rest (the debtor's name and
 * address never lie on disk in clear), opened transparently for serving, verification and the
 * evidence ZIP, still named and checked by the plaintext's sha256; older plaintext files are
 * still read; `registry purge` destroys them; a data-key rotation keeps them readable.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotateDataKey } from '../../src/app/data-key-rotation.js';
import { openRegistry } from '../../src/app/library.js';
import { DataKey } from '../../src/store/data-key.js';
import { sealPng } from '../fixtures/png.js';
import { dated, TODAY } from '../helpers.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const filesUnder = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => /[0-9a-f]{64}\.\w+$/.test(f))
        .map((f) => join(dir, f))
    : [];

async function issued() {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-encrypted-'));
  // The key file beside the database, whatever this process's environment holds: test files share
  // a worker, and test/http/server-helper.ts puts a HANJIAN_DATA_KEY there.
  const reg = openRegistry({ db: join(dir, 'h.db'), publicBaseUrl: 'https://verify.example.test', env: {} });
  const input = dated('reminder');
  const { record } = await reg.issue(input, { today: TODAY });
  return { dir, reg, record, input };
}

/** Records the letter's dispatch by EMS with one proof attached. */
function dispatchedWith(reg: Awaited<ReturnType<typeof issued>>['reg'], letterId: string, proof: string) {
  return reg.delivery.record(
    letterId,
    { type: 'dispatched', at: `${TODAY}T10:00:00+08:00`, channel: 'ems', trackingNo: 'EA123456789CN', proofs: [proof] },
    { actor: 'test', now: new Date(`${TODAY}T12:00:00+08:00`) },
  );
}

describe('stored files encrypted at rest', () => {
  it('a PDF and a proof are encrypted on disk, served, verified and put in the evidence ZIP in clear', async () => {
    const { dir, reg, record } = await issued();
    const [file] = filesUnder(join(dir, 'letters'));
    const onDisk = readFileSync(file!);
    expect(onDisk.subarray(0, 4).toString()).toBe('HJB1');
    expect(onDisk.includes(Buffer.from('%PDF'))).toBe(false);
    const { pdf } = await reg.letters.pdf(record.id);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256(pdf)).toBe(record.pdfSha256);
    expect(await reg.letters.verifyPdf(pdf)).toMatchObject({ valid: true, number: record.number });

    const png = sealPng(64);
    const proof = await reg.delivery.addProof(record.id, png, 'image/png');
    const [proofFile] = filesUnder(join(dir, 'proofs'));
    expect(readFileSync(proofFile!).subarray(0, 4).toString()).toBe('HJB1');
    await dispatchedWith(reg, record.id, proof.sha256);
    const { unzipSync } = await import('fflate');
    const files = unzipSync(new Uint8Array((await reg.evidence.forLetter(record.id)).zip));
    const inside = Object.values(files).map((b) => sha256(Buffer.from(b)));
    expect(inside).toContain(record.pdfSha256); // in clear inside the ZIP
    expect(inside).toContain(proof.sha256);
    await reg.close();
  });

  it('a tampered encrypted file is refused; an older plaintext file is still read', async () => {
    const { dir, reg, record } = await issued();
    const [file] = filesUnder(join(dir, 'letters'));
    const { pdf } = await reg.letters.pdf(record.id);
    const encrypted = readFileSync(file!);
    encrypted[encrypted.length - 5]! ^= 1;
    writeFileSync(file!, encrypted);
    await expect(reg.letters.pdf(record.id)).rejects.toMatchObject({ code: 'STORED_PDF_CORRUPT' });
    writeFileSync(file!, pdf); // as an older version wrote it
    expect(sha256((await reg.letters.pdf(record.id)).pdf)).toBe(record.pdfSha256);
    await reg.close();
  });

  it('purge destroys the PDF and the proofs; the letter still verifies by its sha256 and says it was purged', async () => {
    const { dir, reg, record } = await issued();
    const { pdf } = await reg.letters.pdf(record.id);
    await reg.delivery
      .addProof(record.id, sealPng(64), 'image/png')
      .then((p) => dispatchedWith(reg, record.id, p.sha256));
    const ids = await reg.letters.purge('2099-01-01', 'test', (ids) => reg.delivery.shredProofs(ids));
    expect(ids).toEqual([record.id]);
    expect(filesUnder(join(dir, 'letters'))).toEqual([]);
    expect(filesUnder(join(dir, 'proofs'))).toEqual([]);
    await expect(reg.letters.pdf(record.id)).rejects.toMatchObject({ code: 'LETTER_PURGED' });
    expect(await reg.letters.verifyPdf(pdf)).toMatchObject({ valid: true });
    const audit = (await reg.audit.rows()).find((r) => r.action === 'letters.purge')!;
    expect(JSON.parse(audit.details)).toMatchObject({ letters: 1, pdfs: 1, proofs: 1 });
    await reg.close();
  });

  it('stay readable after the data key is rotated (the blob key is re-encrypted, not the files)', async () => {
    const { dir, reg, record } = await issued();
    const before = readFileSync(filesUnder(join(dir, 'letters'))[0]!);
    await rotateDataKey(reg);
    await reg.close();
    const again = openRegistry({
      db: join(dir, 'h.db'),
      dataKey: DataKey.fromText(readFileSync(join(dir, 'hanjian.key'), 'utf8'), 'rotated'),
    });
    expect(sha256((await again.letters.pdf(record.id)).pdf)).toBe(record.pdfSha256);
    expect(readFileSync(filesUnder(join(dir, 'letters'))[0]!).equals(before)).toBe(true);
    await again.close();
  });
});
