/**
 * Repayment plan schedules (分期还款方案), computed exactly in integer fen.
 *
 * Amounts: every instalment is ⌊total / n⌋ fen and the last one absorbs the remainder, so the
 * instalments always sum to the plan total and only the last differs (by less than n fen). A
 * debtor reads "the same amount each month, the last a little more", which is what creditors'
 * statements print.
 *
 * Dates: the first instalment falls due `firstDueDays` days after the offer letter's issue date;
 * each later one on the same day of the following months (the 31st becomes the month's last day).
 * Every due date that is a statutory rest day moves to the next working day, as deadlines do
 * (rules/holidays.json). Months are counted from the unmoved anchor, so one moved date never
 * shifts the ones after it.
 *
 * Cost: the amounts above are the plan *principal* (the debt's total). When interest continues
 * under the plan, each instalment adds the interest of its period (plan-cost.ts) and the plan's
 * total is principal + cost; when it stops, the cost is 0 and nothing changes.
 */
import { addDays } from '../schema/dates.js';
import { type Calendar, hasYear, isRestDay } from './calendar.js';
import { type CostBase, planCost } from './plan-cost.js';

export interface PlanTerms {
  /** Numbers of monthly instalments offered, one option each (e.g. [3, 6, 12]). */
  terms: number[];
  /** The first instalment falls due this many days after the issue date. */
  firstDueDays: number;
  /** Options whose regular instalment would be smaller than this (fen) are not offered. */
  minInstalment: number;
  /** Days after a due date before a missed instalment counts (the policy reads it). */
  graceDays: number;
  /** Whether interest keeps running under the plan (default: it stops); its annual rate in basis points when it does. */
  interest?: 'stops' | 'continues';
  annualRateBp?: number;
}

/** `amount` = `principal` + `interest`: what the debtor pays, and its split. */
export interface Instalment {
  no: number;
  dueDate: string;
  amount: number;
  principal: number;
  interest: number;
  moved: boolean;
}
export interface PlanSchedule {
  terms: number;
  /** The plan principal (the debt's total), the plan's own cost, and their sum: what the instalments add up to. */
  principal: number;
  cost: number;
  total: number;
  /** The plan's annual rate in basis points; 0 when interest stops. */
  rateBp: number;
  instalments: Instalment[];
}

/** The rate a plan charges: 0 unless interest continues. */
export const planRateBp = (plan: Pick<PlanTerms, 'interest' | 'annualRateBp'>): number =>
  plan.interest === 'continues' ? (plan.annualRateBp ?? 0) : 0;

/** The day `months` months after `iso`, on the same day of the month or the month's last day. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function nextWorkingDay(cal: Calendar, iso: string): string {
  let date = iso;
  while (isRestDay(cal, date)) date = addDays(date, 1);
  return date;
}

/**
 * One option: n instalments of a plan principal (fen) from an issue date; with a rate and a
 * cost base (the interest-bearing principal and the day interest runs from), each instalment
 * also carries its period's interest.
 */
export function planSchedule(
  cal: Calendar,
  total: number,
  terms: number,
  issueDate: string,
  firstDueDays: number,
  cost?: { rateBp: number; base: CostBase },
): PlanSchedule {
  if (!Number.isSafeInteger(total) || total <= 0)
    throw new RangeError('a plan total is a positive integer number of fen');
  if (!Number.isInteger(terms) || terms < 1) throw new RangeError('a plan has at least one instalment');
  const base = Math.floor(total / terms);
  const anchor = addDays(issueDate, firstDueDays);
  const scheduled = Array.from({ length: terms }, (_, k) => addMonths(anchor, k));
  const parts = scheduled.map((_, k) => (k === terms - 1 ? total - base * (terms - 1) : base));
  const rateBp = cost?.rateBp ?? 0;
  const interest =
    rateBp > 0
      ? planCost(total, parts, scheduled, cost!.base, rateBp).lines.map((l) => l.interest)
      : parts.map(() => 0);
  const instalments: Instalment[] = scheduled.map((date, k) => {
    const dueDate = nextWorkingDay(cal, date);
    return {
      no: k + 1,
      dueDate,
      amount: parts[k]! + interest[k]!,
      principal: parts[k]!,
      interest: interest[k]!,
      moved: dueDate !== date,
    };
  });
  const planCostFen = interest.reduce((s, i) => s + i, 0);
  return { terms, principal: total, cost: planCostFen, total: total + planCostFen, rateBp, instalments };
}

/** The options a letter offers: those whose regular instalment reaches the minimum, in the order configured. */
export function planOptions(
  cal: Calendar,
  total: number,
  plan: PlanTerms,
  issueDate: string,
  base?: CostBase,
): PlanSchedule[] {
  const rateBp = planRateBp(plan);
  if (rateBp > 0 && !base)
    throw new RangeError(
      'a plan that charges interest needs its cost base (the unpaid principal and the day interest runs from)',
    );
  return plan.terms
    .filter((n) => Math.floor(total / n) >= plan.minInstalment && Math.floor(total / n) > 0)
    .map((n) =>
      planSchedule(cal, total, n, issueDate, plan.firstDueDays, rateBp > 0 ? { rateBp, base: base! } : undefined),
    );
}

/** Years a schedule reaches whose holiday notice is not in rules/holidays.json (conservative rest days there). */
export function unknownYears(cal: Calendar, schedules: PlanSchedule[]): number[] {
  const years = new Set<number>();
  for (const s of schedules)
    for (const i of s.instalments) if (!hasYear(cal, i.dueDate)) years.add(Number(i.dueDate.slice(0, 4)));
  return [...years].sort();
}
