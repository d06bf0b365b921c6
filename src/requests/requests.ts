/**
 * Letter requests: a creditor asks its law firm for a lawyer's letter under an engagement; a
 * lawyer assigned to that engagement reviews and approves it, and only then is it numbered,
 * sealed and issued in the firm's name with that lawyer printed as 承办律师. The request is
 * validated, composed, guarded and checked against the escalation policy — with the
 * registry's own history of the contract — when it is made, so the lawyer reviews a letter
 * that can be issued as it stands.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Audit } from '../audit/audit.js';
import type { Debtors } from '../debtors/debtors.js';
import { type HistorySources, recommendWithRegistry } from '../history/contract-history.js';
import { costedPlanRefusal } from '../letters/follow-up.js';
import type { Letters } from '../letters/letters.js';
import { assertDatedToday, assertNotIssuedToday, assertOwnSender, mandateRequiredError } from '../letters/rules.js';
import { assertActive } from '../orgs/active.js';
import { type Caller, type Engagement, inForce, type Org, type User } from '../orgs/model.js';
import type { Orgs } from '../orgs/orgs.js';
import { sha256Json } from '../pipeline/compose.js';
import { maskName } from '../pipeline/facts/mask.js';
import { listsMandate, type Policy, summarize } from '../pipeline/index.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import { zodIssues } from '../pipeline/schema/issues.js';
import type { Plans } from '../plans/plans.js';
import { HanjianError, invalidInput, isHanjianError, makeIssue } from '../shared/errors.js';
import type { RequestRow, RequestStore } from './request-store.js';

export const requestBodySchema = z.strictObject({
  /** Required for a lawyer's letter; absent for a creditor's own letter under its review setting. */
  engagement: z.string().min(1).max(64).optional(),
  letter: z.record(z.string(), z.unknown()),
  override: z.strictObject({ reason: z.string().trim().min(5).max(500) }).optional(),
});
export type RequestBody = z.output<typeof requestBodySchema>;

/** A rejection says why, in 2–500 characters: the reason, trimmed, or INVALID_INPUT naming `reason`. */
export function rejectionReason(reason: string): string {
  const why = reason.trim();
  if (why.length < 2 || why.length > 500)
    throw fail(
      'INVALID_INPUT',
      'invalid_input',
      '退回须说明理由（2–500 字）',
      'a rejection needs a reason (2–500 characters)',
      'reason',
    );
  return why;
}

export interface RequestView {
  id: string;
  status: RequestRow['status'];
  kind: string;
  engagement: string | null;
  contractNo: string;
  debtor: string;
  total: string;
  requestedBy: string;
  createdAt: string;
  override: { reason: string } | null;
  policyReasons: string[];
  decision: { by: string; reason: string | null; at: string } | null;
  letter: { id: string; number: string; pdf: string } | null;
}

type Write = () => Promise<void>;

const fail = (code: string, category: HanjianError['category'], zh: string, en: string, path?: string) =>
  new HanjianError({ code, category, zh, en, path });
const notFound = () => fail('REQUEST_NOT_FOUND', 'not_found', '没有这个发函申请', 'no such letter request', 'id');

export interface RequestsDeps {
  letters: Letters;
  orgs: Orgs;
  debtors: Debtors;
  plans: Plans;
  audit: Audit;
  /** Where the policy reads a contract's history from. */
  history: HistorySources;
}

export class Requests {
  constructor(
    private rows: RequestStore,
    private deps: RequestsDeps,
    private options: { policy?: Policy; chargesOverCap?: 'error' | 'warn' } = {},
  ) {}

