/**
 * The delivery record of the evidence package reads as Chinese for a court: labels, not the
 * API's ids; payments with their amount; times in Chinese dates; the proof scan placed on a
 * page of its own. And the ZIP's JSON appendix states money as yuan strings beside the fen.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { fileNameOf } from '../../src/delivery/evidence-package.js';
import { fenToFigures, fenToYuan } from '../../src/pipeline/facts/format.js';
import { specimenSeals } from '../../src/pipeline/seals.js';
import { sealPng } from '../fixtures/png.js';
import { dated, TODAY } from '../helpers.js';
import { readPdf } from '../pipeline/pdf/extract.js';

const NOW = new Date('2026-12-31T00:00:00+08:00');

describe('the delivery record and the JSON appendix', () => {
  it('names states, events and channels in Chinese, shows payments with their amount and no raw ids or timestamps', async () => {
    const reg = openRegistry({
      db: join(mkdtempSync(join(tmpdir(), 'hanjian-cover-')), 'h.db'),
      publicBaseUrl: 'https://v.test',
      renderOptions: { seals: specimenSeals },
    });
    const { record } = await reg.issue(dated('demand'), { today: TODAY });
    const proof = await reg.delivery.addProof(record.id, sealPng(120, 30), 'image/png');
    const ev = (body: unknown) => reg.delivery.record(record.id, body, { actor: 'test', now: NOW });
    await ev({ type: 'dispatched', at: '2026-11-28T09:00:00+08:00', channel: 'ems', trackingNo: 'EA123456789CN' });
    await ev({ type: 'delivered', at: '2026-11-30T10:00:00+08:00', proofs: [proof.sha256] });
    await ev({ type: 'paid', at: '2026-12-01T10:00:00+08:00', amount: '1000.00' });

    const zip = (await reg.evidence.forLetter(record.id)).zip;
    expect((await reg.evidence.forLetter(record.id)).zip.equals(zip)).toBe(true);
    const files = unzipSync(new Uint8Array(zip));
    const n = fileNameOf(record.number);
    const pdf = await readPdf(Buffer.from(files[`${n}/${n}-证据2-送达记录.pdf`]!));
    const lines = pdf.lines.map((l) => l.text);
    expect(lines).toContain('送达记录'); // the heading as written: no stretched "送 达 记 录"
    const text = lines.join('').replace(/\s/g, '');
    expect(text).toContain('EMS，运单号EA123456789CN');
    expect(text).toContain('2026年11月28日09:00');
    expect(text).toContain('签收');
    expect(text).toContain('还款');
    expect(text).toContain('1,000.00元');
    expect(text).toContain('当前状态已签收');
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
    for (const id of ['ems', 'delivered', 'dispatched', 'paid']) expect(text, id).not.toContain(id);
    for (const l of lines) expect(l.trimStart(), l).not.toMatch(/^[，。；：、）]/);
    expect(pdf.pages).toBe(2); // the receipt scan on a page of its own

    const json = JSON.parse(Buffer.from(files[`${n}/附录/${n}-record.json`]!).toString()) as Record<string, unknown>;
    expect(json).toMatchObject({ total: fenToYuan(record.totalFen), totalFen: record.totalFen });
    const catalogue = (await readPdf(Buffer.from(files[`${n}/${n}-证据目录.pdf`]!))).lines.map((l) => l.text).join('');
    expect(catalogue.replace(/\s/g, '')).toContain(`欠款${fenToFigures(record.totalFen)}元`);
    const events = JSON.parse(Buffer.from(files[`${n}/附录/${n}-events.json`]!).toString()) as {
      type: string;
      details: Record<string, unknown>;
    }[];
    expect(events.find((e) => e.type === 'paid')!.details).toEqual({ amount: '1000.00', amountFen: 100000 });
    await reg.close();
  });
});
