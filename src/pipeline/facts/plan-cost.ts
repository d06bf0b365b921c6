/**
 * The plan's own cost (分期还款方案的成本), exact in integer fen.
 *
 * When the creditor's settings say interest continues under a plan, it runs at the plan's annual
 * rate on the unpaid *principal* only — never on interest or charges, which would be compound
 * interest (复利), counted against the cap like any other charge. Instalments are applied to
 * costs, then interest, then principal (letters.md), so the interest-bearing balance after k
 * instalments is min(unpaid principal, what is left of the plan principal).
 *
 * Day count: actual days between *scheduled* due dates, over a 365-day year (as the overdue
 * daily rate × 365 the caps use). Interest runs from the as-of date of the letter's itemised
 * debt — the day its overdue interest stops being counted. A due date moved past a rest day
 * costs nothing extra: the move is the law's, not the debtor's choice, and a year whose holiday
 * notice is not yet published cannot change the price.
 *
 * Rounding: interest is accumulated exactly (BigInt) and floored once per instalment on the
 * cumulative sum: instalment k's interest is ⌊exact cumulative to k⌋ − ⌊exact cumulative to
 * k−1⌋. The cost is ⌊exact cost⌋ — never a fraction of a fen the debtor does not owe — and the
 * rounding never adds up across instalments; the last instalment absorbs the remainder.
 */
import { daysBetween } from '../schema/dates.js';

/** What the cost is computed on: the interest-bearing principal (fen) and the day interest runs from. */
export interface CostBase {
  bearing: number;
  from: string;
}

export interface CostLine {
  interest: number;
  balance: number;
  days: number;
}
export interface PlanCost {
  /** Interest per instalment, in order. */
  lines: CostLine[];
  cost: number;
  /** Σ balance × days (fen-days): the denominator of the effective annual rate. */
  balanceDays: bigint;
}

const YEAR_BP = 365n * 10_000n;

/**
 * Interest per instalment on the declining balance: `principalParts` are the plan principal's
 * instalments (sum = plan principal), `scheduled` their unmoved due dates.
 */
export function planCost(
  planPrincipal: number,
  principalParts: number[],
  scheduled: string[],
  base: CostBase,
  rateBp: number,
): PlanCost {
  let remaining = planPrincipal;
  let previous = base.from;
  let exact = 0n;
  let charged = 0n;
  let balanceDays = 0n;
  const lines: CostLine[] = [];
  principalParts.forEach((part, k) => {
    const balance = Math.max(0, Math.min(base.bearing, remaining));
    const days = Math.max(0, daysBetween(previous, scheduled[k]!));
    balanceDays += BigInt(balance) * BigInt(days);
    exact += BigInt(balance) * BigInt(days) * BigInt(rateBp);
    const cumulative = exact / YEAR_BP; // BigInt division floors for non-negative values
    lines.push({ interest: Number(cumulative - charged), balance, days });
    charged = cumulative;
    remaining -= part;
    previous = scheduled[k]!;
  });
  return { lines, cost: Number(charged), balanceDays };
}

/** The interest-bearing principal of a debt: its principal less what `paid` left after costs and interest (applied first). */
export function unpaidPrincipal(debt: {
  principal: number;
  interest: number;
  overdueInterest: number;
  penalty: number;
  fees: number;
  paid: number;
  total: number;
}): number {
  const charges = debt.interest + debt.overdueInterest + debt.penalty + debt.fees;
  const toPrincipal = Math.max(0, debt.paid - charges);
  return Math.max(0, Math.min(debt.total, debt.principal - toPrincipal));
}

/**
 * The effective annual rate of a plan (× 1e8, as rules/caps.json): its cost annualised over the
 * balance it bears interest on and the days it does, floored. `dueDates` are the dates the
 * debtor actually pays on (moved past rest days): those periods are never shorter in total than
 * the scheduled ones, so a plan whose schedule was computed at rate r never shows more than r.
 */
export function effectiveRate(
  cost: number,
  planPrincipal: number,
  bearing: number,
  from: string,
  instalments: { dueDate: string; principal: number }[],
): { scaled: bigint; balanceDays: bigint } {
  let remaining = planPrincipal;
  let previous = from;
  let balanceDays = 0n;
  for (const i of instalments) {
    const balance = Math.max(0, Math.min(bearing, remaining));
    balanceDays += BigInt(balance) * BigInt(Math.max(0, daysBetween(previous, i.dueDate)));
    remaining -= i.principal;
    previous = i.dueDate;
  }
  if (cost <= 0) return { scaled: 0n, balanceDays };
  // A cost with no balance-days behind it is an infinite rate: report it as such.
  if (balanceDays === 0n) return { scaled: BigInt(Number.MAX_SAFE_INTEGER), balanceDays };
  return { scaled: (BigInt(cost) * 365n * 100_000_000n) / balanceDays, balanceDays };
}