  /** POST /v1/letter-requests: 202 pending_review, or the reasons it cannot be requested. */
  async request(
    raw: unknown,
    caller: Caller,
    opts: { today?: string; idempotencyKey?: string; collect?: Write[] } = {},
  ): Promise<RequestView> {
    const parsed = requestBodySchema.safeParse(raw);
    if (!parsed.success) throw invalidInput(zodIssues(parsed.error, raw));
    const body = parsed.data;
    const today = opts.today ?? todayInShanghai();
    if (opts.idempotencyKey) {
      const existing = await this.rows.byIdempotencyKey(caller.orgId, opts.idempotencyKey);
      if (existing) return this.view(existing);
    }
    const letter = body.letter;
    if (letter.kind === 'reminder' || letter.kind === 'demand')
      return this.requestOwn(body, caller, today, opts.idempotencyKey, opts.collect);
    const eng = body.engagement ? await this.deps.orgs.engagement(body.engagement) : null;
    if (!eng || eng.creditorOrgId !== caller.orgId)
      throw fail('ENGAGEMENT_NOT_FOUND', 'not_found', '没有这个委托', 'no such engagement', 'engagement');
    if (!inForce(eng, today))
      throw fail(
        'ENGAGEMENT_NOT_IN_FORCE',
        'invalid_input',
        `委托在 ${today} 不在有效期内（${eng.startsOn} 至 ${eng.endsOn ?? '长期'}）`,
        `the engagement is not in force on ${today}`,
        'engagement',
      );
    if (letter.kind !== 'lawyer-letter')
      throw fail(
        'KIND_NOT_REQUESTABLE',
        'invalid_input',
        '函件种类应为 reminder、demand 或 lawyer-letter',
        'the kind must be reminder, demand or lawyer-letter',
        'letter.kind',
      );
    for (const k of ['lawFirm', 'lawyers', 'letterNo', 'engagement', 'previous', 'plans'] as const) {
      if (letter[k] !== undefined)
        throw fail(
          'NOT_ALLOWED',
          'invalid_input',
          '律师事务所、承办律师、函号、前一封函件和分期方案由委托、审核和登记簿决定，请勿在申请中提供',
          'the firm, the lawyers, the number, the previous letter and the plan options come from the engagement, the review and the registry: do not send them',
          `letter.${k}`,
        );
    }
    assertDatedToday(letter.issueDate, today, 'letter.issueDate');
    const firm = await this.deps.orgs.org(eng.firmOrgId);
    const lawyers = await Promise.all(eng.lawyerIds.slice(0, 2).map((id) => this.deps.orgs.user(id)));
    // The firm, the lawyers and the engagement's date come from the records, never from the request.
    const full = {
      ...letter,
      issueDate: today,
      lawFirm: firmOf(firm),
      lawyers: lawyers.map(lawyerOf),
      engagement: { date: eng.signedOn },
    };

    const account = (letter.account ?? {}) as { product?: unknown; contractNo?: unknown };
    if (eng.products.length && !eng.products.includes(String(account.product))) {
      throw fail(
        'PRODUCT_NOT_COVERED',
        'invalid_input',
        `委托不涵盖产品“${String(account.product)}”`,
        `the engagement does not cover the product "${String(account.product)}"`,
        'letter.account.product',
      );
    }
    const creditorOrg = await this.deps.orgs.org(caller.orgId);
    // A creditor requests only in its own name (the firm, the sender of the letter, comes from the engagement).
    assertOwnSender(
      creditorOrg,
      { kind: 'request', creditor: letter.creditor as { name?: unknown } | undefined },
      'letter',
    );
    // Validate, compose and guard now: 422 with every issue, exactly as a preview would.
    // In the firm's own catalogue: the firm is the sender, its released wording is what the lawyer will approve.
    const summary = summarize(full, {
      today,
      catalog: this.deps.letters.catalogFor(firm.id),
      compliance: { chargesOverCap: this.options.chargesOverCap ?? 'error' },
    });
    const contractNo = String(account.contractNo);
    this.deps.letters.assertIssuable(summary.template, firm.id);
    // The letter lists the 授权委托书: it is issued only with it, so an engagement without the file is refused now.
    if (listsMandate(summary.attachments) && !eng.mandateFile) throw mandateRequiredError('engagement');
    const prints =
      this.deps.letters.catalogFor(firm.id).versions.find((v) => v.id === summary.template)?.manifest.prints ?? [];
    const costed = costedPlanRefusal(
      prints,
      await this.deps.plans.settings(caller.orgId),
      summary.template,
      'letter.template',
    );
    if (costed) throw costed;

    // An open dispute is its own answer (409 DISPUTE_OPEN), not one of the policy's reasons: checked before the policy,
    // which would otherwise refuse with POLICY_NOT_YET for the same cause.
    await this.deps.debtors.assertNoOpenDispute(caller.orgId, contractNo, 'letter.account.contractNo');
    // The policy, with what the registry knows about this contract (not only what the caller says).
    const issued = await this.deps.letters.forContract(caller.orgId, contractNo);
    const rec = await recommendWithRegistry(this.deps.history, caller.orgId, full, {
      policy: this.options.policy,
      today,
    });
    if (!rec.ok) throw invalidInput(rec.issues);
    const allowed = rec.value.kind === 'lawyer-letter';
    if (!allowed && !body.override) {
      throw new HanjianError({
        code: 'POLICY_NOT_YET',
        category: 'invalid_input',
        path: 'letter',
        zh: `按催收策略，现在还不能发律师函：${rec.value.reasons.join('；')}`,
        en: `the escalation policy does not allow a lawyer's letter yet: ${rec.value.reasons.join('; ')}`,
        issues: rec.value.reasons.map((r) =>
          makeIssue('letter', 'POLICY_NOT_YET', r, "the escalation policy does not allow a lawyer's letter yet"),
        ),
      });
    }
    if (body.override && caller.scopes && !caller.scopes.has('override'))
      throw fail(
        'FORBIDDEN',
        'forbidden',
        '此密钥没有 override 权限，不能越过催收策略',
        'this key lacks the override scope needed to override the policy',
        'override',
      );
    assertNotIssuedToday(issued, 'lawyer-letter', today, 'letter.account.contractNo');
    if (await this.rows.pendingFor(caller.orgId, contractNo, 'lawyer-letter'))
      throw fail(
        'REQUEST_PENDING',
        'conflict',
        '该合同已有待审核的律师函申请',
        "a lawyer's letter request for this contract is already pending review",
        'letter.account.contractNo',
      );

    const now = new Date().toISOString();
    const row: RequestRow = {
      id: randomUUID(),
      creditorOrgId: caller.orgId,
      engagementId: eng.id,
      kind: 'lawyer-letter',
      contractNo,
      status: 'pending_review',
      inputJson: this.deps.letters.encryptInput(letter),
      inputSha256: sha256Json(letter),
      requestedBy: caller.keyId,
      overrideReason: !allowed ? body.override!.reason : null,
      policyReasons: rec.value.reasons,
      decidedBy: null,
      decisionReason: null,
      letterId: null,
      idempotencyKey: opts.idempotencyKey ?? null,
      createdAt: now,
      updatedAt: now,
      debtorMasked: maskName(summary.debtor),
      total: summary.total,
    };
    await this.write(opts.collect, async () => {
      await this.rows.insert(row);
      await this.deps.audit.append({
        orgId: caller.orgId,
        actor: caller.keyId,
        action: 'request.add',
        subject: row.id,
        details: { engagement: eng.id, kind: row.kind, contractNo, inputSha256: row.inputSha256 },
      });
      if (row.overrideReason)
        await this.deps.audit.append({
          orgId: caller.orgId,
          actor: caller.keyId,
          action: 'request.override',
          subject: row.id,
          details: { reason: row.overrideReason, policyReasons: rec.value.reasons },
        });
    });
    return this.view(row);
  }

