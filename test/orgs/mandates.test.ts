/**
 * The engagement's 授权委托书 (issue 28 §2): recognised by its content and bounded, stored encrypted
 * with the data key (the file on disk holds neither the image nor its base64), read back whole
 * and checked against the engagement's sha256, and carried into the evidence package of a
 * lawyer's letter issued under the engagement as an exhibit listed in the 证据目录.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../../src/app/library.js';
import { fileNameOf } from '../../src/delivery/evidence-package.js';
import { MANDATE_MAX_BYTES } from '../../src/orgs/mandates.js';
import type { Engagement } from '../../src/orgs/model.js';
import { addDays, todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { specimenSeals } from '../../src/pipeline/seals.js';
import { sealPng } from '../fixtures/png.js';
import { readPdf } from '../pipeline/pdf/extract.js';
import { addEngagedFirm, creditorOf } from '../support/world.js';

const today = todayInShanghai();
const scan = sealPng(200, 10); // a PNG standing in for a scanned 授权委托书
let dir: string;
let reg: Registry;
let ids: { client: string; firm: string; lawyer: string };
let engagement: Engagement;

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((n) => {
    const p = join(root, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hanjian-mandate-'));
  reg = openRegistry({
    db: join(dir, 'h.db'),
    publicBaseUrl: 'https://v.test',
    renderOptions: { seals: specimenSeals },
  });
  const w = await addEngagedFirm(reg, { today, mandate: scan });
  ids = { client: w.client.id, firm: w.firm.id, lawyer: w.lawyer.id };
  engagement = w.engagement;
}, 60_000);
afterAll(async () => {
  await reg.close();
});

describe('the mandate (授权委托书)', () => {
  it('is refused unless a PDF, PNG or JPEG by content, and bounded', async () => {
    await expect(reg.mandates.store(Buffer.from('授权委托书（文字稿）'))).rejects.toMatchObject({
      code: 'MANDATE_TYPE',
      path: 'mandate',
    });
    // A text file named .pdf is still text; a PDF header anywhere but the start is not a PDF.
    await expect(reg.mandates.store(Buffer.from('hello %PDF-1.7'))).rejects.toMatchObject({ code: 'MANDATE_TYPE' });
    const big = Buffer.alloc(MANDATE_MAX_BYTES + 1);
    scan.copy(big);
    await expect(reg.mandates.store(big)).rejects.toMatchObject({ code: 'MANDATE_TOO_LARGE' });
  });

  it('is stored encrypted and read back whole, checked against the engagement’s sha256', async () => {
    expect(engagement.mandateSha256).toBe(createHash('sha256').update(scan).digest('hex'));
    const stored = (await reg.orgs.engagement(engagement.id))!;
    expect(stored.mandateFile).toEqual({ blob: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'image/png' });
    const back = await reg.mandates.of(stored);
    expect(back!.bytes.equals(scan)).toBe(true);
    // At rest: no file beside the database holds the scan, its base64 or its PNG signature.
    const b64 = scan.toString('base64').slice(0, 40);
    for (const f of filesUnder(dir).filter((p) => p.includes('mandates'))) {
      const bytes = readFileSync(f);
      expect(bytes.includes(scan.subarray(0, 16)), f).toBe(false);
      expect(bytes.toString('latin1').includes(b64), f).toBe(false);
    }
    expect(filesUnder(dir).some((p) => p.includes('mandates'))).toBe(true);
    // A mandate that does not match its record is never served.
    await expect(reg.mandates.of({ ...stored, mandateSha256: 'f'.repeat(64) })).rejects.toMatchObject({
      code: 'STORED_FILE_CORRUPT',
    });
    // An engagement recorded by its sha256 only has no file.
    expect(await reg.mandates.of({ ...stored, mandateFile: null })).toBeNull();
  });

  it('is an exhibit of the evidence package of a lawyer’s letter issued under the engagement', async () => {
    const letter = {
      kind: 'lawyer-letter',
      creditor: creditorOf(await reg.orgs.org(ids.client)),
      debtor: { name: '张三', idNumber: '110105199003071239', address: '上海市浦东新区世纪大道100号' },
      account: {
        product: '白条',
        contractNo: 'M-1',
        contractType: 'loan',
        contractDate: addDays(today, -400),
        dueDate: addDays(today, -60),
      },
      debt: { principal: '12000.00' },
      demand: { days: 7 },
      delivery: 'ems',
      history: {
        overdueCount12m: 2,
        lettersSent: [
          { kind: 'demand', date: addDays(today, -20), deadline: addDays(today, -13), delivery: 'delivered' },
        ],
      },
    };
    const q = await reg.requests.request(
      { engagement: engagement.id, letter },
      { orgId: ids.client, userId: null, keyId: 'crm', scopes: null },
      { today },
    );
    const { record } = await reg.requests.approve(
      q.id,
      { orgId: ids.firm, userId: ids.lawyer, keyId: 'lawyer', scopes: null },
      { today },
    );
    const files = unzipSync(new Uint8Array((await reg.evidence.forLetter(record.id, ids.firm)).zip));
    const n = fileNameOf(record.number);
    const exhibit = files[`${n}/${n}-证据2-授权委托书.pdf`];
    expect(exhibit, Object.keys(files).join('\n')).toBeDefined();
    expect(Buffer.from(exhibit!).toString('latin1')).toMatch(/\/Subtype \/Image/);
    expect((await readPdf(Buffer.from(exhibit!))).lines.map((l) => l.text).join('')).toContain('授权委托书');
    const catalogue = (await readPdf(Buffer.from(files[`${n}/${n}-证据目录.pdf`]!))).lines
      .map((l) => l.text)
      .join('')
      .replace(/\s/g, '');
    expect(catalogue).toContain('授权委托书');
    expect(catalogue).toContain('委托人出具');
    const record2 = JSON.parse(Buffer.from(files[`${n}/附录/${n}-record.json`]!).toString()) as {
      exhibits: { no: number; name: string; sha256: string }[];
    };
    expect(record2.exhibits[1]).toMatchObject({ no: 2, name: '授权委托书' });
    // The client sees the same package; another organisation does not.
    expect((await reg.evidence.forLetter(record.id, ids.client)).zip.length).toBeGreaterThan(0);
  }, 60_000);
});
