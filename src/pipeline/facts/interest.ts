/**
 * Interest and overdue interest from the contract terms, the instalments and the payments, as
 * of a date — the figures a court would recompute (issue 27). Simple daily interest; compound
 * interest only where the input says it was agreed.
 *
 * Money is integer fen; rates are integers scaled by 1e8 (schema/money.ts). Every line is an
 * exact fraction (BigInt) rounded once, half up, to the fen: base (fen) × rate × days ÷ (1e8 ×
 * year days) for the contract rate, base × daily rate × days ÷ 1e8 for overdue interest. A
 * figure may therefore differ from the exact sum by at most half a fen per line: that, and no
 * more, is "rounding" when a caller's figure is compared (reconcile.ts).
 *
 * Days: a period counts from its first day exclusive to its last day inclusive (formats.md):
 * due 11-17, as of 12-16 → 29 days. A payment on day p stops the interest on what it pays from
 * the day after p. Payments are applied as 民法典 第五百六十一条 presumes — costs (fees), then
 * interest (contract and overdue, oldest first), then principal (oldest instalment first) —
 * unless the input says the contract agreed principal first.
 */

import { byCodeUnits } from '../../shared/order.js';
import { daysBetween } from '../schema/dates.js';
import { RATE_SCALE } from '../schema/money.js';
import type { Terms } from '../schema/terms.js';

export interface FigureLine {
  item: 'interest' | 'overdueInterest';
  /** The instalment's due date the line belongs to. */
  dueDate: string;
  /** The period: from (exclusive) to (inclusive). */
  from: string;
  to: string;
  days: number;
  /** The amount the rate runs on (fen). */
  base: number;
  /** Rate × 1e8: per year (contract rate, with yearDays) or per day (overdue). */
  rate: number;
  per: 'year' | 'day';
  yearDays: 365 | 360;
  amount: number;
  /** Taken from the repayment schedule as agreed, not computed. */
  scheduled: boolean;
}

export interface FiguresInput {
  principal: number;
  fees: number;
  paid: number;
  contractDate: string;
  dueDate: string;
  asOf: string;
  annualRate?: number;
  overdueDailyRate?: number;
  contractRateAfterDue?: 'stops' | 'continues';
  terms?: Terms;
}

export interface Figures {
  interest: number;
  overdueInterest: number;
  lines: FigureLine[];
  /** The principal of the instalments claimed. */
  principal: number;
  /** Payments had no dates: they were taken as made on the as-of date (no effect on interest before it). */
  undatedPayments: boolean;
  paymentsTotal: number;
  yearDays: 365 | 360;
  /**
   * The principal actually in use (实际占用的贷款本金) over time, from the day interest starts to
   * the as-of date: each segment (from exclusive, to inclusive) with the principal owed in it.
   * The caps annualise the total cost over it (人民银行公告〔2021〕第3号).
   */
  usage: { from: string; to: string; principal: number }[];
}

const SCALE = BigInt(RATE_SCALE);

/** n / d rounded half up (n, d ≥ 0). */
function roundHalfUp(n: bigint, d: bigint): number {
  return Number((2n * n + d) / (2n * d));
}

export function annualLine(base: number, rate: number, days: number, yearDays: number): number {
  return roundHalfUp(BigInt(base) * BigInt(rate) * BigInt(days), SCALE * BigInt(yearDays));
}
export function dailyLine(base: number, rate: number, days: number): number {
  return roundHalfUp(BigInt(base) * BigInt(rate) * BigInt(days), SCALE);
}

interface Instalment {
  dueDate: string;
  principal: number;
  /** Unpaid principal and contract interest, as payments come in. */
  owedPrincipal: number;
  owedInterest: number;
  interest: number;
  scheduled: boolean;
}