  /** Now, in its own transaction; or handed to `collect` for requestMany to commit with the others. */
  private async write(collect: Write[] | undefined, fn: Write): Promise<void> {
    if (collect) collect.push(fn);
    else await this.rows.transaction(fn);
  }

  /**
   * Many requests under one caller (a spreadsheet import): each checked exactly as `request`
   * checks it, the accepted ones committed in one transaction rather than one each, which is
   * what makes a 1,000-row import take seconds, not tens of seconds, on a durable (fsync per
   * commit) database. Each result is the request, or the error that refused it.
   */
  async requestMany(
    items: { body: unknown; idempotencyKey?: string }[],
    caller: Caller,
    opts: { today?: string } = {},
  ): Promise<(RequestView | HanjianError)[]> {
    const writes: Write[] = [];
    const out: (RequestView | HanjianError)[] = [];
    const contracts = new Set<string>();
    for (const item of items) {
      const before = writes.length;
      try {
        const view = await this.request(item.body, caller, {
          today: opts.today,
          idempotencyKey: item.idempotencyKey,
          collect: writes,
        });
        // Not yet committed, so the pending-request check cannot see an earlier item of this call.
        const key = `${view.kind}:${view.contractNo}`;
        if (contracts.has(key) && view.status === 'pending_review')
          throw fail(
            'REQUEST_PENDING',
            'conflict',
            '该合同已有待审核的律师函申请',
            "a lawyer's letter request for this contract is already pending review",
            'letter.account.contractNo',
          );
        contracts.add(key);
        out.push(view);
      } catch (e) {
        if (!isHanjianError(e)) throw e;
        writes.length = before; // a refused item writes nothing
        out.push(e);
      }
    }
    if (writes.length)
      await this.rows.transaction(async () => {
        for (const w of writes) await w();
      });
    return out;
  }

