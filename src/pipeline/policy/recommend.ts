/**
 * recommendLetter: which letter (if any) an account should get today, and why.
 * Differentiated collection (letters.md): a gentle reminder first, softer after a failed
 * auto-debit; a demand for persistent default; a lawyer's letter from day 11 only for
 * high-risk accounts (repeated default or a large amount), later for the others, never below
 * a minimum amount; nothing while hardship is pending or a plan is current; never the same
 * kind twice within its window.
 */
import { z } from 'zod';
import { type Issue, makeIssue } from '../../shared/errors.js';
import { fenToFigures, fenToYuan } from '../facts/format.js';
import { addDays, daysBetween, todayInShanghai } from '../schema/dates.js';
import { isoDate } from '../schema/fields.js';
import { fromZodIssue } from '../schema/issues.js';
import { accountSchema, debtSchema, historySchema, type LetterKind } from '../schema/letter.js';
import { countedLetters, lawyerLetterBlock, planStatus } from './history-rules.js';
import { getPolicy, type Policy } from './policy.js';

export interface Recommendation {
  kind: LetterKind | null;
  reasons: string[];
  /** When `kind` is null, or for the next step up: the first date it may be sent. */
  earliestDate?: string;
  next?: { kind: LetterKind; earliestDate: string };
  overdueDays: number;
  /** What is owed, yuan as a decimal string ("12426.00"); totalFen is the same in fen. */
  total: string;
  totalFen: number;
  highRisk: boolean;
}

/**
 * The account as the policy reads it: only the due date (and the rates, when given) matter, so
 * product, contract number and contract date may be left out; when given they are still checked.
 */
export const policyAccountSchema = accountSchema.partial({ product: true, contractNo: true, contractDate: true });

/**
 * What the policy reads: the account, the debt, the history and the date. A whole letter input
 * is accepted too (other fields are ignored), so one record can feed both.
 */
export const recommendationInputSchema = z.looseObject({
  account: policyAccountSchema,
  debt: debtSchema,
  history: historySchema.optional(),
  asOf: isoDate.optional(),
  issueDate: isoDate.optional(),
});

export type RecommendResult = { ok: true; value: Recommendation } | { ok: false; issues: Issue[] };

