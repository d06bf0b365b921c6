/**
 * Repayment plans (分期还款方案): the creditor's settings (which options its demands and
 * lawyer's letters offer), the options a letter offers as computed from its stored input, and
 * the debtor's acceptance on the verification page — recorded (plan, `plan-accepted` event,
 * audit) and confirmed by a 还款计划确认函 issued through the registry, numbered and verifiable.
 */
import { randomUUID } from 'node:crypto';
import type { LetterRecord } from '../letters/letter-store.js';
import type { IssueResult, Registry } from '../letters/registry.js';
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
import { HanjianError, invalidInput, makeIssue } from '../shared/errors.js';
import type { AcceptedPlan, PlanSettings } from './plan-store.js';

/** The first confirmation version that states a plan's cost. */
const COSTED_CONFIRMATION = 'plan-confirmation@2';

const fail = (code: string, category: HanjianError['category'], zh: string, en: string, path?: string) =>
  new HanjianError({ code, category, zh, en, path });

export interface PlanOffer {
  options: PlanSchedule[];
  /** The last day the debtor may accept: the letter's deadline, and before the first instalment falls due. */
  acceptUntil: string;
  accepted: AcceptedPlan | null;
}

export class Plans {
  constructor(private registry: Registry) {}

  settings(orgId: string): Promise<PlanSettings | null> {
    return this.registry.plans.settings(orgId);
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
    await this.registry.db.transaction(async () => {
      await this.registry.plans.saveSettings(s);
      await this.registry.audit.append({
        orgId: caller.orgId,
        actor: caller.keyId,
        action: 'plan-settings',
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

  async deleteSettings(caller: Caller): Promise<boolean> {
    return this.registry.db.transaction(async () => {
      const gone = await this.registry.plans.deleteSettings(caller.orgId);
      if (gone)
        await this.registry.audit.append({
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
    const deadline = deadlineOf(data) ?? firstDue;
    const acceptUntil = [deadline, addDays(firstDue, -1)].sort()[0]!;
    return { options, acceptUntil, accepted: await this.registry.plans.byLetter(letter.id) };
  }

  /** The debtor accepts one option (by its number of instalments). Accepting the same option again returns the same plan. */
  async accept(
    letter: LetterRecord,
    raw: { terms?: unknown },
    opts: { today?: string } = {},
  ): Promise<{ plan: AcceptedPlan; confirmation: IssueResult }> {
    const today = opts.today ?? todayInShanghai();
    if (letter.status === 'void') throw fail('LETTER_VOID', 'conflict', '该函件已作废', 'the letter is void');
    const offer = await this.offer(letter);
    if (!offer)
      throw fail(
        'PLAN_NOT_OFFERED',
        'not_found',
        '该函件没有提供分期还款方案',
        'this letter offers no repayment plan',
        'terms',
      );
    const terms = typeof raw.terms === 'string' && /^\d{1,2}$/.test(raw.terms) ? Number(raw.terms) : raw.terms;
    const option = offer.options.find((o) => o.terms === terms);
    if (!option)
      throw invalidInput([
        makeIssue(
          'terms',
          'PLAN_OPTION',
          `请选择函件所列的方案：分${offer.options.map((o) => o.terms).join('、')}期`,
          `choose one of the letter's options: ${offer.options.map((o) => o.terms).join(', ')} instalments`,
        ),
      ]);
    if (offer.accepted) {
      if (offer.accepted.terms !== option.terms)
        throw fail(
          'PLAN_ALREADY_ACCEPTED',
          'conflict',
          `已于${offer.accepted.acceptedOn}接受分${offer.accepted.terms}期的方案`,
          `a ${offer.accepted.terms}-instalment plan was already accepted on ${offer.accepted.acceptedOn}`,
          'terms',
        );
      return { plan: offer.accepted, confirmation: await this.confirm(letter, offer.accepted) };
    }
    if (today > offer.acceptUntil)
      throw fail(
        'PLAN_OFFER_EXPIRED',
        'conflict',
        `方案的接受期限已于${offer.acceptUntil}届满，请与债权人联系`,
        `the offer could be accepted until ${offer.acceptUntil}: contact the creditor`,
        'terms',
      );
    const contractNo = letter.contractNo ?? '';
    if (await this.registry.openDisputeFor(letter.clientOrgId, contractNo))
      throw fail(
        'DISPUTE_OPEN',
        'conflict',
        '该合同的异议或困难帮扶申请尚未处理，处理后再选择方案',
        'a dispute or hardship request on this contract is open: choose a plan once it is resolved',
        'terms',
      );
    const data = this.dataOf(letter)!;
    const plan: AcceptedPlan = {
      id: randomUUID(),
      letterId: letter.id,
      clientOrgId: letter.clientOrgId,
      contractNo,
      terms: option.terms,
      instalments: option.instalments.map((i) => ({
        dueDate: i.dueDate,
        amountFen: i.amount,
        ...(option.rateBp > 0 ? { interestFen: i.interest } : {}),
      })),
      totalFen: option.total,
      graceDays: data.plans!.graceDays,
      acceptedOn: today,
      acceptedAt: new Date().toISOString(),
      confirmationId: null,
      costFen: option.cost,
      annualRateBp: option.rateBp > 0 ? option.rateBp : null,
      interestFrom: option.rateBp > 0 ? data.asOf : null,
    };
    // One acceptance per letter: the store's unique key decides a race between two submits.
    // The plan and its event commit together.
    const inserted = await this.registry.db.transaction(async () => {
      if (!(await this.registry.plans.insert(plan))) return false;
      await this.registry.lifecycle.append(letter, 'plan-accepted', plan.acceptedAt, 'debtor', {
        plan: plan.id,
        terms: plan.terms,
        totalFen: plan.totalFen,
        costFen: plan.costFen,
        firstDue: plan.instalments[0]!.dueDate,
      });
      return true;
    });
    if (!inserted) return this.accept(letter, raw, opts);
    return { plan, confirmation: await this.confirm(letter, plan) };
  }

  /** Issues (or, on a retry, returns) the 还款计划确认函 for an accepted plan. */
  private async confirm(letter: LetterRecord, plan: AcceptedPlan): Promise<IssueResult> {
    const raw = this.registry.inputOf(letter) as Record<string, unknown>;
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
      plan: {
        offer: { kind: letter.kind, number: letter.number, issueDate: letter.issueDate },
        acceptedOn: plan.acceptedOn,
        graceDays: plan.graceDays,
        instalments: plan.instalments.map((i) => ({
          dueDate: i.dueDate,
          amount: fenToYuan(i.amountFen),
          ...(costed ? { interest: fenToYuan(i.interestFen ?? 0) } : {}),
        })),
        ...(costed ? { cost: { annualRateBp: plan.annualRateBp, from: plan.interestFrom } } : {}),
      },
    };
    const issued = await this.registry.issue(input, {
      orgId: letter.clientOrgId,
      idempotencyKey: `plan:${plan.id}`,
      requester: 'debtor',
      today: plan.acceptedOn,
      confirmsPlan: plan.id,
    });
    if (!plan.confirmationId) {
      await this.registry.plans.setConfirmation(plan.id, issued.record.id);
      plan.confirmationId = issued.record.id;
      if (!issued.replayed)
        await this.registry.audit.append({
          orgId: letter.clientOrgId,
          actor: 'debtor',
          action: 'plan.confirmation',
          subject: plan.id,
          details: { letter: letter.id, confirmation: issued.record.id, number: issued.record.number },
        });
    }
    return issued;
  }

  /** GET /v1/plans: the plans debtors accepted on the organisation's contracts, newest first, with their confirmation letters. */
  async list(
    caller: Caller,
  ): Promise<(AcceptedPlan & { confirmation: { id: string; number: string; pdf: string } | null })[]> {
    const plans = await this.registry.plans.list(caller.orgId, 500);
    return Promise.all(
      plans.map(async (p) => {
        const c = p.confirmationId ? await this.registry.store.findById(p.confirmationId) : null;
        return { ...p, confirmation: c ? { id: c.id, number: c.number, pdf: `/v1/letters/${c.id}/pdf` } : null };
      }),
    );
  }

  private dataOf(letter: LetterRecord): LetterData | null {
    const input = this.registry.inputOf(letter);
    if (input === null) return null;
    const r = validate(input, { today: letter.issueDate });
    return r.ok ? r.value : null;
  }
}
