import { describe, expect, it } from 'vitest';
import { getPolicy, parsePolicy } from '../../../src/pipeline/policy/policy.js';
import { recommendLetter } from '../../../src/pipeline/policy/recommend.js';
import { HanjianError } from '../../../src/shared/errors.js';

const DUE = '2026-11-17';
const account = { product: '白条', contractNo: 'BT1', contractDate: '2025-06-01', dueDate: DUE };
const day = (n: number) => new Date(Date.UTC(2026, 10, 17 + n)).toISOString().slice(0, 10);

function rec(overdue: number, opts: { principal?: string; history?: Record<string, unknown> } = {}) {
  const r = recommendLetter({
    account,
    debt: { principal: opts.principal ?? '5000.00' },
    history: opts.history,
    asOf: day(overdue),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

const HIGH = { overdueCount12m: 2 };
const CLEAN = { overdueCount12m: 0 };
/** A demand on day 1, delivered, whose deadline (day 8) passed without payment, plan or dispute: a lawyer's letter may follow. */
const DEMANDED = { lettersSent: [{ kind: 'demand', date: day(1), deadline: day(8), delivery: 'delivered' }] };

describe('recommendLetter (default policy)', () => {
  it.each([
    // overdue days, history, principal, expected kind
    [0, CLEAN, '5000.00', null],
    [1, CLEAN, '5000.00', 'reminder'],
    [7, CLEAN, '5000.00', 'reminder'],
    [8, CLEAN, '5000.00', 'demand'],
    [10, HIGH, '5000.00', 'demand'], // day 10: not yet, even high-risk
    [11, { ...HIGH, ...DEMANDED }, '5000.00', 'lawyer-letter'], // day 11: high-risk (repeated default), after a demand
    [11, HIGH, '5000.00', 'demand'], // no demand before: a lawyer's letter only follows one
    [10, CLEAN, '30000.00', 'demand'],
    [11, { ...CLEAN, ...DEMANDED }, '30000.00', 'lawyer-letter'], // day 11: high-risk by amount
    [11, CLEAN, '5000.00', 'demand'], // day 11: a clean account gets no lawyer's letter
    [30, CLEAN, '5000.00', 'demand'],
    [31, { ...CLEAN, ...DEMANDED }, '5000.00', 'lawyer-letter'],
    [60, HIGH, '300.00', 'demand'], // below the minimum amount: never a lawyer's letter
    [10, { autoDebitFailed: true }, '5000.00', 'reminder'], // failed auto-debit: gentler, demand from day 15
    [15, { autoDebitFailed: true }, '5000.00', 'demand'],
    [10, { autoDebitFailed: true, overdueCount12m: 1 }, '5000.00', 'demand'], // not a clean record: no grace
  ] as [number, Record<string, unknown>, string, string | null][])(
    'day %i, history %j, %s → %s',
    (d, history, principal, kind) => {
      expect(rec(d, { principal, history }).kind).toBe(kind);
    },
  );

  it('explains itself and says what comes next', () => {
    const r = rec(11, { history: CLEAN });
    expect(r.reasons.join(' ')).toContain('not high-risk');
    expect(r.next).toEqual({ kind: 'lawyer-letter', earliestDate: day(31) });
    expect(rec(3, { history: { autoDebitFailed: true } }).reasons[0]).toContain('auto-debit');
  });

  it('a high-risk reason names only the condition that held: the overdue count, the amount, or both', () => {
    const reason = (principal: string, history: Record<string, unknown>) =>
      rec(11, { principal, history: { ...history, ...DEMANDED } }).reasons.find((x) => x.startsWith('高风险账户'))!;
    expect(reason('5000.00', { overdueCount12m: 3 })).toMatch(
      /^高风险账户（近 12 个月逾期 3 次（≥ 2 次）），自第 11 天起/,
    );
    const byAmount = reason('25000.00', CLEAN);
    expect(byAmount).toMatch(/^高风险账户（欠款 25,000.00 元（≥ 20,000.00 元）），/);
    expect(byAmount).not.toContain('逾期 0 次');
    expect(reason('25000.00', { overdueCount12m: 2 })).toContain('近 12 个月逾期 2 次（≥ 2 次），且欠款 25,000.00 元');
  });

  it('suspends everything while a hardship request is pending or a plan is current', () => {
    expect(rec(40, { history: { ...HIGH, hardshipPending: true } })).toMatchObject({ kind: null });
    expect(rec(40, { history: { ...HIGH, planActive: true } })).toMatchObject({ kind: null });
    expect(rec(40, { history: { ...HIGH, ...DEMANDED, planActive: true, planCurrent: false } }).kind).toBe(
      'lawyer-letter',
    );
  });

  it('never sends the same kind twice within its window', () => {
    const sent = (kind: string, d: number) => ({
      ...HIGH,
      lettersSent: [...DEMANDED.lettersSent, { kind, date: day(d) }],
    });
    expect(rec(12, { history: sent('lawyer-letter', 11) })).toMatchObject({ kind: null, earliestDate: day(41) });
    expect(rec(41, { history: sent('lawyer-letter', 11) }).kind).toBe('lawyer-letter');
    expect(rec(9, { history: { lettersSent: [{ kind: 'demand', date: day(8) }] } })).toMatchObject({
      kind: null,
      earliestDate: day(18),
    });
  });

  it('reports bad input with paths instead of guessing', () => {
    const r = recommendLetter({ account: { ...account, dueDate: '2026-13-01' }, debt: { principal: '-1' } });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['account.dueDate', 'debt.principal']));
  });
});

describe('policy file', () => {
  it('is validated', () => {
    expect(getPolicy().lawyerLetter.highRiskFromDay).toBe(11);
    expect(() => parsePolicy({ ...getPolicy(), reminderFromDay: 'x' })).toThrow(HanjianError);
    expect(() => parsePolicy({ ...structuredClone(getPolicy()), demandFromDay: 0, reminderFromDay: 5 })).toThrow(
      /escalation/,
    );
  });
});
