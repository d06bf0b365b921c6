/**
 * The plan's own cost (facts/plan-cost.ts): interest on the declining unpaid principal, day
 * count on the scheduled dates over 365, floored on the cumulative sum; the last instalment
 * absorbs the remainder. A hand-computed case, the rounding rule, and properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCalendar } from '../../../src/pipeline/facts/calendar.js';
import { effectiveRate, planCost, unpaidPrincipal } from '../../../src/pipeline/facts/plan-cost.js';
import { addMonths, planOptions, planSchedule } from '../../../src/pipeline/facts/plan-schedule.js';
import { addDays, daysBetween } from '../../../src/pipeline/schema/dates.js';

const cal = getCalendar();

describe('plan cost: a case computed by hand', () => {
  // 8,734.00 owed, 8,500.00 of it unpaid principal; 3 instalments from 2026-12-15, first due 15 days on, 10 % a year.
  const s = planSchedule(cal, 873400, 3, '2026-12-15', 15, {
    rateBp: 1000,
    base: { bearing: 850000, from: '2026-12-15' },
  });

  it('interest per period on min(unpaid principal, plan principal left), scheduled days / 365, floored cumulatively', () => {
    // Period 1: 850,000 × 15 days × 10 % / 365 = 3,493.15… → 3,493.
    // Period 2: 582,267 (873,400 − 291,133) × 31 days (12-30 → 01-30, the unmoved date) = 4,945.33…; cumulative 8,438.48… → 8,438 − 3,493 = 4,945.
    // Period 3: 291,134 × 29 days (01-30 → 02-28) = 2,313.11…; cumulative 10,751.59… → 10,751 − 8,438 = 2,313.
    expect(s.instalments.map((i) => [i.dueDate, i.principal, i.interest, i.amount])).toEqual([
      ['2026-12-30', 291133, 3493, 294626],
      ['2027-02-01', 291133, 4945, 296078],
      ['2027-03-01', 291134, 2313, 293447],
    ]);
    expect(s).toMatchObject({ principal: 873400, cost: 10751, total: 884151, rateBp: 1000 });
  });

  it('a moved due date (2027-01-30 is a Saturday → 02-01) costs no extra day', () => {
    expect(s.instalments[1]).toMatchObject({ moved: true });
    const unmoved = planCost(
      873400,
      [291133, 291133, 291134],
      ['2026-12-30', '2027-01-30', '2027-02-28'],
      { bearing: 850000, from: '2026-12-15' },
      1000,
    );
    expect(unmoved.lines.map((l) => l.days)).toEqual([15, 31, 29]);
    expect(unmoved.cost).toBe(s.cost);
  });

  it('rounds down once on the cumulative sum: the cost is ⌊exact cost⌋, never the sum of separately rounded periods', () => {
    // 1,000 fen at 1 bp for 365 days is 0.1 fen a period: per-period rounding would give 0 each time, the cumulative floor gives 1 fen in the 10th.
    const parts = Array.from({ length: 12 }, () => 0);
    const dates = Array.from({ length: 12 }, (_, k) => addDays('2026-01-01', 365 * (k + 1)));
    const c = planCost(1000, parts, dates, { bearing: 1000, from: '2026-01-01' }, 1);
    expect(c.lines.map((l) => l.interest)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(c.cost).toBe(1); // exact: 1.2 fen
  });

  it('the unpaid principal: payments go to costs, then interest, then principal', () => {
    const debt = {
      principal: 850000,
      interest: 25500,
      overdueInterest: 45900,
      penalty: 2000,
      fees: 0,
      paid: 50000,
      total: 873400,
    };
    expect(unpaidPrincipal(debt)).toBe(850000); // 500.00 paid covers part of 734.00 charges
    expect(unpaidPrincipal({ ...debt, paid: 80000, total: 843400 })).toBe(843400); // 800.00: 734.00 to charges, 66.00 to principal
  });
});

const arbitraryPlan = fc.record({
  total: fc.integer({ min: 1, max: 100_000_000_00 }),
  terms: fc.integer({ min: 2, max: 36 }),
  day: fc.integer({ min: 0, max: 364 }),
  firstDueDays: fc.integer({ min: 7, max: 60 }),
  bearingShare: fc.integer({ min: 0, max: 100 }),
  asOfBack: fc.integer({ min: 0, max: 30 }),
  rateBp: fc.integer({ min: 1, max: 2400 }),
});

describe('plan cost: properties', () => {
  it('the instalments sum to principal + cost; each is principal + interest; the cost is ⌊exact⌋ at most one fen under it', () => {
    fc.assert(
      fc.property(arbitraryPlan, (p) => {
        fc.pre(Math.floor(p.total / p.terms) > 0);
        const issueDate = addDays('2026-01-01', p.day);
        const base = { bearing: Math.floor((p.total * p.bearingShare) / 100), from: addDays(issueDate, -p.asOfBack) };
        const s = planSchedule(cal, p.total, p.terms, issueDate, p.firstDueDays, { rateBp: p.rateBp, base });
        expect(s.instalments.reduce((a, i) => a + i.amount, 0)).toBe(s.total);
        expect(s.total).toBe(s.principal + s.cost);
        expect(s.instalments.reduce((a, i) => a + i.principal, 0)).toBe(p.total);
        s.instalments.forEach((i) => {
          expect(i.amount).toBe(i.principal + i.interest);
          expect(i.interest).toBeGreaterThanOrEqual(0);
        });
        // The exact cost, as a rational: Σ balance × days × rate / (365 × 10,000), on the scheduled dates.
        let remaining = p.total;
        let prev = base.from;
        let exact = 0n;
        s.instalments.forEach((i, k) => {
          const scheduled = addMonths(addDays(issueDate, p.firstDueDays), k);
          exact += BigInt(Math.min(base.bearing, remaining)) * BigInt(daysBetween(prev, scheduled)) * BigInt(p.rateBp);
          remaining -= i.principal;
          prev = scheduled;
        });
        expect(BigInt(s.cost)).toBe(exact / 3_650_000n);
        // Paid on the (moved) due dates, the plan never costs more than its rate.
        const eff = effectiveRate(s.cost, s.principal, base.bearing, base.from, s.instalments);
        expect(eff.scaled <= BigInt(p.rateBp) * 10_000n).toBe(true);
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('costs nothing when interest stops', () => {
    fc.assert(
      fc.property(arbitraryPlan, (p) => {
        fc.pre(Math.floor(p.total / p.terms) > 0);
        const issueDate = addDays('2026-01-01', p.day);
        const [o] = planOptions(
          cal,
          p.total,
          { terms: [p.terms], firstDueDays: p.firstDueDays, minInstalment: 0, graceDays: 10, interest: 'stops' },
          issueDate,
          { bearing: p.total, from: issueDate },
        );
        expect(o).toMatchObject({ cost: 0, total: p.total, rateBp: 0 });
        expect(o!.instalments.every((i) => i.interest === 0)).toBe(true);
      }),
      { numRuns: 100, seed: 13 },
    );
  });

  it('the cost never falls as the rate or the number of instalments rises', () => {
    fc.assert(
      fc.property(
        arbitraryPlan,
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 12 }),
        (p, moreBp, moreTerms) => {
          fc.pre(Math.floor(p.total / (p.terms + moreTerms)) > 0);
          const issueDate = addDays('2026-01-01', p.day);
          const base = { bearing: Math.floor((p.total * p.bearingShare) / 100), from: addDays(issueDate, -p.asOfBack) };
          const cost = (terms: number, rateBp: number) =>
            planSchedule(cal, p.total, terms, issueDate, p.firstDueDays, { rateBp, base }).cost;
          expect(cost(p.terms, p.rateBp + moreBp)).toBeGreaterThanOrEqual(cost(p.terms, p.rateBp));
          expect(cost(p.terms + moreTerms, p.rateBp)).toBeGreaterThanOrEqual(cost(p.terms, p.rateBp));
        },
      ),
      { numRuns: 200, seed: 13 },
    );
  });

  it('refuses to price a plan that charges interest without knowing what it runs on', () => {
    expect(() =>
      planOptions(
        cal,
        100000,
        { terms: [3], firstDueDays: 15, minInstalment: 0, graceDays: 10, interest: 'continues', annualRateBp: 1000 },
        '2026-12-15',
      ),
    ).toThrow(RangeError);
  });
});
