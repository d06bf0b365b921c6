import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCalendar, isRestDay } from '../../../src/pipeline/facts/calendar.js';
import { fenToFigures } from '../../../src/pipeline/facts/format.js';
import { unpaidPrincipal } from '../../../src/pipeline/facts/plan-cost.js';
import { addMonths, type PlanSchedule, planOptions, planSchedule } from '../../../src/pipeline/facts/plan-schedule.js';
import { renderLetter } from '../../../src/pipeline/index.js';
import { addDays } from '../../../src/pipeline/schema/dates.js';
import { specimenSeals } from '../../../src/pipeline/seals.js';
import { example, variant } from '../../helpers.js';
import { readPdf } from '../pdf/extract.js';

const cal = getCalendar();
const dateText = (iso: string) =>
  `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;

describe('addMonths', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-01-31', 2, '2026-03-31'],
    ['2024-01-30', 1, '2024-02-29'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-05-10', 0, '2026-05-10'],
  ])('%s + %i months = %s', (from, n, to) => expect(addMonths(from, n)).toBe(to));
});

describe('plan schedules', () => {
  it('known case: the last instalment absorbs the remainder, rest days move to the next working day', () => {
    const s = planSchedule(cal, 873400, 3, '2026-12-15', 15);
    expect(s.instalments.map((i) => [i.dueDate, i.amount, i.moved])).toEqual([
      ['2026-12-30', 291133, false],
      ['2027-02-01', 291133, true],
      ['2027-03-01', 291134, true],
    ]);
    // 2026-10-01 (国庆) moves to 10-08; the next month is counted from the 1st, not from the 8th.
    const golden = planSchedule(cal, 100, 2, '2026-09-16', 15);
    expect(golden.instalments.map((i) => i.dueDate)).toEqual(['2026-10-08', '2026-11-02']);
  });

  it('for 200 random totals, terms and rates: sums exactly to principal + cost, never a rest day, only the last principal differs, dates increase', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000_00 }),
        fc.integer({ min: 2, max: 36 }),
        fc.integer({ min: 0, max: 364 }),
        fc.integer({ min: 7, max: 60 }),
        // Half the plans stop interest (rate 0), half charge up to 24 % a year.
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2400 })),
        fc.integer({ min: 0, max: 100 }),
        (total, terms, dayOfYear, firstDueDays, rateBp, bearingShare) => {
          fc.pre(Math.floor(total / terms) > 0);
          const issueDate = addDays('2026-01-01', dayOfYear);
          const cost =
            rateBp > 0
              ? { rateBp, base: { bearing: Math.floor((total * bearingShare) / 100), from: issueDate } }
              : undefined;
          const s = planSchedule(cal, total, terms, issueDate, firstDueDays, cost);
          expect(s.instalments).toHaveLength(terms);
          expect(s.instalments.reduce((a, i) => a + i.principal, 0)).toBe(total);
          expect(s.instalments.reduce((a, i) => a + i.amount, 0)).toBe(s.total);
          expect(s.total).toBe(total + s.cost);
          if (rateBp === 0) expect(s.cost).toBe(0);
          const base = Math.floor(total / terms);
          s.instalments.slice(0, -1).forEach((i) => expect(i.principal).toBe(base));
          expect(s.instalments.at(-1)!.principal - base).toBeGreaterThanOrEqual(0);
          expect(s.instalments.at(-1)!.principal - base).toBeLessThan(terms);
          s.instalments.forEach((i, k) => {
            expect(i.amount).toBe(i.principal + i.interest);
            expect(Number.isInteger(i.amount)).toBe(true);
            expect(isRestDay(cal, i.dueDate), i.dueDate).toBe(false);
            if (k > 0) expect(i.dueDate > s.instalments[k - 1]!.dueDate).toBe(true);
            // Never earlier than its scheduled day, and moved at most past one holiday block (a year
            // without a notice has longer, conservative blocks: 春节 2028 runs 01-22 to 02-01).
            const scheduled = addMonths(addDays(issueDate, firstDueDays), k);
            expect(i.dueDate >= scheduled && i.dueDate <= addDays(scheduled, 12)).toBe(true);
          });
        },
      ),
      { numRuns: 200, seed: 13 },
    );
  });

  it('leaves out options whose instalment is below the minimum', () => {
    const opts = planOptions(
      cal,
      150000,
      { terms: [3, 6, 12], firstDueDays: 15, minInstalment: 20000, graceDays: 10 },
      '2026-12-15',
    );
    expect(opts.map((o) => o.terms)).toEqual([3, 6]);
  });
});

/** The attachment's tables as read back from the PDF: per option, [label, date text, amount] rows, then its cost rows (from version 4). */
async function attachmentTables(pdf: Buffer): Promise<string[][][]> {
  const { lines } = await readPdf(pdf);
  const texts = lines.map((l) => l.text.replace(/\s+/g, ''));
  const start = texts.indexOf('附件：分期还款方案');
  const tables: string[][][] = [];
  for (const t of texts.slice(start)) {
    if (/^方案\d+：分\d+期/.test(t)) tables.push([]);
    const m =
      /^第(\d+)期(\d{4}年\d{1,2}月\d{1,2}日)([\d,]+\.\d{2})$/.exec(t) ??
      /^(其中：分期本金)()([\d,]+\.\d{2})$/.exec(t) ??
      /^(方案成本（利息）)(年利率[\d.]+%)([\d,]+\.\d{2})$/.exec(t) ??
      /^(方案成本)(分期期间不另计逾期利息)([\d,]+\.\d{2})$/.exec(t) ??
      /^(应还总额)(\d+期)([\d,]+\.\d{2})$/.exec(t);
    if (m && tables.length) tables.at(-1)!.push([/^\d+$/.test(m[1]!) ? `第${m[1]}期` : m[1]!, m[2]!, m[3]!]);
  }
  return tables;
}

/** The rows the attachment of demand@4 / lawyer-letter@4 prints for an option: its instalments, its cost, the total to repay. */
function expectedTable(o: PlanSchedule): string[][] {
  const rows = o.instalments.map((i) => [`第${i.no}期`, dateText(i.dueDate), fenToFigures(i.amount)]);
  const cost =
    o.rateBp > 0
      ? [
          ['其中：分期本金', '', fenToFigures(o.principal)],
          ['方案成本（利息）', `年利率${o.rateBp / 100}%`, fenToFigures(o.cost)],
        ]
      : [['方案成本', '分期期间不另计逾期利息', '0.00']];
  return [...rows, ...cost, ['应还总额', `${o.terms}期`, fenToFigures(o.total)]];
}

describe('the attachment 附件：分期还款方案 matches the schedule', () => {
  const base = example('demand', 3);
  // Rendering and parsing a PDF takes a while: a smaller random sample than the pure property.
  it("for random totals and terms, every option's table in the PDF is the computed schedule", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100_00, max: 2_000_000_00 }),
        fc.uniqueArray(fc.integer({ min: 2, max: 36 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 7, max: 60 }),
        async (principal, terms, firstDueDays) => {
          const sorted = [...terms].sort((a, b) => a - b);
          const input = variant(base, (x) => {
            x.debt = {
              principal: fenToFigures(principal).replace(/,/g, ''),
              interest: '0.00',
              overdueInterest: '0.00',
              penalty: '0.00',
              paid: '0.00',
            };
            delete x.terms; // the example's instalments are of its own debt, not this random one
            x.plans = { terms: sorted, firstDueDays, minInstalment: '0.00', graceDays: 10 };
          });
          const r = await renderLetter(input, { today: input.issueDate, seals: specimenSeals });
          const expected = planOptions(
            cal,
            principal,
            { terms: sorted, firstDueDays, minInstalment: 0, graceDays: 10 },
            input.issueDate,
          ).map((o) => o.instalments.map((i) => [`第${i.no}期`, dateText(i.dueDate), fenToFigures(i.amount)]));
          expect(await attachmentTables(r.pdf)).toEqual(expected);
        },
      ),
      { numRuns: 8, seed: 13 },
    );
  }, 120_000);
});

describe("the attachment of demand@4 states every option's cost and total to repay, as computed", () => {
  const base = example('demand', 4);
  it("for random debts, terms and rates (or interest stopping), the PDF's tables are the computed schedules with their cost rows", async () => {
    await fc.assert(
      fc.asyncProperty(
        // Contract interest up to a tenth of the principal: within the contract's own cap, so only the plan is in question.
        fc.integer({ min: 100_00, max: 2_000_000_00 }),
        fc.integer({ min: 0, max: 100 }),
        fc.uniqueArray(fc.integer({ min: 2, max: 36 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 7, max: 60 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2400 })),
        async (principal, perMille, terms, firstDueDays, rateBp) => {
          const interest = Math.floor((principal * perMille) / 1000);
          const sorted = [...terms].sort((a, b) => a - b);
          const input = variant(base, (x) => {
            x.debt = {
              principal: fenToFigures(principal).replace(/,/g, ''),
              interest: fenToFigures(interest).replace(/,/g, ''),
              overdueInterest: '0.00',
              penalty: '0.00',
              paid: '0.00',
            };
            x.account.annualRate = '0.24';
            delete x.terms; // the example's instalments are of its own debt, not this random one
            x.plans = {
              terms: sorted,
              firstDueDays,
              minInstalment: '0.00',
              graceDays: 10,
              ...(rateBp > 0 ? { interest: 'continues', annualRateBp: rateBp } : {}),
            };
          });
          const r = await renderLetter(input, { today: input.issueDate, seals: specimenSeals });
          const plan = {
            terms: sorted,
            firstDueDays,
            minInstalment: 0,
            graceDays: 10,
            interest: rateBp > 0 ? ('continues' as const) : ('stops' as const),
            annualRateBp: rateBp || undefined,
          };
          const debt = {
            principal,
            interest,
            overdueInterest: 0,
            penalty: 0,
            fees: 0,
            paid: 0,
            total: principal + interest,
          };
          const expected = planOptions(cal, principal + interest, plan, input.issueDate, {
            bearing: unpaidPrincipal(debt),
            from: input.asOf,
          }).map(expectedTable);
          expect(await attachmentTables(r.pdf)).toEqual(expected);
        },
      ),
      { numRuns: 8, seed: 13 },
    );
  }, 120_000);
});
