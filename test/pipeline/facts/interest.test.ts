/** Issue 27 §3: interest and overdue interest a court would recompute and get the same. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annualLine, computeFigures, dailyLine } from '../../../src/pipeline/facts/interest.js';
import { figuresOf, lineText, reconcileFigures } from '../../../src/pipeline/facts/reconcile.js';
import { addDays, daysBetween } from '../../../src/pipeline/schema/dates.js';
import { parseLetter } from '../../../src/pipeline/schema/validate.js';
import { example, variant } from '../../helpers.js';

const base = {
  principal: 1_200_000,
  fees: 0,
  paid: 0,
  contractDate: '2025-06-01',
  dueDate: '2026-11-17',
  asOf: '2026-12-16',
  overdueDailyRate: 50_000, // 0.05 % a day
};

describe('computeFigures', () => {
  it('12,000.00 × 0.05 %/day × 29 days = 174.00 (lawyer-letter@3), with its basis', () => {
    const f = computeFigures(base);
    expect(f.overdueInterest).toBe(17_400);
    const line = f.lines.find((l) => l.item === 'overdueInterest')!;
    expect(line).toMatchObject({ base: 1_200_000, days: 29, from: '2026-11-17', to: '2026-12-16' });
    expect(lineText(line)).toBe('12,000.00元×日利率0.05%×29天（2026年11月18日至2026年12月16日）＝174.00元');
  });

  it('contract interest on a bullet loan: principal × rate × days ÷ 365 (or 360), rounded once', () => {
    const f = computeFigures({ ...base, annualRate: 18_000_000, contractDate: '2026-09-17' });
    // 12,000.00 × 18 % × 61 / 365 = 360.986… → 360.99
    expect(f.interest).toBe(36_099);
    expect(
      computeFigures({ ...base, annualRate: 18_000_000, contractDate: '2026-09-17', terms: { yearDays: 360 } })
        .interest,
    ).toBe(36_600);
  });

  it('scheduled interest is taken as agreed; overdue interest runs per instalment from its own due date', () => {
    const f = computeFigures({
      ...base,
      annualRate: 18_000_000,
      terms: {
        schedule: [
          { dueDate: '2026-10-17', principal: 600_000, interest: 18_000 },
          { dueDate: '2026-11-17', principal: 600_000, interest: 9_000 },
        ],
      },
    });
    expect(f.interest).toBe(27_000);
    // 6,000 × 0.05 % × 60 days + 6,000 × 0.05 % × 29 days = 180 + 87
    expect(f.overdueInterest).toBe(18_000 + 8_700);
  });

  it('a dated payment stops interest on what it pays, applied costs → interest → principal (第五百六十一条)', () => {
    // Paid 2,174.00 on 12-01: first the 14 days of overdue interest (84.00), then 2,090.00 of principal.
    const f = computeFigures({
      ...base,
      paid: 217_400,
      terms: { payments: [{ date: '2026-12-01', amount: 217_400 }] },
    });
    expect(f.overdueInterest).toBe(8_400 + dailyLine(1_200_000 - 209_000, 50_000, 15));
    // Agreed principal first: the whole payment reduces the principal.
    const g = computeFigures({
      ...base,
      paid: 217_400,
      terms: { payments: [{ date: '2026-12-01', amount: 217_400 }], paymentOrder: 'principal-first' },
    });
    expect(g.overdueInterest).toBe(8_400 + dailyLine(1_200_000 - 217_400, 50_000, 15));
  });

  it('an instalment not yet due owes only the interest accrued to the as-of date, and bears no overdue interest', () => {
    const f = computeFigures({
      ...base,
      annualRate: 18_000_000,
      contractDate: '2026-10-17',
      terms: {
        schedule: [
          { dueDate: '2026-11-17', principal: 600_000 },
          { dueDate: '2027-01-17', principal: 600_000 },
        ],
      },
    });
    // 12,000.00 for 31 days to 11-17, then 6,000.00 for the 29 days to the as-of date.
    expect(f.interest).toBe(annualLine(1_200_000, 18_000_000, 31, 365) + annualLine(600_000, 18_000_000, 29, 365));
    expect(f.overdueInterest).toBe(dailyLine(600_000, 50_000, 29));
    // A scheduled amount falls due with its instalment: none of it is owed before.
    const g = computeFigures({
      ...base,
      terms: { schedule: [{ dueDate: '2027-01-17', principal: 1_200_000, interest: 9_000 }] },
    });
    expect(g).toMatchObject({ interest: 0, overdueInterest: 0 });
  });

  it('compound interest only where agreed: overdue interest then runs on unpaid interest too', () => {
    const terms = { schedule: [{ dueDate: '2026-11-17', principal: 1_200_000, interest: 36_000 }] };
    expect(computeFigures({ ...base, terms }).overdueInterest).toBe(17_400);
    expect(computeFigures({ ...base, terms: { ...terms, compounding: 'agreed' } }).overdueInterest).toBe(
      dailyLine(1_236_000, 50_000, 29),
    );
  });

  it('the contract rate continuing after the due date adds to the interest, with its own line', () => {
    const f = computeFigures({
      ...base,
      annualRate: 18_000_000,
      contractRateAfterDue: 'continues',
      terms: { interestFrom: '2026-10-17' },
    });
    expect(f.interest).toBe(annualLine(1_200_000, 18_000_000, 31, 365) + annualLine(1_200_000, 18_000_000, 29, 365));
  });

  it('is exact: every line is base × rate × days rounded half up once, and the total is their sum (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_00 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 2000 }),
        (principal, dailyRate, days) => {
          const f = computeFigures({
            ...base,
            principal,
            overdueDailyRate: dailyRate,
            asOf: addDays(base.dueDate, days),
          });
          const exact = (BigInt(principal) * BigInt(dailyRate) * BigInt(days) * 2n + 100_000_000n) / 200_000_000n;
          expect(f.overdueInterest).toBe(Number(exact));
          expect(f.lines.every((l) => daysBetween(l.from, l.to) === l.days)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('reconcileFigures: a caller’s figure against its own terms', () => {
  const letter = (mutate: (x: any) => void) =>
    parseLetter(
      variant(example('lawyer-letter', 5), (x) => {
        delete x.debt.total;
        mutate(x);
      }),
      { today: '2026-12-16' },
    );

  it('a 29-day overdue with 84.00 stated is found, naming the field and the figure that follows', () => {
    const issues = reconcileFigures(letter((x) => (x.debt.overdueInterest = '84.00')));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'debt.overdueInterest', code: 'FIGURES_MISMATCH' });
    expect(issues[0]!.message).toContain('174.00');
  });

  it('one fen per computed line is rounding; two are not', () => {
    expect(reconcileFigures(letter((x) => (x.debt.overdueInterest = '174.01')))).toEqual([]);
    expect(reconcileFigures(letter((x) => (x.debt.overdueInterest = '174.02')))).toHaveLength(1);
  });

  it('instalments and payments must add up to the principal and the paid amount', () => {
    const issues = reconcileFigures(
      letter((x) => {
        x.terms.payments = [{ date: '2026-12-01', amount: '100.00' }];
        x.terms.schedule[1].principal = '11000.00';
      }),
    );
    expect(issues.map((i) => i.code).sort()).toEqual(['FIGURES_MISMATCH', 'PAYMENTS_MISMATCH', 'PRINCIPAL_MISMATCH']);
  });

  it('every example of every version reconciles', () => {
    for (const [kind, versions] of [
      ['reminder', [1, 2, 3]],
      ['demand', [1, 2, 3, 4, 5]],
      ['lawyer-letter', [1, 2, 3, 4, 5]],
      ['plan-confirmation', [1, 2, 3]],
    ] as const) {
      for (const v of versions) {
        const x = example(kind, v);
        const data = parseLetter(x, { today: x.issueDate });
        expect(reconcileFigures(data, figuresOf(data)), `${kind}@${v}`).toEqual([]);
      }
    }
  });
});
