/** The escalation policy file (rules/policy.json), validated: a bad policy fails at load, not per account. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HanjianError } from '../../shared/errors.js';
import { rulesPath } from '../../shared/paths.js';
import { money } from '../schema/fields.js';

const day = z.number().int().min(0).max(3650);

export const policySchema = z.strictObject({
  description: z.string().optional(),
  reminderFromDay: day,
  demandFromDay: day,
  /** After a failed auto-debit on an otherwise clean account, the demand waits this many extra days. */
  autoDebitGraceDays: day,
  lawyerLetter: z.strictObject({
    highRiskFromDay: day,
    standardFromDay: day,
    minAmount: money,
    highRisk: z.strictObject({ overdueCount12mAtLeast: z.number().int().min(1), amountAtLeast: money }),
    /** Only after a demand that reached the debtor and whose deadline passed without payment, plan or dispute. */
    afterDemandOnly: z.boolean().default(true),
    /** At most this many lawyer's letters per contract (letters not known to be delivered do not count). */
    maxPerContract: z.number().int().min(1).max(10).default(2),
  }),
  /** A letter with no delivered (or refused) event this many days after its issue is "not known to be delivered": it is no step. */
  deliveryUnknownAfterDays: z.number().int().min(1).max(90).default(15),
  repeatWindowDays: z.strictObject({ reminder: day, demand: day, 'lawyer-letter': day }),
  suspendWhileHardshipPending: z.boolean(),
  suspendWhilePlanCurrent: z.boolean(),
  /** Final demands and lawyer's letters give at least this many days to pay (previews only warn). */
  minDemandDays: z.number().int().min(1).max(30).default(7),
});
export type Policy = z.output<typeof policySchema>;

export function parsePolicy(raw: unknown, source = 'policy'): Policy {
  const r = policySchema.safeParse(raw);
  if (!r.success) {
    const detail = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new HanjianError({
      code: 'POLICY_INVALID',
      category: 'invalid_input',
      path: source,
      zh: `催收策略文件无效：${detail}`,
      en: `invalid policy file: ${detail}`,
    });
  }
  const p = r.data;
  if (!(p.reminderFromDay <= p.demandFromDay && p.lawyerLetter.highRiskFromDay <= p.lawyerLetter.standardFromDay)) {
    throw new HanjianError({
      code: 'POLICY_INVALID',
      category: 'invalid_input',
      path: source,
      zh: '策略的升级天数必须递增',
      en: 'escalation days must not decrease',
    });
  }
  return p;
}

export function loadPolicy(file = rulesPath('policy.json')): Policy {
  return parsePolicy(JSON.parse(readFileSync(file, 'utf8')), file);
}

let defaultPolicy: Policy | undefined;
export const getPolicy = (): Policy => (defaultPolicy ??= loadPolicy());
