/**
 * Charges against the caps, in total per period (法发〔2017〕22号 第二条: interest, compound
 * interest, overdue interest, liquidated damages and other fees together). A letter has two
 * periods: the contract period (contract date → due date), where the contract rate runs, and the
 * overdue period (due date → as-of date), where overdue interest, penalty and fees run — plus
 * the contract rate when the account says it keeps running after the due date. For each period
 * the rates that run in it are added, and so are the amounts the letter claims, each annualised
 * over the principal and the days it covers. Compared exactly in integers (rates × 1e8, money in
 * fen, BigInt products): no float decides whether a charge is lawful.
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import { rateToPercent } from '../facts/format.js';
import { daysBetween } from '../schema/dates.js';
import type { LetterData } from '../schema/validate.js';
import type { RateTable } from './rules.js';

const SCALE = 100_000_000n;

export interface Cap {
  scaled: number;
  zh: string;
  en: string;
}

/** The cap in force for this lender type on the contract date. */
export function capFor(data: LetterData, rates: RateTable): Cap | { error: Issue } {
  const { lenderType, contractDate } = data.account;
  const rule = rates.caps.filter((c) => c.lenderType === lenderType && c.from <= contractDate).at(-1);
  if (!rule) {
    return {
      error: makeIssue(
        'account.contractDate',
        'CAP_UNKNOWN',
        `合同签订日 ${contractDate} 没有适用于${lenderType === 'private' ? '民间借贷' : '持牌机构'}的利率上限数据（rules/caps.json）`,
        `no ${lenderType} cap in force on contract date ${contractDate} (rules/caps.json)`,
      ),
    };
  }
  if (rule.scaled !== undefined)
    return {
      scaled: rule.scaled,
      zh: `${rule.basis.zh}（年化 ${rateToPercent(rule.scaled)}）`,
      en: `${rule.basis.en} (${rateToPercent(rule.scaled)} a year)`,
    };
  const lpr = rates.lpr.filter((r) => r.from <= contractDate).at(-1);
  if (!lpr) {
    return {
      error: makeIssue(
        'account.contractDate',
        'LPR_UNKNOWN',
        `合同签订日 ${contractDate} 没有可用的一年期 LPR 数据`,
        `no one-year LPR known for contract date ${contractDate}`,
      ),
    };
  }
  const cap = Math.round(lpr.scaled * rule.lprMultiple!);
  return {
    scaled: cap,
    zh: `${rule.basis.zh}（签约时一年期 LPR ${rateToPercent(lpr.scaled)} × ${rule.lprMultiple} = ${rateToPercent(cap)}）`,
    en: `${rule.basis.en} (LPR ${rateToPercent(lpr.scaled)} × ${rule.lprMultiple} = ${rateToPercent(cap)})`,
  };
}

/** An annual rate as an exact fraction: charge (fen) × 365 / (principal (fen) × days). */
interface Fraction {
  num: bigint;
  den: bigint;
}
const annualised = (charge: number, principal: number, days: number): Fraction => ({
  num: BigInt(charge) * 365n * SCALE,
  den: BigInt(principal) * BigInt(days),
});
const add = (a: Fraction, b: Fraction): Fraction => ({ num: a.num * b.den + b.num * a.den, den: a.den * b.den });
const exceeds = (f: Fraction, scaled: number): boolean => f.num > BigInt(scaled) * f.den;
const toScaled = (f: Fraction): number => Number(f.num / f.den);

export function checkCharges(data: LetterData, rates: RateTable): Issue[] {
  const c = capFor(data, rates);
  if ('error' in c) return [c.error];
  const out: Issue[] = [];
  const over = (path: string, zh: string, en: string, scaled: number) =>
    out.push(
      makeIssue(
        path,
        'CHARGE_OVER_CAP',
        `${zh}年化 ${rateToPercent(scaled)}，超过上限：${c.zh}`,
        `${en} come to ${rateToPercent(scaled)} a year, above the cap: ${c.en}`,
      ),
    );

  const a = data.account;
  const continues = a.contractRateAfterDue === 'continues';
  const overdueAnnual = a.overdueDailyRate !== undefined ? a.overdueDailyRate * 365 : undefined;

  // Rates, period by period.
  if (a.annualRate !== undefined && a.annualRate > c.scaled)
    over('account.annualRate', '合同期内合同利率', 'the contract rate in the contract period', a.annualRate);
  if (overdueAnnual !== undefined && overdueAnnual > c.scaled) {
    over('account.overdueDailyRate', '逾期期间逾期利率（日利率×365）', 'the overdue rate (daily × 365)', overdueAnnual);
  } else if (
    continues &&
    a.annualRate !== undefined &&
    overdueAnnual !== undefined &&
    a.annualRate + overdueAnnual > c.scaled
  ) {
    over(
      'account.contractRateAfterDue',
      `逾期期间合同利率 ${rateToPercent(a.annualRate)} 与逾期利率 ${rateToPercent(overdueAnnual)} 同时计收，合计`,
      `in the overdue period the contract rate ${rateToPercent(a.annualRate)} and the overdue rate ${rateToPercent(overdueAnnual)} run together and`,
      a.annualRate + overdueAnnual,
    );
  }

  // Amounts: what the letter claims, annualised over the principal and the days each charge covers.
  const d = data.debt;
  if (d.principal <= 0) return out;
  const contractDays = Math.max(1, daysBetween(a.contractDate, a.dueDate));
  const overdueDays = Math.max(0, daysBetween(a.dueDate, data.asOf));
  const interestDays = continues ? contractDays + overdueDays : contractDays;
  const interest = annualised(d.interest, d.principal, interestDays);
  if (d.interest > 0 && exceeds(interest, c.scaled)) {
    over(
      'debt.interest',
      `利息 ${fmt(d.interest)} 元按本金和 ${interestDays} 天折合`,
      `interest of ${fmt(d.interest)} over ${interestDays} days on the principal`,
      toScaled(interest),
    );
  }
  const overdueCharges = d.overdueInterest + d.penalty + d.fees;
  if (overdueDays > 0 && overdueCharges > 0) {
    let total = annualised(overdueCharges, d.principal, overdueDays);
    if (continues && d.interest > 0) total = add(total, interest);
    if (exceeds(total, c.scaled)) {
      const parts =
        continues && d.interest > 0
          ? [
              '利息（合同利率持续计收）、逾期利息、违约金和费用',
              'interest (the contract rate keeps running), overdue interest, penalty and fees',
            ]
          : ['逾期利息、违约金和费用', 'overdue interest, penalty and fees'];
      over(
        'debt',
        `逾期 ${overdueDays} 天内${parts[0]}合计按本金折合`,
        `${parts[1]} over the ${overdueDays} days overdue, annualised on the principal,`,
        toScaled(total),
      );
    }
  }
  return out;
}

function fmt(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
