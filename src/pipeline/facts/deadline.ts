/**
 * The payment deadline a letter prints. Versions that count from receipt (manifest
 * `deadlineFrom: "receipt"`) leave the demanded days after the letter's expected receipt for its
 * delivery channel (rules/delivery.json): a notice takes effect when it reaches the debtor (民法典
 * 第一百三十七条), and counting from the issue date gives a posted letter's reader less time than
 * it says. Earlier versions say “自本函出具之日的次日起算” and keep counting from the issue date.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { rulesPath } from '../../shared/paths.js';
import { addDays } from '../schema/dates.js';
import { DELIVERY_METHODS } from '../schema/letter.js';
import { type Calendar, computeDeadline, type Deadline } from './calendar.js';

export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

const deliveryRulesSchema = z.object({
  receiptDays: z.strictObject(
    Object.fromEntries(DELIVERY_METHODS.map((m) => [m, z.number().int().min(0).max(30)])) as Record<
      DeliveryMethod,
      z.ZodNumber
    >,
  ),
  source: z.string().min(1),
});
export type DeliveryRules = z.output<typeof deliveryRulesSchema>;

export function loadDeliveryRules(file = rulesPath('delivery.json')): DeliveryRules {
  const r = deliveryRulesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!r.success) throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)}`);
  return r.data;
}
let rules: DeliveryRules | undefined;
export const getDeliveryRules = (): DeliveryRules => (rules ??= loadDeliveryRules());

/** The day a letter sent on `issueDate` by `method` is expected to reach the debtor. */
export function expectedReceipt(
  issueDate: string,
  method: DeliveryMethod,
  r: DeliveryRules = getDeliveryRules(),
): string {
  return addDays(issueDate, r.receiptDays[method]);
}

export interface LetterDeadline extends Deadline {
  /** The day counting starts after: the issue date, or the expected receipt. */
  start: string;
  /** The expected receipt, when the version counts from it. */
  receipt: string | null;
}

export function letterDeadline(
  cal: Calendar,
  letter: { issueDate: string; days: number; delivery?: DeliveryMethod },
  countsFrom: 'issue' | 'receipt',
  r?: DeliveryRules,
): LetterDeadline {
  const receipt =
    countsFrom === 'receipt' && letter.delivery ? expectedReceipt(letter.issueDate, letter.delivery, r) : null;
  const start = receipt ?? letter.issueDate;
  return { ...computeDeadline(cal, start, letter.days), start, receipt };
}

/**
 * The deadline the policy counts with once delivery is recorded: the demanded days after the
 * day the letter reached the debtor, but never before the printed deadline (the debtor may rely
 * on the date the letter gives).
 */
export function deadlineAfterDelivery(cal: Calendar, printed: string, deliveredOn: string, days: number): string {
  const counted = computeDeadline(cal, deliveredOn, days).date;
  return counted > printed ? counted : printed;
}
