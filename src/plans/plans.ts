/**
 * Repayment plans (分期还款方案): the creditor's settings (which options its demands and
 * lawyer's letters offer), the options a letter offers as computed from its stored input, and
 * the 还款计划确认函 that confirms a plan the debtor accepted (debtors/ records the acceptance),
 * issued through the registry, numbered and verifiable.
 */
import type { Audit } from '../audit/audit.js';
import type { LetterRecord } from '../letters/letter-store.js';
import type { IssueResult, Letters } from '../letters/letters.js';
import type { Caller } from '../orgs/model.js';
import {
  deadlineOf,
  fenToYuan,
  type PlanSchedule,
  planOptionsOf,
  planRateOverCap,
  planTermsSchema,
  validate,
} from '../pipeline/index.js';
import { addDays, todayInShanghai } from '../pipeline/schema/dates.js';
import { zodIssues } from '../pipeline/schema/issues.js';
import type { LetterData } from '../pipeline/schema/validate.js';
import { invalidInput } from '../shared/errors.js';
import type { AcceptedPlan, PlanSettings, PlanStore } from './plan-store.js';

export type { AcceptedPlan, PlanSettings } from './plan-store.js';

/** The first confirmation version that states a plan's cost. */
const COSTED_CONFIRMATION = 'plan-confirmation@2';

export interface PlanOffer {
  options: PlanSchedule[];
  /** The last day the debtor may accept: the letter's deadline, and before the first instalment falls due. */
  acceptUntil: string;
  accepted: AcceptedPlan | null;
}

export class Plans {
  constructor(
    private store: PlanStore,
    private letters: Letters,
    private audit: Audit,
  ) {}

  settings(orgId: string): Promise<PlanSettings | null> {
    return this.store.settings(orgId);
  }

  /** PUT /v1/plan-settings: the options the organisation's demands and lawyer's letters offer from now on. */
  async saveSettings(caller: Caller, raw: unknown): Promise<PlanSettings> {
    const r = planTermsSchema.safeParse(raw);
    if (!r.success) throw invalidInput(zodIssues(r.error, raw));
    const rateIssue = planRateOverCap(r.data, todayInShanghai());
    if (rateIssue) throw invalidInput([rateIssue]);
    const s: PlanSettings = {
      orgId: caller.orgId,
      ...r.data,
      updatedAt: new Date().toISOString(),
      updatedBy: caller.keyId,
    };
    await this.store.transaction(async () => {
      await this.store.saveSettings(s);
      await this.audit.append({
        orgId: caller.orgId,
        actor: caller.keyId,
        action: 'plan-settings.save',
        subject: caller.orgId,
        details: {
          terms: s.terms,
          firstDueDays: s.firstDueDays,
          minInstalmentFen: s.minInstalment,
          graceDays: s.graceDays,
          interest: s.interest,
          annualRateBp: s.annualRateBp ?? null,
        },
      });
    });
    return s;
  }

  deleteSettings(caller: Caller): Promise<boolean> {
    return this.store.transaction(async () => {
      const gone = await this.store.deleteSettings(caller.orgId);
      if (gone)
        await this.audit.append({
          orgId: caller.orgId,
          actor: caller.keyId,
          action: 'plan-settings.delete',
          subject: caller.orgId,
        });
      return gone;
    });
  }

  /** The plan options a letter offers, from its stored input; null when it offers none. */
  async offer(letter: LetterRecord): Promise<PlanOffer | null> {
    const data = this.dataOf(letter);
    if (!data?.plans) return null;
    const options = planOptionsOf(data);
    if (!options.length) return null;
    const firstDue = options.map((o) => o.instalments[0]!.dueDate).sort()[0]!;
    const deadline = deadlineOf(data, this.letters.catalogFor(letter.orgId)) ?? firstDue;
    const acceptUntil = [deadline, addDays(firstDue, -1)].sort()[0]!;
    return { options, acceptUntil, accepted: await this.store.byLetter(letter.id) };
  }

  /** Keeps an accepted plan with its encrypted acceptance record; false when the letter already has one (one acceptance per offer: the store's unique key decides). */
  insertAccepted(plan: AcceptedPlan, acceptanceEncrypted: string | null = null): Promise<boolean> {
    return this.store.insert(plan, acceptanceEncrypted);
  }

