/**
 * Charges against the caps as a court computes them (issue 27).
 *
 * The amounts: the total cost the letter claims — contract interest, overdue interest,
 * liquidated damages and fees, including fees charged before the due date — annualised over the
 * principal actually in use and the days it was in use (人民银行公告〔2021〕第3号: 所有贷款成本与
 * 实际占用的贷款本金之比，折算为年化形式), not period by period. Simple interest (the notice allows
 * 单利): compounding a short period into a year is what gave a figure of 34,474 %. The principal
 * in use comes from the same terms, instalments and payments as the figures (facts/interest.ts).
 *
 * The rates: the contract rate, the overdue rate and both together where the contract rate
 * keeps running, each against the cap of the time it runs in (民间借贷规定 第二十五条、第二十八条).
 *
 * The cap: dated data (rules/caps.json): 24 % for licensed lenders (法发〔2017〕22号 第二条);
 * 4 × the one-year LPR at contract formation for private lending (法释〔2020〕17号); for a
 * private contract made before 2020-08-20, the transitional rule of its 第三十一条 — 24 % up to
 * 2020-08-19, then 4 × the LPR at filing (a letter: its as-of date). Instalment sales are not
 * lending and get no lending cap (sale-damages.ts checks a seller's damages instead).
 *
 * Every comparison is exact in integers (rates × 1e8, money in fen, BigInt products).
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import { rateToPercent } from '../facts/format.js';
import type { Figures } from '../facts/interest.js';
import { figuresOf } from '../facts/reconcile.js';
import { addDays, daysBetween } from '../schema/dates.js';
import type { LetterData } from '../schema/validate.js';
import type { RateTable } from './rules.js';

const SCALE = 100_000_000n;

export interface Cap {
  /** The cap from the as-of date on (what a plan offered now is held to). */
  scaled: number;
  zh: string;
  en: string;
  /** The cap over time: each period up to `until` (inclusive; the last has none). */
  periods: { until?: string; scaled: number }[];
}

const lprOn = (rates: RateTable, day: string) => rates.lpr.filter((r) => r.from <= day).at(-1);

/** The cap in force for this contract (lender type, contract date; the as-of date for the transitional rule). */
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
  const stale = (day: string) =>
    rates.lprKnownUntil && day > rates.lprKnownUntil
      ? [
          `；一年期LPR数据录入至${rates.lprKnownUntil}，其后沿用最后已知值，请核对`,
          `; LPR data ends ${rates.lprKnownUntil}: the last known rate is used, check it`,
        ]
      : ['', ''];
  const lprUnknown = (day: string) => ({
    error: makeIssue(
      'account.contractDate',
      'LPR_UNKNOWN',
      `${day} 没有可用的一年期 LPR 数据（rules/lpr.json 自2019-08-20起）`,
      `no one-year LPR known for ${day} (rules/lpr.json starts 2019-08-20)`,
    ),
  });
  if (rule.until && rule.after) {
    const filing = lprOn(rates, data.asOf);
    if (!filing) return lprUnknown(data.asOf);
    const later = Math.round(filing.scaled * rule.after.lprMultiple);
    const [sz, se] = stale(data.asOf);
    return {
      scaled: later,
      periods: [{ until: rule.until, scaled: rule.scaled! }, { scaled: later }],
      zh: `${rule.basis.zh}（至${rule.until}为 ${rateToPercent(rule.scaled!)}；其后以计算日 ${data.asOf} 的一年期 LPR ${rateToPercent(filing.scaled)} × ${rule.after.lprMultiple} = ${rateToPercent(later)} 代替起诉时${sz}）`,
      en: `${rule.basis.en} (${rateToPercent(rule.scaled!)} to ${rule.until}; after it the LPR on the as-of date ${data.asOf}, ${rateToPercent(filing.scaled)} × ${rule.after.lprMultiple} = ${rateToPercent(later)}, standing in for the filing date${se})`,
    };
  }
  if (rule.scaled !== undefined)
    return {
      scaled: rule.scaled,
      periods: [{ scaled: rule.scaled }],
      zh: `${rule.basis.zh}（年化 ${rateToPercent(rule.scaled)}）`,
      en: `${rule.basis.en} (${rateToPercent(rule.scaled)} a year)`,
    };
  const lpr = lprOn(rates, contractDate);
  if (!lpr) return lprUnknown(contractDate);
  const cap = Math.round(lpr.scaled * rule.lprMultiple!);
  const [sz, se] = stale(contractDate);
  return {
    scaled: cap,
    periods: [{ scaled: cap }],
    zh: `${rule.basis.zh}（签约时一年期 LPR ${rateToPercent(lpr.scaled)}（${lpr.from}起）× ${rule.lprMultiple} = ${rateToPercent(cap)}${sz}）`,
    en: `${rule.basis.en} (LPR ${rateToPercent(lpr.scaled)} from ${lpr.from} × ${rule.lprMultiple} = ${rateToPercent(cap)}${se})`,
  };
}