  /**
   * A creditor that reviews its own letters (organisation setting): a reminder or demand waits
   * for a reviewer of the same organisation, with the same checks as a direct issue.
   */
  private async requestOwn(
    body: RequestBody,
    caller: Caller,
    today: string,
    idempotencyKey?: string,
    collect?: Write[],
  ): Promise<RequestView> {
    const org = await this.deps.orgs.org(caller.orgId);
    if (!org.reviewOwnLetters)
      throw fail(
        'REVIEW_NOT_ENABLED',
        'invalid_input',
        '本机构未开启自有函件审核：请直接用 POST /v1/letters 出具',
        'this organisation does not review its own letters: issue them with POST /v1/letters',
        'letter.kind',
      );
    if (body.engagement)
      throw fail(
        'NOT_ALLOWED',
        'invalid_input',
        '债权人自己的函件不需要委托',
        "a creditor's own letter needs no engagement",
        'engagement',
      );
    // Refused now, not at approval: the registry assigns the number when the reviewer approves.
    if (body.letter.letterNo !== undefined)
      throw fail(
        'NOT_ALLOWED',
        'invalid_input',
        '函号在审核通过出具时由登记簿分配，请勿在申请中提供',
        'the registry assigns the number when the letter is approved: do not send letterNo',
        'letter.letterNo',
      );
    const letter: Record<string, unknown> = { ...body.letter, issueDate: today };
    assertDatedToday(body.letter.issueDate, today, 'letter.issueDate');
    const summary = summarize(letter, {
      today,
      catalog: this.deps.letters.catalogFor(org.id),
      compliance: { chargesOverCap: this.options.chargesOverCap ?? 'error' },
    });
    this.deps.letters.assertIssuable(summary.template, org.id);
    const contractNo = String((letter.account as { contractNo?: unknown }).contractNo);
    const now = new Date().toISOString();
    const row: RequestRow = {
      id: randomUUID(),
      creditorOrgId: caller.orgId,
      engagementId: null,
      kind: String(letter.kind),
      contractNo,
      status: 'pending_review',
      inputJson: this.deps.letters.encryptInput(body.letter),
      inputSha256: sha256Json(body.letter),
      requestedBy: caller.keyId,
      overrideReason: null,
      policyReasons: [],
      decidedBy: null,
      decisionReason: null,
      letterId: null,
      idempotencyKey: idempotencyKey ?? null,
      createdAt: now,
      updatedAt: now,
      debtorMasked: maskName(summary.debtor),
      total: summary.total,
    };
    await this.write(collect, async () => {
      await this.rows.insert(row);
      await this.deps.audit.append({
        orgId: caller.orgId,
        actor: caller.keyId,
        action: 'request.add',
        subject: row.id,
        details: { kind: row.kind, contractNo, inputSha256: row.inputSha256 },
      });
    });
    return this.view(row);
  }

  /** A request visible to the caller: its creditor's, or its engagement's firm's. Anything else: not found. */
  private async visible(id: string, caller: Caller): Promise<{ row: RequestRow; eng: Engagement | null }> {
    const row = await this.rows.byId(id);
    const eng = row?.engagementId ? await this.deps.orgs.engagement(row.engagementId) : null;
    if (!row || (caller.orgId !== row.creditorOrgId && caller.orgId !== eng?.firmOrgId)) throw notFound();
    return { row, eng };
  }

