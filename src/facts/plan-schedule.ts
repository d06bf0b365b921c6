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
 */
import { addDays } from '../schema/dates.js';
import { hasYear, isRestDay, type Calendar } from './calendar.js';

export interface PlanTerms {
  /** Numbers of monthly instalments offered, one option each (e.g. [3, 6, 12]). */
  terms: number[];
  /** The first instalment falls due this many days after the issue date. */
  firstDueDays: number;
  /** Options whose regular instalment would be smaller than this (fen) are not offered. */
  minInstalment: number;
  /** Days after a due date before a missed instalment counts (the policy reads it). */
  graceDays: number;
}

export interface Instalment { no: number; dueDate: string; amount: number; moved: boolean }
export interface PlanSchedule { terms: number; total: number; instalments: Instalment[] }

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

/** One option: n instalments of a total (fen) from an issue date. */
export function planSchedule(cal: Calendar, total: number, terms: number, issueDate: string, firstDueDays: number): PlanSchedule {
  if (!Number.isSafeInteger(total) || total <= 0) throw new RangeError('a plan total is a positive integer number of fen');
  if (!Number.isInteger(terms) || terms < 1) throw new RangeError('a plan has at least one instalment');
  const base = Math.floor(total / terms);
  const anchor = addDays(issueDate, firstDueDays);
  const instalments: Instalment[] = [];
  for (let k = 0; k < terms; k++) {
    const scheduled = addMonths(anchor, k);
    const dueDate = nextWorkingDay(cal, scheduled);
    const amount = k === terms - 1 ? total - base * (terms - 1) : base;
    instalments.push({ no: k + 1, dueDate, amount, moved: dueDate !== scheduled });
  }
  return { terms, total, instalments };
}

/** The options a letter offers: those whose regular instalment reaches the minimum, in the order configured. */
export function planOptions(cal: Calendar, total: number, plan: PlanTerms, issueDate: string): PlanSchedule[] {
  return plan.terms
    .filter((n) => Math.floor(total / n) >= plan.minInstalment && Math.floor(total / n) > 0)
    .map((n) => planSchedule(cal, total, n, issueDate, plan.firstDueDays));
}

/** Years a schedule reaches whose holiday notice is not in rules/holidays.json (weekends only there). */
export function unknownYears(cal: Calendar, schedules: PlanSchedule[]): number[] {
  const years = new Set<number>();
  for (const s of schedules) for (const i of s.instalments) if (!hasYear(cal, i.dueDate)) years.add(Number(i.dueDate.slice(0, 4)));
  return [...years].sort();
}
