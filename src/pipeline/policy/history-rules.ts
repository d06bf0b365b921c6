/**
 * The escalation rules that read a contract's history (issue 13): a repayment plan suspends
 * escalation while it is kept and resumes it once an instalment is missed by more than the
 * plan's grace; letters not known to be delivered are no step; a lawyer's letter follows only a
 * demand that reached the debtor and whose deadline passed without payment, plan or dispute,
 * and at most `maxPerContract` of them. Pure functions of the history and the date.
 */

import type { z } from 'zod';
import { fenToFigures } from '../facts/format.js';
import { addDays, daysBetween } from '../schema/dates.js';
import { KIND_TITLES } from '../schema/kinds.js';
import type { historySchema } from '../schema/letter.js';
import type { Policy } from './policy.js';

export type History = z.output<typeof historySchema>;
type Sent = History['lettersSent'][number];

export type PlanStatus =
  | { state: 'current'; reason: string }
  | { state: 'completed'; reason: string }
  | { state: 'missed'; reason: string };

/** Payments on or after the plan's acceptance count against its instalments, oldest first (cumulatively). */
export function planStatus(history: History, asOf: string): PlanStatus | null {
  const plan = history.plan;
  if (!plan || plan.acceptedOn > asOf) return null;
  const paid = history.payments.filter((p) => p.date >= plan.acceptedOn && p.date <= asOf);
  const total = plan.instalments.reduce((s, i) => s + i.amount, 0);
  const head = `${plan.acceptedOn} 接受的还款计划（分${plan.instalments.length}期，合计 ${fenToFigures(total)} 元，宽限 ${plan.graceDays} 日）`;
  let due = 0;
  for (const [k, i] of plan.instalments.entries()) {
    due += i.amount;
    const graceEnd = addDays(i.dueDate, plan.graceDays);
    if (asOf <= graceEnd) break;
    const paidBy = paid.filter((p) => p.date <= graceEnd).reduce((s, p) => s + p.amount, 0);
    if (paidBy < due) {
      return {
        state: 'missed',
        reason: `${head}：第${k + 1}期（${i.dueDate}，${fenToFigures(i.amount)} 元）逾期超过 ${plan.graceDays} 日未足额支付（截至 ${graceEnd} 累计应还 ${fenToFigures(due)} 元，已还 ${fenToFigures(paidBy)} 元），恢复催收 / the plan accepted on ${plan.acceptedOn}: instalment ${k + 1} due ${i.dueDate} missed by more than ${plan.graceDays} days: escalation resumes`,
      };
    }
  }
  const paidAll = paid.reduce((s, p) => s + p.amount, 0);
  if (paidAll >= total)
    return { state: 'completed', reason: `${head}已足额履行 / the repayment plan was paid in full` };
  const next = plan.instalments.find(
    (_i, k) => plan.instalments.slice(0, k + 1).reduce((s, x) => s + x.amount, 0) > paidAll,
  );
  return {
    state: 'current',
    reason: `${head}正常履行中${next ? `，下一期 ${next.dueDate} 应还 ${fenToFigures(next.amount)} 元` : ''}，暂停发函 / repayment plan current: letters suspended`,
  };
}

/** Letters up to the date, split by whether they count as a step, with a reason for each that does not. */
export function countedLetters(history: History, asOf: string, policy: Policy): { counted: Sent[]; reasons: string[] } {
  const sent = history.lettersSent.filter((l) => l.date <= asOf);
  const reasons = sent
    .filter((l) => l.delivery === 'unknown')
    .map(
      (l) =>
        `${l.date} 发出的${KIND_TITLES[l.kind]}在发出后 ${policy.deliveryUnknownAfterDays} 天内没有送达记录，未知是否送达，不计为催收步骤 / the ${l.kind} of ${l.date} is not known to be delivered: it does not count as a step`,
    );
  return { counted: sent.filter((l) => l.delivery !== 'unknown'), reasons };
}

/** Whether a lawyer's letter may follow: null if it may, else why not and from when it might. */
export function lawyerLetterBlock(
  history: History,
  counted: Sent[],
  asOf: string,
  policy: Policy,
): { reason: string; stop: boolean; earliestDate?: string } | null {
  const lp = policy.lawyerLetter;
  const lawyers = counted.filter((l) => l.kind === 'lawyer-letter').length;
  if (lawyers >= lp.maxPerContract) {
    return {
      stop: true,
      reason: `该合同已发出 ${lawyers} 封律师函，达到每份合同 ${lp.maxPerContract} 封的上限，不再发律师函 / ${lawyers} lawyer's letters already sent: the limit is ${lp.maxPerContract} per contract`,
    };
  }
  if (!lp.afterDemandOnly) return null;
  const demands = counted.filter((l) => l.kind === 'demand').sort((a, b) => a.date.localeCompare(b.date));
  const last = demands.at(-1);
  if (!last)
    return {
      stop: false,
      reason:
        "律师函须在催告函之后发出：该合同尚未发出催告函 / a lawyer's letter follows a demand: no demand has been sent",
    };
  // A hint without the deadline: the shortest a demand may give, from the day it reached the debtor when known.
  const deadlineOf = (d: Sent) => d.deadline ?? addDays(d.deliveredOn ?? d.date, policy.minDemandDays);
  const deadline = deadlineOf(last);
  const answered = (d: Sent, dl: string) =>
    history.payments.some((p) => p.date > d.date && p.date <= dl) ||
    history.disputesFiled.some((f) => f >= d.date) ||
    (history.plan !== undefined && history.plan.acceptedOn >= d.date);
  const ok = demands.some(
    (d) => (d.delivery ?? 'delivered') === 'delivered' && deadlineOf(d) < asOf && !answered(d, deadlineOf(d)),
  );
  if (ok) return null;
  if ((last.delivery ?? 'delivered') === 'pending')
    return {
      stop: false,
      reason: `${last.date} 的催告函尚无送达记录：律师函须在催告函送达且期限届满后发出 / the demand of ${last.date} has no delivery record yet`,
    };
  if (deadline >= asOf)
    return {
      stop: false,
      earliestDate: addDays(deadline, 1),
      reason: `${last.date} 的催告函付款期限 ${deadline} 尚未届满：律师函不早于 ${addDays(deadline, 1)} / the demand's deadline ${deadline} has not passed`,
    };
  return {
    stop: false,
    reason: `${last.date} 的催告函之后债务人已还款、接受还款计划或提出异议：律师函前须重新催告 / since the demand of ${last.date} the debtor paid, accepted a plan or disputed: a new demand comes first`,
  };
}

export const daysSince = (from: string, to: string) => daysBetween(from, to);