  /**
   * The approving lawyer: a key bound to a lawyer of the engagement's firm who is assigned to it.
   * For a creditor's own letter: a person of that creditor (not the key that asked).
   */
  private async reviewer(caller: Caller, eng: Engagement | null, row: RequestRow): Promise<User> {
    if (!eng) {
      const user = caller.userId ? await this.deps.orgs.user(caller.userId) : null;
      if (!user || user.orgId !== row.creditorOrgId || user.role !== 'admin' || caller.keyId === row.requestedBy)
        throw fail(
          'NOT_ASSIGNED',
          'forbidden',
          '须由本机构的审核人（绑定管理员用户的密钥，且不是提交申请的密钥）审核',
          'an admin of the creditor (a key bound to that person, not the key that asked) must review it',
          'id',
        );
      assertActive(user);
      return user;
    }
    if (caller.orgId !== eng.firmOrgId)
      throw fail(
        'FORBIDDEN',
        'forbidden',
        '只有受托律师事务所的承办律师可以审核',
        'only a lawyer of the instructed firm may review',
        'id',
      );
    const user = caller.userId ? await this.deps.orgs.user(caller.userId) : null;
    if (user?.role !== 'lawyer' || !eng.lawyerIds.includes(user.id)) {
      throw fail(
        'NOT_ASSIGNED',
        'forbidden',
        '只有该委托指派的承办律师可以审核此申请（请使用绑定该律师的密钥）',
        'only a lawyer assigned to this engagement may review this request (use a key bound to that lawyer)',
        'id',
      );
    }
    // Read now, at the decision: a lawyer disabled after signing in (or after queueing a batch) decides nothing.
    assertActive(user);
    return user;
  }

  async get(id: string, caller: Caller): Promise<RequestView> {
    return this.view((await this.visible(id, caller)).row);
  }

  async list(caller: Caller, status?: RequestRow['status']): Promise<RequestView[]> {
    const firmOf = new Set(
      (await this.deps.orgs.engagementsOf(caller.orgId)).filter((e) => e.firmOrgId === caller.orgId).map((e) => e.id),
    );
    return (await this.rows.list(caller.orgId, [...firmOf], status)).map((r) => this.view(r));
  }

  async approve(id: string, caller: Caller, opts: { today?: string } = {}) {
    const { row, eng } = await this.visible(id, caller);
    const lawyer = await this.reviewer(caller, eng, row);
    if (row.status !== 'pending_review')
      throw fail(
        'REQUEST_NOT_PENDING',
        'conflict',
        `申请状态为 ${row.status}，不能再审核`,
        `the request is ${row.status}, not pending review`,
        'id',
      );
    const today = opts.today ?? todayInShanghai();
    if (!eng) return this.approveOwn(row, lawyer, caller, today);
    if (!inForce(eng, today))
      throw fail(
        'ENGAGEMENT_NOT_IN_FORCE',
        'invalid_input',
        `委托在 ${today} 不在有效期内`,
        `the engagement is not in force on ${today}`,
        'engagement',
      );
    const firm = await this.deps.orgs.org(eng.firmOrgId);
    const letter = this.deps.letters.inputOf(row) as Record<string, unknown>;
    // Dated the day the lawyer approves; the amounts stay itemised as of the day they were requested.
    const input = {
      ...letter,
      issueDate: today,
      asOf: (letter.asOf as string | undefined) ?? requestedOn(row, today),
      lawFirm: firmOf(firm),
      lawyers: [lawyerOf(lawyer)],
      engagement: { date: eng.signedOn },
    };
    return this.issueApproved(row, input, { orgId: firm.id, approver: lawyer, role: 'lawyer' }, caller, today);
  }

  /**
   * Issues the approved letter in the sender's name, then records the decision and its audit
   * entry. Issuing is idempotent per request (`request:<id>`): should recording the decision
   * fail, approving again finds the letter already issued and records it then.
   */
  private async issueApproved(
    row: RequestRow,
    input: Record<string, unknown>,
    by: { orgId: string; approver: User; role: 'lawyer' | 'reviewer' },
    caller: Caller,
    today: string,
  ) {
    const issued = await this.deps.letters.issue(input, {
      orgId: by.orgId,
      idempotencyKey: `request:${row.id}`,
      requester: caller.keyId,
      today,
      approval: {
        requestId: row.id,
        approvedBy: by.approver.id,
        clientOrgId: row.creditorOrgId,
        engagementId: row.engagementId ?? undefined,
      },
    });
    await this.rows.transaction(async () => {
      await this.rows.decide(row.id, 'issued', by.approver.id, null, issued.record.id);
      await this.deps.audit.append({
        orgId: by.orgId,
        actor: caller.keyId,
        action: 'request.approve',
        subject: row.id,
        details: { [by.role]: by.approver.id, letter: issued.record.id, number: issued.record.number },
      });
    });
    return issued;
  }

