/** The letter's combined state (已出具 … 已作废): the one rule, and the gatherer over a registry's letters. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { letterStatusOf } from '../../src/delivery/letter-state.js';
import type { LetterEvent } from '../../src/delivery/lifecycle.js';
import { letterStatuses } from '../../src/history/letter-status.js';
import { specimenSeals } from '../../src/pipeline/seals.js';
import { dated, TODAY } from '../helpers.js';

const ev = (type: LetterEvent['type'], details: Record<string, unknown> = {}): LetterEvent => ({
  id: type,
  letterId: 'l',
  seq: 0,
  type,
  at: '2026-11-28T09:00:00+08:00',
  actor: 't',
  details,
  createdAt: '',
});
const live = { status: 'issued' as const, totalFen: 10_000 };

describe('letterStatusOf', () => {
  it('follows the delivery state, with its Chinese label', () => {
    expect(letterStatusOf(live, [], false)).toMatchObject({ status: 'issued', label: '已出具' });
    expect(letterStatusOf(live, [ev('dispatched')], false)).toMatchObject({ status: 'dispatched', label: '已交寄' });
    expect(letterStatusOf(live, [ev('dispatched'), ev('delivered')], false).label).toBe('已送达');
    expect(letterStatusOf(live, [ev('dispatched'), ev('refused')], false).label).toBe('拒收');
    expect(letterStatusOf(live, [ev('dispatched'), ev('returned')], false).label).toBe('退回');
  });

  it('a refused or disputed letter never reads as delivered; paid in full, dispute, plan in that order; void above all', () => {
    const half = ev('paid', { amountFen: 5_000 });
    const rest = ev('paid', { amountFen: 5_000 });
    const refused = [ev('dispatched'), ev('refused')];
    expect(letterStatusOf(live, [...refused, half], false)).toMatchObject({
      status: 'refused',
      paidFen: 5_000,
      outstandingFen: 5_000,
    });
    expect(letterStatusOf(live, [...refused, half, rest], false)).toMatchObject({ status: 'paid', label: '已付款' });
    expect(letterStatusOf(live, [...refused, half, rest], true).status).toBe('paid');
    expect(letterStatusOf(live, [ev('dispatched'), ev('delivered')], true)).toMatchObject({
      status: 'disputed',
      label: '异议中',
      delivery: 'delivered',
    });
    expect(letterStatusOf(live, [ev('plan-accepted')], false).label).toBe('已接受方案');
    expect(letterStatusOf(live, [ev('plan-accepted')], true).status).toBe('disputed');
    expect(letterStatusOf({ status: 'void', totalFen: 10_000 }, [half, rest], true).label).toBe('已作废');
  });
});

describe('letterStatuses over the registry', () => {
  it('reads the events of many letters in one go and marks the contract with an open dispute; resolving it clears it', async () => {
    const reg = openRegistry({
      db: join(mkdtempSync(join(tmpdir(), 'hanjian-state-')), 'h.db'),
      renderOptions: { seals: specimenSeals },
    });
    try {
      const a = (await reg.issue(dated('demand'), { today: TODAY })).record;
      const other = dated('demand');
      other.account.contractNo = 'OTHER-1';
      const b = (await reg.issue(other, { today: TODAY })).record;
      const now = new Date('2026-12-31T00:00:00+08:00');
      await reg.delivery.record(
        a.id,
        { type: 'dispatched', at: `${TODAY}T09:00:00+08:00`, channel: 'ems' },
        { actor: 't', now },
      );
      await reg.delivery.record(a.id, { type: 'refused', at: `${TODAY}T10:00:00+08:00` }, { actor: 't', now });
      const { id } = await reg.debtors.file(b, { type: 'dispute', text: '金额不对，我已经还过一部分。' });
      let states = await letterStatuses(reg.history, [a, b]);
      expect(states.get(a.id)).toMatchObject({ status: 'refused', label: '拒收' });
      expect(states.get(a.id)!.events.map((e) => e.type)).toEqual(['dispatched', 'refused']);
      expect(states.get(b.id)).toMatchObject({ status: 'disputed', label: '异议中', delivery: 'issued' });
      await reg.debtors.resolve(
        id,
        { orgId: b.clientOrgId, userId: null, keyId: 't', scopes: null },
        '已核对账目并回复',
      );
      states = await letterStatuses(reg.history, [a, b]);
      expect(states.get(b.id)!.status).toBe('issued');
    } finally {
      await reg.close();
    }
  });
});
