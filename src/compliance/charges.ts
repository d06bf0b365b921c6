/**
 * Interest and charge caps (letters.md): 24 % a year for licensed lenders; for private lending
 * 4 × the one-year LPR in force when the contract was made. Compared exactly in integers
 * (rates scaled by 1e8, money in fen) — no floats decide whether a charge is lawful.
 */
import { makeIssue, type Issue } from '../errors.js';
import { rateToPercent } from '../facts/format.js';
import { daysBetween } from '../schema/dates.js';
import type { LetterData } from '../schema/validate.js';
import type { RateTable } from './rules.js';

export interface Cap {
  scaled: number;
  basis: string;
}

export function capFor(data: LetterData, rates: RateTable): Cap | { error: Issue } {
  if (data.account.lenderType === 'licensed') return { scaled: rates.licensedCap, basis: `持牌机构年化 ${rateToPercent(rates.licensedCap)} / licensed lender ${rateToPercent(rates.licensedCap)} a year` };
  const lpr = [...rates.lpr].reverse().find((r) => r.from <= data.account.contractDate);
  if (!lpr) {
    return { error: makeIssue('account.contractDate', 'LPR_UNKNOWN', `合同签订日 ${data.account.contractDate} 没有可用的一年期 LPR 数据`, `no one-year LPR known for contract date ${data.account.contractDate}`) };
  }
  const cap = lpr.scaled * 4;
  return { scaled: cap, basis: `民间借贷：签约时一年期 LPR ${rateToPercent(lpr.scaled)} 的 4 倍即 ${rateToPercent(cap)} / private lending: 4 × LPR ${rateToPercent(lpr.scaled)} = ${rateToPercent(cap)}` };
}

export function checkCharges(data: LetterData, rates: RateTable): Issue[] {
  const c = capFor(data, rates);
  if ('error' in c) return [c.error];
  const out: Issue[] = [];
  const over = (path: string, what: string, whatEn: string, scaled: number) =>
    out.push(makeIssue(path, 'CHARGE_OVER_CAP', `${what}年化 ${rateToPercent(scaled)}，超过上限（${c.basis.split(' / ')[0]}）`, `${whatEn} of ${rateToPercent(scaled)} a year exceeds the cap (${c.basis.split(' / ')[1]})`));

  const a = data.account;
  if (a.annualRate !== undefined && a.annualRate > c.scaled) over('account.annualRate', '合同利率', 'contract rate', a.annualRate);
  if (a.overdueDailyRate !== undefined && a.overdueDailyRate * 365 > c.scaled) over('account.overdueDailyRate', '逾期利率（日利率×365）', 'overdue rate (daily × 365)', a.overdueDailyRate * 365);

  // Overdue interest, liquidated damages and fees together, annualised over the principal and the days overdue.
  const days = daysBetween(a.dueDate, data.asOf);
  const d = data.debt;
  const charges = d.overdueInterest + d.penalty + d.fees;
  if (days > 0 && d.principal > 0 && charges > 0) {
    const lhs = BigInt(charges) * 365n * 100_000_000n;
    const rhs = BigInt(c.scaled) * BigInt(d.principal) * BigInt(days);
    if (lhs > rhs) {
      const annual = Number((lhs / (BigInt(d.principal) * BigInt(days))));
      out.push(makeIssue('debt', 'CHARGE_OVER_CAP',
        `逾期利息、违约金和费用合计按本金和逾期 ${days} 天折合年化 ${rateToPercent(annual)}，超过上限（${c.basis.split(' / ')[0]}）`,
        `overdue interest, penalty and fees amount to ${rateToPercent(annual)} a year on the principal over ${days} days, above the cap (${c.basis.split(' / ')[1]})`));
    }
  }
  return out;
}