  async reject(id: string, caller: Caller, reason: string): Promise<RequestView> {
    const { row, eng } = await this.visible(id, caller);
    const lawyer = await this.reviewer(caller, eng, row);
    if (row.status !== 'pending_review')
      throw fail(
        'REQUEST_NOT_PENDING',
        'conflict',
        `申请状态为 ${row.status}，不能再审核`,
        `the request is ${row.status}, not pending review`,
        'id',
      );
    const why = rejectionReason(reason);
    await this.rows.transaction(async () => {
      await this.rows.decide(row.id, 'rejected', lawyer.id, why, null);
      await this.deps.audit.append({
        orgId: eng?.firmOrgId ?? row.creditorOrgId,
        actor: caller.keyId,
        action: 'request.reject',
        subject: row.id,
        details: { lawyer: lawyer.id, reason: why },
      });
    });
    return this.view((await this.rows.byId(row.id))!);
  }

  private async approveOwn(row: RequestRow, reviewer: User, caller: Caller, today: string) {
    const letter = this.deps.letters.inputOf(row) as Record<string, unknown>;
    const input = { ...letter, issueDate: today, asOf: (letter.asOf as string | undefined) ?? requestedOn(row, today) };
    return this.issueApproved(
      row,
      input,
      { orgId: row.creditorOrgId, approver: reviewer, role: 'reviewer' },
      caller,
      today,
    );
  }

  /**
   * The letter a pending request would issue today, with the firm and the lawyer filled in as
   * approval would (the caller if assigned, otherwise the first assigned lawyer): the draft a
   * reviewer reads before deciding.
   */
  async draft(id: string, caller: Caller, today: string = todayInShanghai()): Promise<Record<string, unknown>> {
    const { row, eng } = await this.visible(id, caller);
    const letter = this.deps.letters.inputOf(row) as Record<string, unknown>;
    const dated = { ...letter, issueDate: today, asOf: (letter.asOf as string | undefined) ?? requestedOn(row, today) };
    if (!eng) return dated;
    const lawyerId = caller.userId && eng.lawyerIds.includes(caller.userId) ? caller.userId : eng.lawyerIds[0]!;
    return {
      ...dated,
      lawFirm: firmOf(await this.deps.orgs.org(eng.firmOrgId)),
      lawyers: [lawyerOf(await this.deps.orgs.user(lawyerId))],
      engagement: { date: eng.signedOn },
    };
  }

  private view(r: RequestRow): RequestView {
    return {
      id: r.id,
      status: r.status,
      kind: r.kind,
      engagement: r.engagementId,
      contractNo: r.contractNo,
      debtor: r.debtorMasked,
      total: r.total,
      requestedBy: r.requestedBy,
      createdAt: r.createdAt,
      override: r.overrideReason ? { reason: r.overrideReason } : null,
      policyReasons: r.policyReasons,
      decision: r.decidedBy ? { by: r.decidedBy, reason: r.decisionReason, at: r.updatedAt } : null,
      letter:
        r.letterId && r.letterNumber
          ? { id: r.letterId, number: r.letterNumber, pdf: `/v1/letters/${r.letterId}/pdf` }
          : null,
    };
  }
}

/**
 * The day a request's amounts were stated: its date in Asia/Shanghai (not the UTC date of its
 * timestamp, a day early before 08:00), never after the issue date (an approval dated with an
 * explicit earlier --today would otherwise be refused as DATE_ORDER).
 */
function requestedOn(row: RequestRow, issueDate: string): string {
  const day = todayInShanghai(new Date(row.createdAt));
  return day < issueDate ? day : issueDate;
}

function firmOf(o: Org) {
  return { name: o.name, licenseNo: o.licenseNo!, address: o.address!, phone: o.phone!, letterPrefix: o.letterPrefix! };
}

function lawyerOf(u: User) {
  return { name: u.name, licenseNo: u.licenseNo!, ...(u.phone ? { phone: u.phone } : {}) };
}