export function recommendLetter(input: unknown, options: { policy?: Policy; today?: string } = {}): RecommendResult {
  const policy = options.policy ?? getPolicy();
  const obj = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  const parse = <T>(
    schema: {
      safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: unknown[] } };
    },
    key: string,
    value: unknown,
  ): T | undefined => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const i of r.error.issues as Parameters<typeof fromZodIssue>[0][])
      issues.push(...fromZodIssue({ ...i, path: [key, ...i.path] }, obj));
    return undefined;
  };
  const fields = recommendationInputSchema.shape;
  const account = parse(fields.account, 'account', obj.account);
  const debt = parse(fields.debt, 'debt', obj.debt);
  const history = parse(fields.history.unwrap(), 'history', obj.history ?? {});
  const asOf =
    obj.asOf !== undefined
      ? parse(isoDate, 'asOf', obj.asOf)
      : obj.issueDate !== undefined
        ? parse(isoDate, 'issueDate', obj.issueDate)
        : (options.today ?? todayInShanghai());
  if (!account || !debt || !history || !asOf) {
    if (!issues.length) issues.push(makeIssue('', 'INVALID_INPUT', '输入无效', 'invalid input'));
    return { ok: false, issues };
  }

  const total = debt.principal + debt.interest + debt.overdueInterest + debt.penalty + debt.fees - debt.paid;
  const overdueDays = daysBetween(account.dueDate, asOf);
  const lp = policy.lawyerLetter;
  const highRisk = history.overdueCount12m >= lp.highRisk.overdueCount12mAtLeast || total >= lp.highRisk.amountAtLeast;
  const base = { overdueDays, total: fenToYuan(total), totalFen: total, highRisk };
  const dayDate = (d: number) => addDays(account.dueDate, d);
  const reasons: string[] = [];

  if (total <= 0) return { ok: true, value: { ...base, kind: null, reasons: ['已结清 / nothing owed'] } };
  if (policy.suspendWhileHardshipPending && history.hardshipPending) {
    return {
      ok: true,
      value: {
        ...base,
        kind: null,
        reasons: ['困难帮扶申请处理中，暂停发函 / hardship request pending: letters suspended'],
      },
    };
  }
  if (history.disputeOpen) {
    return {
      ok: true,
      value: {
        ...base,
        kind: null,
        reasons: ["债务人对欠款提出的异议尚未处理，暂停发函 / the debtor's dispute is open: letters suspended"],
      },
    };
  }
  if (policy.suspendWhilePlanCurrent && history.planActive && history.planCurrent) {
    return {
      ok: true,
      value: {
        ...base,
        kind: null,
        reasons: ['还款计划正常履行中，暂停发函 / repayment plan active and current: letters suspended'],
      },
    };
  }
  // The plan's history stays in the reasons: suspended while kept, and why escalation resumed.
  const plan = planStatus(history, asOf);
  if (plan && plan.state !== 'missed' && (policy.suspendWhilePlanCurrent || plan.state === 'completed')) {
    return { ok: true, value: { ...base, kind: null, reasons: [plan.reason] } };
  }
  const { counted, reasons: stepReasons } = countedLetters(history, asOf, policy);
  if (plan?.state === 'missed') reasons.push(plan.reason);
  reasons.push(...stepReasons);
  if (overdueDays < policy.reminderFromDay) {
    return {
      ok: true,
      value: {
        ...base,
        kind: null,
        reasons: [`未逾期或逾期不足 ${policy.reminderFromDay} 天 / not overdue enough for a reminder`],
        earliestDate: dayDate(policy.reminderFromDay),
      },
    };
  }

  const gentle = history.autoDebitFailed && history.overdueCount12m === 0;
  const demandDay = policy.demandFromDay + (gentle ? policy.autoDebitGraceDays : 0);
  const lawyerDay = highRisk ? lp.highRiskFromDay : lp.standardFromDay;
  const lawyerAllowed = total >= lp.minAmount;

  let kind: LetterKind = 'reminder';
  if (gentle)
    reasons.push(
      '自动扣款失败、近 12 个月无逾期：先温和提醒并提供便捷还款 / failed auto-debit on a clean account: gentle reminder first',
    );
  if (overdueDays >= demandDay) {
    kind = 'demand';
    reasons.push(
      `逾期 ${overdueDays} 天，达到催告函起点第 ${demandDay} 天 / ${overdueDays} days overdue, demand from day ${demandDay}`,
    );
  } else {
    reasons.push(
      `逾期 ${overdueDays} 天，尚在提醒阶段（催告函自第 ${demandDay} 天起） / ${overdueDays} days overdue: reminder stage (demand from day ${demandDay})`,
    );
  }
  const block = overdueDays >= lawyerDay && lawyerAllowed ? lawyerLetterBlock(history, counted, asOf, policy) : null;
  if (overdueDays >= lawyerDay && lawyerAllowed && block?.stop) {
    return { ok: true, value: { ...base, kind: null, reasons: [...reasons, block.reason] } };
  }
  if (overdueDays >= lawyerDay && lawyerAllowed && block) {
    reasons.push(block.reason);
  } else if (overdueDays >= lawyerDay && lawyerAllowed) {
    kind = 'lawyer-letter';
    reasons.push(
      highRisk
        ? `高风险账户（${highRiskGrounds(history.overdueCount12m, total, lp.highRisk)}），自第 ${lawyerDay} 天起可发律师函 / high-risk account (${highRiskGroundsEn(history.overdueCount12m, total, lp.highRisk)}): lawyer's letter from day ${lawyerDay}`
        : `普通账户逾期已达第 ${lawyerDay} 天 / standard account at day ${lawyerDay}: lawyer's letter`,
    );
  } else if (overdueDays >= lawyerDay && !lawyerAllowed) {
    reasons.push(
      `欠款 ${fenToFigures(total)} 元低于律师函最低金额 ${fenToFigures(lp.minAmount)} 元 / below the minimum amount for a lawyer's letter`,
    );
  } else if (overdueDays >= lp.highRiskFromDay && !highRisk) {
    reasons.push(
      `非高风险账户，律师函不早于第 ${lawyerDay} 天 / not high-risk: no lawyer's letter before day ${lawyerDay}`,
    );
  }

  // Never the same kind twice within its window.
  // A letter still awaiting its delivery record holds the same kind back until it is known, or known to be unknown.
  const lastSent = counted
    .filter((l) => l.kind === kind)
    .sort((a, b) => a.date.localeCompare(b.date))
    .at(-1);
  const window =
    lastSent?.delivery === 'pending'
      ? Math.max(policy.repeatWindowDays[kind], policy.deliveryUnknownAfterDays)
      : policy.repeatWindowDays[kind];
  const last = lastSent?.date;
  if (last && daysBetween(last, asOf) < window) {
    const earliestDate = addDays(last, window);
    return {
      ok: true,
      value: {
        ...base,
        kind: null,
        earliestDate,
        reasons: [
          ...reasons,
          `${last} 已发过同类函件，${window} 天内不重复 / same kind sent on ${last}: not again within ${window} days`,
        ],
      },
    };
  }

  const value: Recommendation = { ...base, kind, reasons };
  if (kind === 'reminder') value.next = { kind: 'demand', earliestDate: dayDate(demandDay) };
  else if (kind === 'demand' && lawyerAllowed) value.next = { kind: 'lawyer-letter', earliestDate: dayDate(lawyerDay) };
  return { ok: true, value };
}

type HighRiskRule = Policy['lawyerLetter']['highRisk'];

/**
 * Why an account is high-risk, naming only the conditions that hold — 近 12 个月逾期 3 次（≥ 2 次）,
 * 欠款 25,000.00 元（≥ 20,000.00 元）, or both — never a condition the account does not meet.
 */
function highRiskGrounds(count: number, totalFen: number, rule: HighRiskRule): string {
  const grounds: string[] = [];
  if (count >= rule.overdueCount12mAtLeast)
    grounds.push(`近 12 个月逾期 ${count} 次（≥ ${rule.overdueCount12mAtLeast} 次）`);
  if (totalFen >= rule.amountAtLeast)
    grounds.push(`欠款 ${fenToFigures(totalFen)} 元（≥ ${fenToFigures(rule.amountAtLeast)} 元）`);
  return grounds.join('，且');
}

function highRiskGroundsEn(count: number, totalFen: number, rule: HighRiskRule): string {
  const grounds: string[] = [];
  if (count >= rule.overdueCount12mAtLeast) grounds.push(`${count} overdue episodes in 12 months`);
  if (totalFen >= rule.amountAtLeast) grounds.push(`owes ${fenToFigures(totalFen)}`);
  return grounds.join(' and ');
}
