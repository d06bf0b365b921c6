/**
 * A contract's history as the registry knows it — letters with their deadlines and delivery,
 * payments, the debtor's disputes and hardship requests, the accepted repayment plan — in the
 * shape the policy reads (`history`). The policy uses it by default; a caller's `history` is
 * only a hint for contracts the registry does not know (and for what only the caller knows: the
 * account's past defaults and a failed auto-debit).
 *
 * Delivery: a letter counts as delivered once a `delivered` or `refused` event is recorded
 * (a refusal is no escape from service), and its payment period then counts from that day
 * (the printed deadline when that is later); without one it is `pending` for the policy's
 * `deliveryUnknownAfterDays` (default 15) days after its issue date, then `unknown`.
 */

import type { Debtors } from '../debtors/debtors.js';
import type { Delivery } from '../delivery/delivery.js';
import type { Letters } from '../letters/letters.js';
import {
  COLLECTION_KINDS,
  deadlineAfterDelivery,
  deadlineOf,
  fenToYuan,
  getCalendar,
  getPolicy,
  type Policy,
  type RecommendResult,
  recommendLetter,
  validate,
} from '../pipeline/index.js';
import { daysBetween, todayInShanghai } from '../pipeline/schema/dates.js';

import type { Plans } from '../plans/plans.js';

type Hint = Record<string, unknown>;

/** The parts a contract's history is read from. */
export interface HistorySources {
  letters: Letters;
  delivery: Delivery;
  debtors: Debtors;
  plans: Plans;
}

export async function contractHistory(
  sources: HistorySources,
  clientOrgId: string,
  contractNo: string,
  today: string,
  policy: Policy,
): Promise<Hint | null> {
  const letters = (await sources.letters.forContract(clientOrgId, contractNo)).filter((r) => r.status !== 'void');
  const plans = await sources.plans.forContract(clientOrgId, contractNo);
  const filed = await sources.debtors.filedOn(clientOrgId, contractNo);
  if (!letters.length && !plans.length && !filed.length) return null;

  const lettersSent: Hint[] = [];
  const payments: { date: string; amount: string }[] = [];
  for (const r of letters.sort((a, b) => a.issueDate.localeCompare(b.issueDate))) {
    const events = await sources.delivery.eventsOf(r.id);
    for (const e of events)
      if (e.type === 'paid')
        payments.push({ date: todayInShanghai(new Date(e.at)), amount: fenToYuan(e.details.amountFen as number) });
    if (!(COLLECTION_KINDS as readonly string[]).includes(r.kind) || r.issueDate > today) continue;
    const reachedAt = events.find((e) => e.type === 'delivered' || e.type === 'refused');
    const reached = !!reachedAt;
    const delivery = reached
      ? 'delivered'
      : daysBetween(r.issueDate, today) > policy.deliveryUnknownAfterDays
        ? 'unknown'
        : 'pending';
    const input = sources.letters.inputOf(r);
    const parsed = input === null ? null : validate(input, { today: r.issueDate });
    // The printed deadline; once the letter is known to have reached the debtor, its period counts
    // from that day (民法典 第一百三十七条) — never ending before the date the letter printed.
    const printed = parsed?.ok ? deadlineOf(parsed.value, sources.letters.catalogFor(r.orgId)) : null;
    const deliveredOn = reachedAt ? todayInShanghai(new Date(reachedAt.at)) : undefined;
    const deadline =
      printed && deliveredOn && parsed?.ok && parsed.value.demand
        ? deadlineAfterDelivery(getCalendar(), printed, deliveredOn, parsed.value.demand.days)
        : printed;
    lettersSent.push({
      kind: r.kind,
      date: r.issueDate,
      delivery,
      ...(deadline ? { deadline } : {}),
      ...(deliveredOn ? { deliveredOn } : {}),
    });
  }
  const plan = plans.at(-1);
  return {
    lettersSent: lettersSent.slice(-100),
    payments: payments.sort((a, b) => a.date.localeCompare(b.date)).slice(-500),
    disputesFiled: filed.map((f) => f.date).slice(-100),
    disputeOpen: filed.some((f) => f.open && f.type === 'dispute'),
    hardshipPending: filed.some((f) => f.open && f.type === 'hardship'),
    ...(plan
      ? {
          plan: {
            acceptedOn: plan.acceptedOn,
            graceDays: plan.graceDays,
            instalments: plan.instalments.map((i) => ({ dueDate: i.dueDate, amount: fenToYuan(i.amountFen) })),
          },
        }
      : {}),
  };
}

/** The caller's hint, with the registry's record of the contract in place of what the registry knows. */
export async function historyFor(
  sources: HistorySources,
  clientOrgId: string,
  input: unknown,
  today: string,
  policy: Policy,
): Promise<unknown> {
  const obj = (input && typeof input === 'object' ? input : {}) as Hint;
  const hint = obj.history;
  const contractNo = (obj.account as Hint | undefined)?.contractNo;
  if (typeof contractNo !== 'string' || !contractNo) return hint;
  const known = await contractHistory(sources, clientOrgId, contractNo, today, policy);
  if (!known) return hint;
  const h = (hint && typeof hint === 'object' ? hint : {}) as Hint;
  // Only the caller knows the account's past defaults and a failed auto-debit.
  const callerOnly = Object.fromEntries(
    ['overdueCount12m', 'autoDebitFailed'].filter((k) => h[k] !== undefined).map((k) => [k, h[k]]),
  );
  return { ...callerOnly, ...known };
}

/** recommendLetter with the registry's history of the contract (POST /v1/recommendations, letter requests). */
export async function recommendWithRegistry(
  sources: HistorySources,
  clientOrgId: string,
  input: unknown,
  options: { policy?: Policy; today?: string } = {},
): Promise<RecommendResult> {
  const policy = options.policy ?? getPolicy();
  const obj = (input && typeof input === 'object' ? input : {}) as Hint;
  const today = options.today ?? todayInShanghai();
  const day = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  const asOf = day(obj.asOf) ?? day(obj.issueDate) ?? today;
  const history = await historyFor(sources, clientOrgId, input, asOf, policy);
  return recommendLetter(history === undefined ? obj : { ...obj, history }, { policy, today });
}
