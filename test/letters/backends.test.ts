/**
 * The registry's behaviour on both databases: SQLite (embedded) and PostgreSQL (shared). The
 * same scenarios, parameterised, so a difference between the implementations shows up here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry, type Registry, type Renderer } from '../../src/app/library.js';
import { renderLetter } from '../../src/pipeline/index.js';
import { DataKey } from '../../src/store/data-key.js';
import { dated, example, TODAY } from '../helpers.js';
import { freshDatabase, TEST_DATA_KEY } from '../store/postgres/fresh.js';

const realRender: Renderer = async (input, o) => {
  const r = await renderLetter(input, {
    letterNo: o.letterNo,
    verification: o.verification,
    today: o.today,
    seals: o.seal ? () => o.seal! : undefined,
  });
  return {
    pdf: r.pdf,
    sha256: r.sha256,
    inputSha256: r.inputSha256,
    template: r.template,
    seal: r.seal,
    engine: r.engine,
  };
};
/** Two creditors, two series (numbered by credit code). */
const CREDITORS = [
  { name: '北京某某科技有限公司', creditCode: '91110108MA01ABCD2H', letterPrefix: '某科提字' },
  { name: '深圳某某信息技术有限公司', creditCode: '9144030071526726XG', letterPrefix: '深某提字' },
];
const reminder = (n: number, creditor = 0) => {
  const x = dated('reminder');
  const base = example('reminder').creditor;
  // The payee of a bank channel must be the creditor itself (compliance guard).
  x.creditor = {
    ...base,
    ...CREDITORS[creditor],
    paymentChannels: base.paymentChannels.map((c: Record<string, string>) =>
      c.type === 'bank' ? { ...c, accountName: CREDITORS[creditor]!.name } : c,
    ),
  };
  x.account = { ...x.account, contractNo: `BT-${n}` };
  return x;
};

const backends: [string, () => Promise<string>][] = [
  ['SQLite', async () => join(mkdtempSync(join(tmpdir(), 'hanjian-be-')), 'h.db')],
  ['PostgreSQL', freshDatabase],
];

