/**
 * A repayment plan's own cost against the interest caps. Under a plan only the plan's interest
 * runs (the overdue interest, penalty and fees of the letter stop at its as-of date), so the
 * plan's period has one charge: its cost, which 法发〔2017〕22号 第二条 (licensed lenders) and
 * the private-lending provisions (2020年修正) 第二十五条、第二十九条 count in the total like any
 * other. Two checks, both exact in integers:
 *
 * - the plan's stated annual rate against the contract's cap (capFor, rules/caps.json);
 * - defensively, the cost the letter actually prints, annualised over the balance it bears
 *   interest on and the days between the dates the debtor pays on (facts/plan-cost.ts) — a
 *   schedule computed by this project never exceeds its rate, so this catches a hand-made or
 *   tampered plan, e.g. a confirmation's instalments whose interest is more than the rate allows.
 *
 * Each refusal is PLAN_COST_OVER_CAP naming the field; a cap that cannot be found is left to
 * the charges check (CAP_UNKNOWN), which runs on the same letter.
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import { fenToFigures, rateToPercent } from '../facts/format.js';
import { effectiveRate, unpaidPrincipal } from '../facts/plan-cost.js';
import { planCostBase } from '../facts/plan-facts.js';
import { planRateBp } from '../facts/plan-schedule.js';
import type { LetterData } from '../schema/validate.js';
import { type Cap, capFor } from './charges.js';
import { getRates, type RateTable } from './rules.js';

/** Basis points → the caps' scale (rate × 1e8). */
export const bpToScaled = (bp: number): number => bp * 10_000;

const over = (path: string, cap: Cap, zh: string, en: string, scaled: number | bigint) =>
  makeIssue(
    path,
    'PLAN_COST_OVER_CAP',
    `${zh}年化 ${rateToPercent(Number(scaled))}，超过上限：${cap.zh}`,
    `${en} comes to ${rateToPercent(Number(scaled))} a year, above the cap: ${cap.en}`,
  );

/** An option as the letter prints it: its cost, its principal, and when each instalment's principal is paid. */
export interface PrintedOption {
  terms: number;
  cost: number;
  principal: number;
  instalments: { dueDate: string; principal: number }[];
}

/** The options in a letter's facts (facts.plans.options), as the check reads them. */
export function printedOptions(
  plans: {
    options: {
      terms: number;
      cost: { fen: number };
      principal: { fen: number };
      rows: { dueDate: { iso: string }; principal: { fen: number } }[];
    }[];
  } | null,
): PrintedOption[] {
  return (plans?.options ?? []).map((o) => ({
    terms: o.terms,
    cost: o.cost.fen,
    principal: o.principal.fen,
    instalments: o.rows.map((r) => ({ dueDate: r.dueDate.iso, principal: r.principal.fen })),
  }));
}

/** `options`: the options the letter prints (printedOptions of its facts), for an offer. */
export function checkPlanCost(data: LetterData, options: PrintedOption[], rates: RateTable): Issue[] {
  const offered = data.plans ? planRateBp(data.plans) : 0;
  const cost = data.plan?.cost;
  if (offered === 0 && !cost && !data.plan?.instalments.some((i) => (i.interest ?? 0) > 0)) return [];
  const cap = capFor(data, rates);
  if ('error' in cap) return [];
  if (offered > 0) {
    if (bpToScaled(offered) > cap.scaled)
      return [over('plans.annualRateBp', cap, '分期期间的利率', "the plan's interest rate", bpToScaled(offered))];
    const base = planCostBase(data);
    return options.flatMap((o) => {
      const r = effectiveRate(o.cost, o.principal, base.bearing, base.from, o.instalments);
      return r.scaled > BigInt(cap.scaled)
        ? [
            over(
              'plans.terms',
              cap,
              `分${o.terms}期方案的成本 ${fenToFigures(o.cost)} 元按未还本金和期间天数折合`,
              `the ${o.terms}-instalment option's cost of ${fenToFigures(o.cost)} yuan, annualised on the unpaid principal and the days,`,
              r.scaled,
            ),
          ]
        : [];
    });
  }
  const p = data.plan!;
  if (cost && bpToScaled(cost.annualRateBp) > cap.scaled)
    return [
      over('plan.cost.annualRateBp', cap, '还款计划的利率', "the plan's interest rate", bpToScaled(cost.annualRateBp)),
    ];
  const charged = p.instalments.reduce((s, i) => s + (i.interest ?? 0), 0);
  const lines = p.instalments.map((i) => ({ dueDate: i.dueDate, principal: i.amount - (i.interest ?? 0) }));
  const r = effectiveRate(
    charged,
    lines.reduce((s, l) => s + l.principal, 0),
    unpaidPrincipal(data.debt),
    cost?.from ?? data.asOf,
    lines,
  );
  return r.scaled > BigInt(cap.scaled)
    ? [
        over(
          'plan.instalments',
          cap,
          `还款计划各期利息合计 ${fenToFigures(charged)} 元按未还本金和期间天数折合`,
          `the plan's interest of ${fenToFigures(charged)} yuan in all, annualised on the unpaid principal and the days,`,
          r.scaled,
        ),
      ]
    : [];
}

