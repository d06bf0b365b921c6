/** The policy's history rules (issue 13): delivery, the demand before a lawyer's letter, the limit, repayment plans. */
import { describe, expect, it } from 'vitest';
import { recommendLetter } from '../../../src/pipeline/policy/recommend.js';

const DUE = '2026-11-17';
const day = (n: number) => new Date(Date.UTC(2026, 10, 17 + n)).toISOString().slice(0, 10);
const HIGH = { overdueCount12m: 2 };
const demand = (d: number, delivery = 'delivered') => ({
  kind: 'demand',
  date: day(d),
  deadline: day(d + 7),
  delivery,
});

function rec(overdue: number, history: Record<string, unknown>) {
  const r = recommendLetter({
    account: { dueDate: DUE },
    debt: { principal: '5000.00' },
    history: { ...HIGH, ...history },
    asOf: day(overdue),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe("a lawyer's letter only after a demand whose deadline passed without payment, plan or dispute", () => {
  it('follows a delivered demand whose deadline passed', () => {
    expect(rec(20, { lettersSent: [demand(8)] }).kind).toBe('lawyer-letter');
  });

  it("not while the demand's deadline runs: from the day after it", () => {
    const r = rec(12, { lettersSent: [demand(8)] });
    expect(r.kind).toBe(null); // a demand again would repeat within its window
    expect(r.reasons.join(' ')).toContain(`deadline ${day(15)} has not passed`);
  });

  it('not after a demand with no delivery record yet, nor one not known to be delivered (and that one is no step)', () => {
    expect(rec(20, { lettersSent: [demand(8, 'pending')] })).toMatchObject({ kind: null });
    expect(rec(20, { lettersSent: [demand(8, 'pending')] }).reasons.join(' ')).toContain('no delivery record yet');
    const unknown = rec(20, { lettersSent: [demand(12, 'unknown')] });
    expect(unknown.kind).toBe('demand'); // the unknown demand neither opens the way nor blocks a new demand by its window
    expect(unknown.reasons.join(' ')).toContain('not known to be delivered');
  });

  it('not after a demand answered by a payment within its period, a dispute or a plan: a new demand comes first', () => {
    const paid = rec(30, { lettersSent: [demand(8)], payments: [{ date: day(10), amount: '100.00' }] });
    expect(paid.kind).toBe('demand');
    expect(paid.reasons.join(' ')).toContain('a new demand comes first');
    expect(rec(30, { lettersSent: [demand(8)], disputesFiled: [day(9)] }).kind).toBe('demand');
    // A payment after the deadline does not answer the demand.
    expect(rec(30, { lettersSent: [demand(8)], payments: [{ date: day(25), amount: '100.00' }] }).kind).toBe(
      'lawyer-letter',
    );
  });

  it("at most two lawyer's letters per contract; one not known to be delivered does not count", () => {
    const two = rec(90, {
      lettersSent: [demand(8), { kind: 'lawyer-letter', date: day(16) }, { kind: 'lawyer-letter', date: day(50) }],
    });
    expect(two.kind).toBe(null);
    expect(two.reasons.join(' ')).toContain('limit is 2 per contract');
    expect(
      rec(90, {
        lettersSent: [
          demand(8),
          { kind: 'lawyer-letter', date: day(16), delivery: 'unknown' },
          { kind: 'lawyer-letter', date: day(50) },
        ],
      }).kind,
    ).toBe('lawyer-letter');
  });

  it('a demand without its deadline counts from the day it reached the debtor when that is known (issue 27)', () => {
    const late = { kind: 'demand', date: day(8), delivery: 'delivered', deliveredOn: day(14) };
    // Counted from the sending day the period (7 days) would have ended on day 15; from delivery it ends on day 21.
    expect(rec(18, { lettersSent: [late] }).kind).not.toBe('lawyer-letter');
    expect(rec(18, { lettersSent: [late] }).reasons.join(' ')).toContain(`deadline ${day(21)} has not passed`);
    expect(rec(22, { lettersSent: [late] }).kind).toBe('lawyer-letter');
  });

  it('nothing while a dispute is open', () => {
    expect(rec(40, { lettersSent: [demand(8)], disputeOpen: true })).toMatchObject({ kind: null });
  });
});

describe('repayment plans', () => {
  const plan = {
    acceptedOn: day(10),
    graceDays: 10,
    instalments: [
      { dueDate: day(30), amount: '2000.00' },
      { dueDate: day(60), amount: '2000.00' },
      { dueDate: day(90), amount: '1000.00' },
    ],
  };

  it('suspends escalation while the plan is kept, naming the next instalment', () => {
    const r = rec(45, { lettersSent: [demand(8)], plan, payments: [{ date: day(29), amount: '2000.00' }] });
    expect(r.kind).toBe(null);
    expect(r.reasons[0]).toContain(`下一期 ${day(60)} 应还 2,000.00 元`);
    // Within the grace an unpaid instalment is not yet missed.
    expect(rec(40, { lettersSent: [demand(8)], plan }).kind).toBe(null);
  });

  it("resumes when an instalment is missed by more than the grace, with the plan's history in the reasons", () => {
    const r = rec(41, { lettersSent: [demand(8)], plan });
    expect(r.kind).toBe('demand'); // the plan was accepted after the demand: a new demand comes before a lawyer's letter
    expect(r.reasons[0]).toContain(`instalment 1 due ${day(30)} missed by more than 10 days`);
    // A short payment is missed too; payments count cumulatively against the instalments.
    expect(
      rec(75, {
        lettersSent: [demand(8)],
        plan,
        payments: [
          { date: day(29), amount: '2000.00' },
          { date: day(60), amount: '1999.99' },
        ],
      }).reasons[0],
    ).toContain('instalment 2');
    expect(rec(75, { lettersSent: [demand(8)], plan, payments: [{ date: day(29), amount: '4000.00' }] }).kind).toBe(
      null,
    );
  });

  it('a plan paid in full: nothing more', () => {
    expect(rec(95, { plan, payments: [{ date: day(20), amount: '5000.00' }] })).toMatchObject({ kind: null });
  });
});