describe.each(backends)('registry on %s', (_name, database) => {
  async function open(render: Renderer = realRender): Promise<Registry> {
    const reg = openRegistry({
      db: await database(),
      publicBaseUrl: 'https://v.test',
      render,
      dataKey: DataKey.fromText(TEST_DATA_KEY, 'test'),
    });
    await reg.ready();
    return reg;
  }

  it('numbers per series without gaps (a failed issue uses no number), replays by key, serves the stored PDF, voids, audits', async () => {
    let failNext = true;
    const reg = await open(async (input, o) => {
      if (failNext) {
        failNext = false;
        throw new Error('render failed');
      }
      return realRender(input, o);
    });
    try {
      await expect(reg.issue(reminder(1), { today: TODAY, idempotencyKey: 'k1' })).rejects.toThrow('render failed');
      const a = await reg.issue(reminder(1), { today: TODAY, idempotencyKey: 'k1' });
      const b = await reg.issue(reminder(2, 1), { today: TODAY, idempotencyKey: 'k2' });
      const c = await reg.issue(reminder(3), { today: TODAY, idempotencyKey: 'k3' });
      expect([a, b, c].map((x) => x.record.number)).toEqual([
        '（2026）某科提字第0001号',
        '（2026）深某提字第0001号',
        '（2026）某科提字第0002号',
      ]);
      // A retry with the key is the same letter, served from storage; other data under the key is refused.
      const again = await reg.issue(reminder(1), { today: TODAY, idempotencyKey: 'k1' });
      expect(again).toMatchObject({ replayed: true, record: { id: a.record.id } });
      expect(again.pdf.equals(a.pdf)).toBe(true);
      await expect(reg.issue(reminder(9), { today: TODAY, idempotencyKey: 'k1' })).rejects.toMatchObject({
        code: 'IDEMPOTENCY_CONFLICT',
      });
      await expect(reg.issue(reminder(1), { today: TODAY, idempotencyKey: 'k4' })).rejects.toMatchObject({
        code: 'ALREADY_ISSUED',
      });
      expect((await reg.letters.pdf(b.record.id)).pdf.equals(b.pdf)).toBe(true);
      expect(await reg.letters.verifyPdf(b.pdf)).toMatchObject({ valid: true, number: b.record.number });
      // Personal data is encrypted with the data key in the database, and opens with it.
      expect(a.record.inputJson).toMatch(/^enc1:/);
      expect(
        (reg.letters.inputOf(await reg.letters.get(a.record.id)) as { debtor: { name: string } }).debtor.name,
      ).toBe(reminder(1).debtor.name);

      // At the same moment: one contract twice (other keys) → one letter; one key twice → one letter, replayed. No number skipped.
      const twice = await Promise.allSettled([
        reg.issue(reminder(4), { today: TODAY, idempotencyKey: 'k5' }),
        reg.issue(reminder(4), { today: TODAY, idempotencyKey: 'k6' }),
      ]);
      expect(
        twice.map((x) => (x.status === 'fulfilled' ? 'issued' : (x.reason as { code: string }).code)).sort(),
      ).toEqual(['ALREADY_ISSUED', 'issued']);
      const sameKey = await Promise.all([
        reg.issue(reminder(5), { today: TODAY, idempotencyKey: 'k7' }),
        reg.issue(reminder(5), { today: TODAY, idempotencyKey: 'k7' }),
      ]);
      expect(sameKey.map((x) => x.replayed).sort()).toEqual([false, true]);
      expect(sameKey[0]!.record.id).toBe(sameKey[1]!.record.id);
      expect((await reg.issue(reminder(6), { today: TODAY })).record.number).toBe('（2026）某科提字第0005号');

      const voided = await reg.letters.void(c.record.id, { actor: 'test', reason: '发错对象' });
      expect(voided.status).toBe('void');
      await expect(reg.letters.void(c.record.id, { actor: 'test', reason: '再次' })).rejects.toMatchObject({
        code: 'ALREADY_VOID',
      });
      await reg.delivery.record(
        a.record.id,
        { type: 'dispatched', at: '2026-11-28T10:00:00+08:00', channel: 'ems', trackingNo: 'EA123456789CN' },
        { actor: 'test' },
      );
      await expect(
        reg.delivery.record(
          a.record.id,
          { type: 'dispatched', at: '2026-11-28T11:00:00+08:00', channel: 'ems' },
          { actor: 'test' },
        ),
      ).rejects.toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
      expect((await reg.delivery.events(a.record.id, undefined)).state).toBe('dispatched');
      const audit = await reg.audit.verify();
      expect(audit).toMatchObject({ rows: 8, broken: null });
      expect((await reg.audit.rows()).map((r) => r.action)).toEqual([
        'letter.issue',
        'letter.issue',
        'letter.issue',
        'letter.issue',
        'letter.issue',
        'letter.issue',
        'letter.void',
        'event.dispatched',
      ]);
      expect(await reg.check()).toMatchObject({ checked: 6, failed: 0 });
    } finally {
      await reg.close();
    }
  });

  it('keeps organisations unique, proofs by content, and an open dispute blocks the contract', async () => {
    const reg = await open();
    try {
      await reg.orgs.addOrg({ kind: 'creditor', name: '甲公司', creditCode: '9144030071526726XG' }, 'test');
      await expect(
        reg.orgs.addOrg({ kind: 'creditor', name: '甲公司', creditCode: '9144030071526726XG' }, 'test'),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      const a = await reg.issue(reminder(1), { today: TODAY });
      const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
      const proof = await reg.delivery.addProof(a.record.id, png, 'image/png');
      await reg.delivery.record(
        a.record.id,
        { type: 'dispatched', at: '2026-11-28T10:00:00+08:00', channel: 'ems', proofs: [proof.sha256] },
        { actor: 'test' },
      );
      const { zip } = await reg.evidence.forLetter(a.record.id);
      expect(zip.includes(Buffer.from(`proofs/${proof.sha256}.png`))).toBe(true);
      const disputes = reg.debtors;
      await disputes.file(a.record, { type: 'dispute', text: '金额不对' });
      await expect(reg.issue({ ...reminder(1), issueDate: TODAY }, { today: TODAY })).rejects.toMatchObject({
        code: 'DISPUTE_OPEN',
      });
      expect(await disputes.openTypeFor('default', 'BT-1')).toBe('dispute');
    } finally {
      await reg.close();
    }
  });

  it('keeps plan settings with their interest and rate, and an accepted plan with its cost (migration 10 / PostgreSQL 4)', async () => {
    const reg = await open();
    try {
      await reg.stores.plans.saveSettings({
        orgId: 'default',
        terms: [3, 6],
        firstDueDays: 15,
        minInstalment: 50000,
        graceDays: 10,
        updatedAt: '2026-12-01T00:00:00Z',
        updatedBy: 'test',
      });
      expect(await reg.stores.plans.settings('default')).toMatchObject({ interest: 'stops', minInstalment: 50000 });
      expect(await reg.stores.plans.settings('default')).not.toHaveProperty('annualRateBp');
      await reg.stores.plans.saveSettings({
        orgId: 'default',
        terms: [3, 6],
        firstDueDays: 15,
        minInstalment: 50000,
        graceDays: 10,
        interest: 'continues',
        annualRateBp: 800,
        updatedAt: '2026-12-02T00:00:00Z',
        updatedBy: 'test',
      });
      expect(await reg.stores.plans.settings('default')).toMatchObject({ interest: 'continues', annualRateBp: 800 });
      const letter = await reg.issue(reminder(7), { today: TODAY });
      const plan = {
        id: 'plan-7',
        letterId: letter.record.id,
        clientOrgId: 'default',
        contractNo: 'BT-7',
        terms: 2,
        graceDays: 10,
        instalments: [
          { dueDate: '2026-12-15', amountFen: 600_123_45, interestFen: 123_45 },
          { dueDate: '2027-01-15', amountFen: 600_100_00, interestFen: 100_00 },
        ],
        totalFen: 1_200_223_45,
        costFen: 223_45,
        annualRateBp: 800,
        interestFrom: TODAY,
        acceptedOn: TODAY,
        acceptedAt: '2026-11-28T10:00:00Z',
        confirmationId: null,
      };
      expect(await reg.stores.plans.insert(plan)).toBe(true);
      // Fen above 2^31 survive PostgreSQL (BIGINT), as in SQLite.
      expect(await reg.stores.plans.byLetter(letter.record.id)).toEqual(plan);
    } finally {
      await reg.close();
    }
  });
});
