/**
 * What the registry adds to a letter it issues, from its own records — never typed in by the
 * caller: the previous letter on the contract (a follow-up refers to it: “本所已于……向您发出
 * ……号律师函”) and the creditor's repayment plan options (附件：分期还款方案). Only for a
 * template version that prints them (manifest `prints`); older versions are issued as before.
 */

import type { PlanTerms } from '../pipeline/facts/plan-schedule.js';
import {
  type Catalog,
  COLLECTION_KINDS,
  fenToYuan,
  planOptionsOf,
  resolveTemplateId,
  templatePrints,
} from '../pipeline/index.js';
import type { LetterData } from '../pipeline/schema/validate.js';
import { HanjianError } from '../shared/errors.js';
import type { LetterRecord } from './letter-store.js';

const refuse = (path: string, zh: string, en: string) =>
  new HanjianError({ code: 'FROM_REGISTRY', category: 'invalid_input', path, zh, en });

/** The caller's input with `previous` and `plans` filled in; the caller may send neither. */
export function addRegistryFacts(
  input: Record<string, unknown>,
  data: LetterData,
  ctx: { letters: LetterRecord[]; settings: PlanTerms | null; sender: string; catalog?: Catalog },
): Record<string, unknown> {
  if (input.previous !== undefined)
    throw refuse(
      'previous',
      '前一封函件由登记簿根据记录填写，请勿在输入中提供',
      'the registry fills in the previous letter from its records: do not send previous',
    );
  if (input.plans !== undefined)
    throw refuse(
      'plans',
      '分期还款方案取自债权人的方案设置（PUT /v1/plan-settings），请勿在输入中提供',
      "plan options come from the creditor's plan settings (PUT /v1/plan-settings): do not send plans",
    );
  const prints = templatePrints(data, ctx.catalog);
  const out = { ...input };
  if (prints.includes('previous')) {
    const prev = ctx.letters
      .filter(
        (r) =>
          r.status !== 'void' &&
          (COLLECTION_KINDS as readonly string[]).includes(r.kind) &&
          r.issueDate < data.issueDate,
      )
      .sort((a, b) => a.issueDate.localeCompare(b.issueDate) || a.createdAt.localeCompare(b.createdAt))
      .at(-1);
    if (prev)
      out.previous = {
        kind: prev.kind,
        number: prev.number,
        issueDate: prev.issueDate,
        sender: prev.sender === ctx.sender ? 'self' : 'other',
      };
  }
  const s = ctx.settings;
  if (prints.includes('plans') && s && (data.kind === 'demand' || data.kind === 'lawyer-letter')) {
    const charges = s.interest === 'continues';
    const refused = costedPlanRefusal(prints, s, resolveTemplateId(data, ctx.catalog));
    if (refused) throw refused;
    const plans = {
      terms: s.terms,
      firstDueDays: s.firstDueDays,
      minInstalment: fenToYuan(s.minInstalment),
      graceDays: s.graceDays,
      ...(charges ? { interest: 'continues' as const, annualRateBp: s.annualRateBp } : {}),
    };
    // A debt too small for any option gets no attachment rather than an empty one.
    if (
      planOptionsOf({ ...data, plans: { ...plans, minInstalment: s.minInstalment, interest: s.interest ?? 'stops' } })
        .length
    )
      out.plans = plans;
  }
  return out;
}

/**
 * A version that prints plans but says they cost nothing cannot carry settings under which
 * interest continues: refused rather than printed free (the creditor did not offer that) or
 * dropped (the debtor loses the offer). Also checked when a lawyer's letter is requested, so a
 * reviewer never approves a letter that cannot be issued.
 */
export function costedPlanRefusal(
  prints: readonly string[],
  settings: PlanTerms | null,
  templateId: string,
  path = 'template',
): HanjianError | null {
  if (settings?.interest !== 'continues' || !prints.includes('plans') || prints.includes('plan-cost')) return null;
  return refuse(
    path,
    `债权人的分期方案设置在分期期间继续计息，而模板 ${templateId} 不列明方案的成本：请指定较新的模板版本，或将方案设置为分期期间停止计息`,
    `the creditor's plan settings charge interest under a plan, and template ${templateId} does not state a plan's cost: pin a newer version, or set interest to stop under a plan`,
  );
}