export function computeFigures(f: FiguresInput): Figures {
  const t = f.terms ?? {};
  const yearDays = t.yearDays ?? 365;
  const rate = f.annualRate ?? 0;
  const lines: FigureLine[] = [];
  const schedule = (t.schedule ?? [{ dueDate: f.dueDate, principal: f.principal }])
    .slice()
    .sort((a, b) => byCodeUnits(a.dueDate, b.dueDate));

  // Contract interest of each instalment: as scheduled, or on the principal still outstanding
  // (this and every later instalment) from the previous due date (or interestFrom).
  let from = t.interestFrom ?? f.contractDate;
  let outstanding = schedule.reduce((s, i) => s + i.principal, 0);
  const instalments: Instalment[] = schedule.map((s) => {
    let interest = 0;
    // An instalment not yet due on the as-of date owes only the interest accrued to it (none
    // of a scheduled amount, which falls due with the instalment).
    const to = [s.dueDate, f.asOf].sort()[0]!;
    if (s.interest !== undefined) {
      if (s.dueDate <= f.asOf) interest = s.interest;
      if (interest > 0)
        lines.push({
          ...line('interest', s.dueDate, from, s.dueDate, outstanding, rate, 'year', yearDays),
          amount: interest,
          scheduled: true,
        });
    } else {
      const days = Math.max(0, daysBetween(from, to));
      interest = rate > 0 && days > 0 ? annualLine(outstanding, rate, days, yearDays) : 0;
      if (interest > 0)
        lines.push({
          ...line('interest', s.dueDate, from, to, outstanding, rate, 'year', yearDays),
          amount: interest,
          scheduled: false,
        });
    }
    outstanding -= s.principal;
    if (s.dueDate > from) from = s.dueDate;
    return {
      dueDate: s.dueDate,
      principal: s.principal,
      owedPrincipal: s.principal,
      owedInterest: interest,
      interest,
      scheduled: false,
    };
  });

  // After each due date, up to asOf: overdue interest on the unpaid principal (and on unpaid
  // interest where compounding was agreed), and the contract rate where it continues.
  const payments = (t.payments ?? []).filter((p) => p.date <= f.asOf).sort((a, b) => byCodeUnits(a.date, b.date));
  const undatedPayments = !t.payments && f.paid > 0;
  let feesOwed = f.fees;
  let overdueOwed = 0;
  const cursor = new Map(instalments.map((i) => [i, i.dueDate]));
  const accrue = (to: string) => {
    for (const i of instalments) {
      const start = cursor.get(i)!;
      if (to <= start) continue;
      const days = daysBetween(start, to);
      const base = i.owedPrincipal + (t.compounding === 'agreed' ? i.owedInterest : 0);
      if (f.overdueDailyRate && base > 0) {
        const amount = dailyLine(base, f.overdueDailyRate, days);
        overdueOwed += amount;
        lines.push({
          ...line('overdueInterest', i.dueDate, start, to, base, f.overdueDailyRate, 'day', yearDays),
          amount,
          scheduled: false,
        });
      }
      if (f.contractRateAfterDue === 'continues' && rate > 0 && i.owedPrincipal > 0) {
        const amount = annualLine(i.owedPrincipal, rate, days, yearDays);
        i.owedInterest += amount;
        i.interest += amount;
        lines.push({
          ...line('interest', i.dueDate, start, to, i.owedPrincipal, rate, 'year', yearDays),
          amount,
          scheduled: false,
        });
      }
      cursor.set(i, to);
    }
  };
  const start = t.interestFrom ?? f.contractDate;
  const usage: Figures['usage'] = [];
  let usedFrom = start;
  const owedPrincipal = () => instalments.reduce((s, i) => s + i.owedPrincipal, 0);
  const use = (to: string) => {
    if (to > usedFrom) usage.push({ from: usedFrom, to, principal: owedPrincipal() });
    if (to > usedFrom) usedFrom = to;
  };
  for (const p of payments) {
    use(p.date);
    accrue(p.date);
    let left = p.amount;
    const take = (owed: number) => {
      const x = Math.min(owed, left);
      left -= x;
      return x;
    };
    const due = instalments.filter((i) => i.dueDate <= p.date);
    const payInterest = () => {
      overdueOwed -= take(overdueOwed);
      for (const i of due) i.owedInterest -= take(i.owedInterest);
    };
    const payPrincipal = () => {
      for (const i of [...due, ...instalments.filter((x) => x.dueDate > p.date)])
        i.owedPrincipal -= take(i.owedPrincipal);
    };
    if (t.paymentOrder === 'principal-first') {
      payPrincipal();
      payInterest();
      feesOwed -= take(feesOwed);
    } else {
      feesOwed -= take(feesOwed);
      payInterest();
      payPrincipal();
    }
  }
  accrue(f.asOf);
  use(f.asOf);

  const sum = (item: FigureLine['item']) => lines.filter((l) => l.item === item).reduce((s, l) => s + l.amount, 0);
  return {
    interest: sum('interest'),
    overdueInterest: sum('overdueInterest'),
    lines,
    principal: instalments.reduce((s, i) => s + i.principal, 0),
    undatedPayments,
    paymentsTotal: (t.payments ?? []).reduce((s, p) => s + p.amount, 0),
    yearDays,
    usage,
  };
}

function line(
  item: FigureLine['item'],
  dueDate: string,
  from: string,
  to: string,
  base: number,
  rate: number,
  per: 'year' | 'day',
  yearDays: 365 | 360,
): Omit<FigureLine, 'amount' | 'scheduled'> {
  return { item, dueDate, from, to, days: Math.max(0, daysBetween(from, to)), base, rate, per, yearDays };
}