  /** The plan's encrypted acceptance record (debtors/ opens it); null for a plan accepted before records were kept. */
  acceptanceEncryptedOf(planId: string): Promise<string | null> {
    return this.store.acceptanceOf(planId);
  }

  forContract(clientOrgId: string, contractNo: string): Promise<AcceptedPlan[]> {
    return this.store.forContract(clientOrgId, contractNo);
  }

  /** Issues (or, on a retry, returns) the 还款计划确认函 for an accepted plan. */
  async confirm(letter: LetterRecord, plan: AcceptedPlan): Promise<IssueResult> {
    const raw = this.letters.inputOf(letter) as Record<string, unknown>;
    const data = this.dataOf(letter)!;
    // A plan with a cost is confirmed by a version that states it (plan-confirmation@2 and later);
    // pinned, because the version in effect on the acceptance day may be one that says "no interest".
    const costed = plan.annualRateBp !== null && plan.interestFrom !== null;
    const input = {
      kind: 'plan-confirmation',
      issueDate: plan.acceptedOn,
      asOf: data.asOf,
      ...(costed ? { template: COSTED_CONFIRMATION } : {}),
      creditor: raw.creditor,
      debtor: raw.debtor,
      account: raw.account,
      debt: raw.debt,
      // The same terms the offer's figures were computed from, so the confirmation's reconcile too.
      ...(raw.terms !== undefined ? { terms: raw.terms } : {}),
      plan: {
        offer: { kind: letter.kind, number: letter.number, issueDate: letter.issueDate },
        acceptedOn: plan.acceptedOn,
        // The offer's acceleration term, which the debtor accepted with the plan (a confirmation from plan-confirmation@4 repeats it).
        ...((raw.plans as { acceleration?: boolean } | undefined)?.acceleration === true ? { acceleration: true } : {}),
        graceDays: plan.graceDays,
        instalments: plan.instalments.map((i) => ({
          dueDate: i.dueDate,
          amount: fenToYuan(i.amountFen),
          ...(costed ? { interest: fenToYuan(i.interestFen ?? 0) } : {}),
        })),
        ...(costed ? { cost: { annualRateBp: plan.annualRateBp, from: plan.interestFrom } } : {}),
      },
    };
    const issued = await this.letters.issue(input, {
      orgId: letter.clientOrgId,
      idempotencyKey: `plan:${plan.id}`,
      requester: 'debtor',
      today: plan.acceptedOn,
      confirmsPlan: plan.id,
    });
    if (!plan.confirmationId) {
      await this.store.transaction(async () => {
        await this.store.setConfirmation(plan.id, issued.record.id);
        if (!issued.replayed)
          await this.audit.append({
            orgId: letter.clientOrgId,
            actor: 'debtor',
            action: 'plan.confirmation',
            subject: plan.id,
            details: { letter: letter.id, confirmation: issued.record.id, number: issued.record.number },
          });
      });
      plan.confirmationId = issued.record.id;
    }
    return issued;
  }

  /** The plan accepted on a letter, if any (the caller has checked the letter is the caller's). */
  byLetter(letterId: string): Promise<AcceptedPlan | null> {
    return this.store.byLetter(letterId);
  }

  /** GET /v1/plans: the plans debtors accepted on the organisation's contracts, newest first, with their confirmation letters. */
  async list(
    caller: Caller,
  ): Promise<(AcceptedPlan & { confirmation: { id: string; number: string; pdf: string } | null })[]> {
    const plans = await this.store.list(caller.orgId, 500);
    return Promise.all(
      plans.map(async (p) => {
        const c = p.confirmationId ? await this.letters.byId(p.confirmationId) : null;
        return { ...p, confirmation: c ? { id: c.id, number: c.number, pdf: `/v1/letters/${c.id}/pdf` } : null };
      }),
    );
  }

  /** A letter's stored input, validated as of its issue date; null once purged or if it no longer validates. */
  dataOf(letter: LetterRecord): LetterData | null {
    const input = this.letters.inputOf(letter);
    if (input === null) return null;
    const r = validate(input, { today: letter.issueDate });
    return r.ok ? r.value : null;
  }
}