/**
 * The strictest cap of any contract made on or before `day`, of any lender type: plan settings
 * apply to every contract an organisation sends and do not know which, so a rate saved there must
 * be lawful for each. (The guard applies each letter's own cap as well.) Null when none is known.
 */
export function strictestCap(rates: RateTable, day: string): { scaled: number; zh: string; en: string } | null {
  const found: { scaled: number; zh: string; en: string }[] = [];
  for (const type of ['licensed', 'private'] as const) {
    const rule = rates.caps.filter((c) => c.lenderType === type && c.from <= day).at(-1);
    if (!rule) continue;
    if (rule.scaled !== undefined) {
      found.push({ scaled: rule.scaled, zh: rule.basis.zh, en: rule.basis.en });
      continue;
    }
    // The lowest LPR in force at any time since the rule: a contract made then has that cap still.
    const inForce = rates.lpr.filter((l, i) => l.from <= day && (rates.lpr[i + 1]?.from ?? '9999-12-31') > rule.from);
    const lpr = inForce.sort((a, b) => a.scaled - b.scaled)[0];
    if (lpr) {
      const scaled = Math.round(lpr.scaled * rule.lprMultiple!);
      found.push({
        scaled,
        zh: `${rule.basis.zh}（自${lpr.from}起的一年期 LPR ${rateToPercent(lpr.scaled)} × ${rule.lprMultiple} = ${rateToPercent(scaled)}）`,
        en: `${rule.basis.en} (the one-year LPR from ${lpr.from} ${rateToPercent(lpr.scaled)} × ${rule.lprMultiple} = ${rateToPercent(scaled)})`,
      });
    }
  }
  return found.sort((a, b) => a.scaled - b.scaled)[0] ?? null;
}

/**
 * Plan settings at save: a rate above the strictest cap is refused, naming `annualRateBp`
 * (null: lawful, or interest stops). With no cap data at all the rate is refused too — a
 * rate that cannot be checked is not offered to debtors.
 */
export function planRateOverCap(
  plan: { interest?: 'stops' | 'continues'; annualRateBp?: number },
  today: string,
  rates: RateTable = getRates(),
): Issue | null {
  const bp = planRateBp(plan);
  if (bp === 0) return null;
  const cap = strictestCap(rates, today);
  if (!cap)
    return makeIssue(
      'annualRateBp',
      'CAP_UNKNOWN',
      '没有可用的利率上限数据（rules/caps.json），无法核对分期利率',
      'no interest cap is known (rules/caps.json): the plan rate cannot be checked',
    );
  if (bpToScaled(bp) <= cap.scaled) return null;
  return makeIssue(
    'annualRateBp',
    'PLAN_COST_OVER_CAP',
    `分期期间的利率年化 ${rateToPercent(bpToScaled(bp))} 超过可能适用的最低上限 ${rateToPercent(cap.scaled)}：${cap.zh}。方案设置适用于本机构的所有合同，须对每一类合同均合法`,
    `the plan rate of ${rateToPercent(bpToScaled(bp))} a year is above the strictest cap that may apply, ${rateToPercent(cap.scaled)}: ${cap.en}. Plan settings apply to every contract of the organisation, so they must be lawful for each`,
  );
}
