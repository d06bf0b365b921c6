/**
 * The evidence cover sheet 送达证据清单 reads as Chinese for a court: labels, not the API's ids;
 * payments with their amount; a proof file's whole name; no line starting with a comma. And the
 * ZIP's JSON states money as yuan strings beside the fen.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { fenToFigures, fenToYuan } from '../../src/pipeline/facts/format.js';
import { specimenSeals } from '../../src/pipeline/seals.js';
import { sealPng } from '../fixtures/png.js';
import { dated, TODAY } from '../helpers.js';
import { readPdf } from '../pipeline/pdf/extract.js';

const NOW = new Date('2026-12-31T00:00:00+08:00');

describe('the evidence cover sheet and JSON', () => {
  it('names states, events and channels in Chinese, shows payments with their amount and every file name whole', async () => {
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

    const zip = (await reg.delivery.evidence(record.id)).zip;
    expect((await reg.delivery.evidence(record.id)).zip.equals(zip)).toBe(true);
    const files = unzipSync(new Uint8Array(zip));
    const lines = (await readPdf(Buffer.from(files['cover.pdf']!))).lines.map((l) => l.text);
    // Justified lines come out of the PDF with spaces between the characters; compare without them.
    const text = lines.join('').replace(/\s/g, '');
    expect(text).toContain('寄出（EMS，运单号EA123456789CN）');
    expect(text).toContain('签收');
    expect(text).toContain('还款1,000.00元');
    expect(text).toContain('当前状态：已签收。');
    for (const id of ['ems', 'delivered', 'dispatched', 'paid'])
      expect(text, id).not.toContain(id === 'ems' ? '（ems' : id);
    expect(text).toContain(`proofs/${proof.sha256}.png`); // whole, not clipped at the margin
    for (const l of lines) expect(l.trimStart(), l).not.toMatch(/^[，。；：、）]/);

    const json = JSON.parse(Buffer.from(files['record.json']!).toString()) as Record<string, unknown>;
    expect(json).toMatchObject({ total: fenToYuan(record.totalFen), totalFen: record.totalFen });
    expect(text).toContain(`欠款合计：${fenToFigures(record.totalFen)}元`);
    const events = JSON.parse(Buffer.from(files['events.json']!).toString()) as {
      type: string;
      details: Record<string, unknown>;
    }[];
    expect(events.find((e) => e.type === 'paid')!.details).toEqual({ amount: '1000.00', amountFen: 100000 });
    await reg.close();
  });
});