/** The lowest cap of any period that overlaps the days (from, to]. */
function capOver(cap: Cap, from: string, to: string): number {
  let lo = Number.POSITIVE_INFINITY;
  let start = '0000-01-01';
  for (const p of cap.periods) {
    const end = p.until ?? '9999-12-31';
    if (end > from && start < to) lo = Math.min(lo, p.scaled);
    start = end;
  }
  return lo === Number.POSITIVE_INFINITY ? cap.scaled : lo;
}

/**
 * The most the caps allow on this principal in use, as a numerator over 365 × 1e8: Σ principal ×
 * days × cap, each segment split where the cap changes.
 */
function allowedScaled(usage: Figures['usage'], cap: Cap): { allowed: bigint; principalDays: bigint } {
  let allowed = 0n;
  let principalDays = 0n;
  for (const u of usage) {
    let from = u.from;
    for (const p of cap.periods) {
      if (p.until && p.until <= from) continue;
      const to = p.until && p.until < u.to ? p.until : u.to;
      const days = BigInt(daysBetween(from, to));
      allowed += BigInt(u.principal) * days * BigInt(p.scaled);
      principalDays += BigInt(u.principal) * days;
      from = to;
      if (from >= u.to) break;
    }
  }
  return { allowed, principalDays };
}

/** The total annualised cost (rate × 1e8) of a cost over principal-days, simple interest; null without principal in use. */
export function annualisedCost(cost: number, principalDays: bigint): number | null {
  return principalDays > 0n ? Number((BigInt(cost) * 365n * SCALE) / principalDays) : null;
}

export function checkCharges(data: LetterData, rates: RateTable, figures: Figures = figuresOf(data)): Issue[] {
  if (data.account.contractType === 'instalment-sale') return [];
  const c = capFor(data, rates);
  if ('error' in c) return [c.error];
  const out: Issue[] = [];
  const over = (path: string, zh: string, en: string, scaled: number, limit: number) =>
    out.push(
      makeIssue(
        path,
        'CHARGE_OVER_CAP',
        `${zh}年化 ${rateToPercent(scaled)}，超过上限 ${rateToPercent(limit)}：${c.zh}`,
        `${en} come to ${rateToPercent(scaled)} a year, above the cap of ${rateToPercent(limit)}: ${c.en}`,
      ),
    );

  const a = data.account;
  const start = data.terms?.interestFrom ?? a.contractDate;
  const continues = a.contractRateAfterDue === 'continues';
  const overdueAnnual = a.overdueDailyRate !== undefined ? a.overdueDailyRate * 365 : undefined;
  const contractCap = capOver(c, start, continues ? data.asOf : a.dueDate);
  const overdueCap = capOver(c, a.dueDate, data.asOf > a.dueDate ? data.asOf : addDays(a.dueDate, 1));

  if (a.annualRate !== undefined && a.annualRate > contractCap)
    over('account.annualRate', '合同利率', 'the contract rate', a.annualRate, contractCap);
  if (overdueAnnual !== undefined && overdueAnnual > overdueCap) {
    over(
      'account.overdueDailyRate',
      '逾期利率（日利率×365）',
      'the overdue rate (daily × 365)',
      overdueAnnual,
      overdueCap,
    );
  } else if (
    continues &&
    a.annualRate !== undefined &&
    overdueAnnual !== undefined &&
    a.annualRate + overdueAnnual > overdueCap
  ) {
    over(
      'account.contractRateAfterDue',
      `逾期期间合同利率 ${rateToPercent(a.annualRate)} 与逾期利率 ${rateToPercent(overdueAnnual)} 同时计收，合计`,
      `in the overdue period the contract rate ${rateToPercent(a.annualRate)} and the overdue rate ${rateToPercent(overdueAnnual)} run together and`,
      a.annualRate + overdueAnnual,
      overdueCap,
    );
  }

  // The total cost of the actual cash flows against what the cap allows on the principal in use.
  const d = data.debt;
  const cost = d.interest + d.overdueInterest + d.penalty + d.fees;
  if (cost <= 0) return out;
  // Instalments that do not add up to the principal are refused at issue (PRINCIPAL_MISMATCH); meanwhile
  // the cap is not computed on them: the principal claimed is taken as in use from the start.
  const usage =
    figures.principal === d.principal ? figures.usage : [{ from: start, to: data.asOf, principal: d.principal }];
  const { allowed, principalDays } = allowedScaled(usage, c);
  if (BigInt(cost) * 365n * SCALE > allowed) {
    const annual = annualisedCost(cost, principalDays);
    const days = usage.reduce((s, u) => s + daysBetween(u.from, u.to), 0);
    out.push(
      makeIssue(
        'debt',
        'CHARGE_OVER_CAP',
        `利息、逾期利息、违约金和费用合计 ${fmt(cost)} 元，按实际占用的本金和 ${days} 天${annual === null ? '无法折算（没有占用本金的天数）' : `折合年化 ${rateToPercent(annual)}`}，超过上限：${c.zh}`,
        `interest, overdue interest, damages and fees of ${fmt(cost)} over the principal in use for ${days} days come to ${annual === null ? 'an unbounded rate (no principal-days)' : `${rateToPercent(annual)} a year`}, above the cap: ${c.en}`,
      ),
    );
  }
  return out;
}

function fmt(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
