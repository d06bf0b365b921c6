/** After the letter: the delivery lifecycle's allowed and refused transitions, payments, and void. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { specimenSeals } from '../../src/pipeline/seals.js';
import { dated, TODAY } from '../helpers.js';

const open = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-life-'));
  return {
    dir,
    reg: openRegistry({
      db: join(dir, 'h.db'),
      publicBaseUrl: 'https://v.test',
      renderOptions: { seals: specimenSeals },
    }),
  };
};
/** The tests' clock: after every event they record (the registry refuses times ahead of its clock). */
const NOW = new Date('2026-12-31T00:00:00+08:00');
const at = (h: number) =>
  `2026-11-${String(28 + Math.floor(h / 24)).padStart(2, '0')}T${String(h % 24).padStart(2, '0')}:00:00+08:00`;

describe('the letter lifecycle', () => {
  it('issued → dispatched → delivered, then a payment; every other order is refused with the current state', async () => {
    const { reg, dir } = open();
    const { record } = await reg.issue(dated('demand'), { today: TODAY });
    const ev = (body: unknown) => reg.delivery.record(record.id, body, { actor: 'test', now: NOW });
    await expect(ev({ type: 'delivered', at: at(10) })).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      message: expect.stringContaining('issued'),
    });
    await ev({
      type: 'dispatched',
      at: at(9),
      channel: 'ems',
      trackingNo: 'EA123456789CN',
      address: '北京市朝阳区某某街道某某小区3号楼2单元501室',
    });
    await expect(ev({ type: 'dispatched', at: at(9), channel: 'ems' })).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
    });
    await ev({ type: 'delivered', at: at(30) });
    await ev({ type: 'paid', at: at(40), amount: '1000.00' });
    await expect(ev({ type: 'returned', at: at(41) })).rejects.toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
    const { state, events } = await reg.delivery.events(record.id);
    expect(state).toBe('delivered');
    expect(events.map((e) => e.type)).toEqual(['dispatched', 'delivered', 'paid']);
    expect(events[0]!.details).toMatchObject({
      channel: 'ems',
      trackingNo: 'EA123456789CN',
      address: '北京市朝阳区****',
    });
    expect(events[2]!.details).toEqual({ amount: '1000.00', amountFen: 100000 });
    // The address is kept masked: the database never holds it in clear.
    for (const f of readdirSync(dir).filter((x) => x.startsWith('h.db')))
      expect(readFileSync(join(dir, f)).includes(Buffer.from('某某小区3号楼'))).toBe(false);
    expect((await reg.audit.rows({ subject: record.id })).map((r) => r.action)).toEqual([
      'letter.issue',
      'event.dispatched',
      'event.delivered',
      'event.paid',
    ]);
    await reg.close();
  });

  it('a returned letter may be sent again; a void letter takes no event; bad bodies are 422 with paths', async () => {
    const { reg } = open();
    const { record } = await reg.issue(dated('demand'), { today: TODAY });
    const ev = (body: unknown) => reg.delivery.record(record.id, body, { actor: 'test', now: NOW });
    await ev({ type: 'dispatched', at: at(9), channel: 'registered-mail' });
    await ev({ type: 'returned', at: at(50) });
    await ev({ type: 'dispatched', at: at(51), channel: 'ems' });
    expect((await reg.delivery.events(record.id)).state).toBe('dispatched');
    await expect(ev({ type: 'dispatched', at: 'yesterday', channel: 'pigeon' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'at' }),
        expect.objectContaining({ path: 'channel' }),
      ]),
    });
    await expect(ev({ type: 'paid', at: at(60), amount: '-5' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await reg.letters.void(record.id, { actor: 'test', reason: '发错对象', today: TODAY });
    await expect(ev({ type: 'delivered', at: at(70) })).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      message: expect.stringContaining('void'),
    });
    expect((await reg.delivery.events(record.id)).state).toBe('void');
    await reg.close();
  });
});

describe('the evidence ZIP', () => {
  it('holds the 证据目录, the letter, the delivery record, the registry report, the JSON appendix and proofs, and SHA256SUMS; byte-identical until something changes', async () => {
    const { unzipSync } = await import('fflate');
    const { createHash } = await import('node:crypto');
    const { readPdf } = await import('../pipeline/pdf/extract.js');
    const { sealPng } = await import('../fixtures/png.js');
    const { fileNameOf } = await import('../../src/delivery/evidence-package.js');
    const { reg } = open();
    const { record } = await reg.issue(dated('demand'), { today: TODAY });
    const receipt = sealPng(32, 90); // a PNG standing in for a scanned return receipt
    const proof = await reg.delivery.addProof(record.id, receipt, 'image/png');
    await expect(reg.delivery.addProof(record.id, Buffer.from('not a png'), 'image/png')).rejects.toMatchObject({
      code: 'PROOF_TYPE',
    });
    await reg.delivery.record(
      record.id,
      { type: 'dispatched', at: at(9), channel: 'ems', trackingNo: 'EA123456789CN' },
      { actor: 'test', now: NOW },
    );
    await expect(
      reg.delivery.record(
        record.id,
        { type: 'delivered', at: at(30), proofs: ['f'.repeat(64)] },
        { actor: 'test', now: NOW },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await reg.delivery.record(
      record.id,
      { type: 'delivered', at: at(30), proofs: [proof.sha256] },
      { actor: 'test', now: NOW },
    );

    const a = (await reg.evidence.forLetter(record.id)).zip;
    const b = (await reg.evidence.forLetter(record.id)).zip;
    expect(a.equals(b)).toBe(true);
    const files = unzipSync(new Uint8Array(a));
    const sha = (u: Uint8Array) => createHash('sha256').update(u).digest('hex');
    const n = fileNameOf(record.number);
    expect(Object.keys(files).sort()).toEqual(
      [
        'SHA256SUMS',
        `${n}/${n}-证据目录.pdf`,
        `${n}/${n}-证据1-逾期催告函.pdf`,
        `${n}/${n}-证据2-送达记录.pdf`,
        `${n}/${n}-证据3-登记及签名报告.pdf`,
        `${n}/附录/${n}-audit-anchor.json`,
        `${n}/附录/${n}-events.json`,
        `${n}/附录/${n}-record.json`,
        `${n}/附录/proofs/${proof.sha256}.png`,
      ].sort(),
    );
    const sums = Buffer.from(files.SHA256SUMS!)
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.split('  '));
    for (const [hash, name] of sums) expect(sha(files[name!]!), name).toBe(hash);
    const cover = (await readPdf(Buffer.from(files[`${n}/${n}-证据目录.pdf`]!))).lines.map((l) => l.text).join('');
    expect(cover).toContain('证据目录');
    expect(cover).toContain(record.number);
    expect(sha(files[`${n}/${n}-证据1-逾期催告函.pdf`]!)).toBe(record.pdfSha256);

    await reg.delivery.record(record.id, { type: 'paid', at: at(60), amount: '10.00' }, { actor: 'test', now: NOW });
    expect((await reg.evidence.forLetter(record.id)).zip.equals(a)).toBe(false);
    await reg.close();
  });
});
