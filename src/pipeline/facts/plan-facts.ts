/**
 * The facts a template prints for repayment plans, the previous letter and an accepted plan.
 * Plan options are computed here from the creditor's terms (plan-schedule.ts), never typed in,
 * so the attachment's table and the schedule a debtor accepts are the same numbers.
 */

import { addDays } from '../schema/dates.js';
import { KIND_TITLES } from '../schema/kinds.js';
import { RATE_SCALE } from '../schema/money.js';
import type { Calendar } from './calendar.js';
import { calendarWarning } from './calendar.js';
import { fenToCapitals } from './capitals.js';
import { dateArabic, dateHan, fenToFigures, rateToPercent } from './format.js';
import { type CostBase, unpaidPrincipal } from './plan-cost.js';
import { type PlanTerms, planOptions, planRateBp, unknownYears } from './plan-schedule.js';

type CollectionKind = 'reminder' | 'demand' | 'lawyer-letter';

const date = (iso: string) => ({ iso, text: dateArabic(iso), han: dateHan(iso) });
const money = (fen: number) => ({
  fen,
  figures: fenToFigures(fen),
  yuan: `${fenToFigures(fen)}元`,
  capitals: fenToCapitals(fen),
});

function rowsOf(instalments: { dueDate: string; amount: number; interest?: number }[]) {
  return instalments.map((i, k) => ({
    no: k + 1,
    label: `第${k + 1}期`,
    dueDate: date(i.dueDate),
    amount: money(i.amount),
    // The split a costed plan prints: what goes to the plan principal and the period's interest.
    principal: money(i.amount - (i.interest ?? 0)),
    interest: money(i.interest ?? 0),
  }));
}

/** What a plan's cost is computed on: the debt's unpaid principal, from its as-of date (plan-cost.ts). */
export function planCostBase(v: { asOf: string; debt: Parameters<typeof unpaidPrincipal>[0] }): CostBase {
  return { bearing: unpaidPrincipal(v.debt), from: v.asOf };
}

/** The rate as printed: “12%”, “7.25%”. */
const ratePercent = (bp: number) => rateToPercent(bp * (RATE_SCALE / 10_000));

export function planFacts(
  cal: Calendar,
  total: number,
  terms: PlanTerms,
  issueDate: string,
  warnings: { code: string; message: string }[],
  base?: CostBase,
) {
  const options = planOptions(cal, total, terms, issueDate, base);
  const rateBp = planRateBp(terms);
  for (const y of unknownYears(cal, options)) {
    warnings.push(calendarWarning(y, { zh: '分期还款日', en: 'plan due dates' }));
  }
  return {
    /** "3、6、12": the options' numbers of instalments, for the sentence that offers them. */
    termsText: options.map((o) => o.terms).join('、'),
    firstDue: date(options[0]?.instalments[0]?.dueDate ?? issueDate),
    graceDays: terms.graceDays,
    total: money(total),
    /** Null when interest stops under the plan (「分期期间不另计逾期利息」); else the rate, the first day it runs (the day after the as-of date) and the principal it runs on. */
    cost:
      rateBp > 0
        ? { rate: ratePercent(rateBp), rateBp, from: date(addDays(base!.from, 1)), bearing: money(base!.bearing) }
        : null,
    options: options.map((o, i) => ({
      no: i + 1,
      terms: o.terms,
      title: `方案${i + 1}：分${o.terms}期`,
      regular: money(o.instalments[0]!.amount),
      last: money(o.instalments.at(-1)!.amount),
      total: money(o.total),
      principal: money(o.principal),
      cost: money(o.cost),
      /** Whether interest runs under this option, and its rate as printed (“10%”); inside `each` a template cannot reach plans.cost. */
      costed: rateBp > 0,
      rate: rateBp > 0 ? ratePercent(rateBp) : null,
      rows: rowsOf(o.instalments),
    })),
  };
}

export function previousFacts(p: {
  kind: CollectionKind;
  number: string;
  issueDate: string;
  sender: 'self' | 'other';
}) {
  return {
    kind: p.kind,
    kindTitle: KIND_TITLES[p.kind],
    number: p.number,
    issueDate: date(p.issueDate),
    bySelf: p.sender === 'self',
  };
}

export function acceptedPlanFacts(p: {
  offer: { kind: CollectionKind; number: string; issueDate: string };
  acceptedOn: string;
  graceDays: number;
  instalments: { dueDate: string; amount: number; interest?: number }[];
  cost?: { annualRateBp: number; from: string };
}) {
  const total = p.instalments.reduce((s, i) => s + i.amount, 0);
  const interest = p.instalments.reduce((s, i) => s + (i.interest ?? 0), 0);
  return {
    /** What the plan costs beyond the debt (null: nothing — interest stops under it), and the debt part of the total. */
    cost: p.cost
      ? {
          rate: ratePercent(p.cost.annualRateBp),
          rateBp: p.cost.annualRateBp,
          from: date(addDays(p.cost.from, 1)),
          amount: money(interest),
        }
      : null,
    principal: money(total - interest),
    offer: { kindTitle: KIND_TITLES[p.offer.kind], number: p.offer.number, issueDate: date(p.offer.issueDate) },
    acceptedOn: date(p.acceptedOn),
    graceDays: p.graceDays,
    terms: p.instalments.length,
    total: money(total),
    firstDue: date(p.instalments[0]!.dueDate),
    lastDue: date(p.instalments.at(-1)!.dueDate),
    rows: rowsOf(p.instalments),
  };
}
