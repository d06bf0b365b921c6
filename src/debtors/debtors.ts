/**
 * What a debtor does with a letter that reached them, from the verification page its QR code
 * opens: dispute the amount (对欠款有异议), ask for hardship help (申请困难帮扶), or accept a
 * repayment plan the letter offers. While a dispute or hardship request is open for a
 * contract, no further letter is issued, requested or plan accepted for it (409 DISPUTE_OPEN)
 * until the creditor resolves it with a note. The debtor's words are kept encrypted, shown only
 * to the creditor, and never rendered into a letter.
 *
 * A plan is accepted only with the one-time code sent to the phone on the contract
 * (plan-codes.ts): the number and code printed on the letter show that someone holds the
 * letter, the code that the person on the contract accepted. The acceptance keeps its record
 * (time, IP address, user agent, the offer's hash, the code's delivery), encrypted: an exhibit of
 * the evidence package.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Audit } from '../audit/audit.js';
import type { Delivery } from '../delivery/delivery.js';
import type { EvidenceAcceptance } from '../delivery/evidence-package.js';
import type { LetterRecord } from '../letters/letter-store.js';
import type { IssueResult } from '../letters/letters.js';
import type { Caller } from '../orgs/model.js';
import { maskMobile } from '../pipeline/facts/mask.js';
import type { PlanSchedule } from '../pipeline/index.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import type { AcceptedPlan, PlanOffer, Plans } from '../plans/plans.js';
import { isUniqueViolation } from '../shared/db-errors.js';
import { HanjianError, invalidInput, makeIssue } from '../shared/errors.js';
import type { Vault } from '../shared/vault.js';
import type { CodeSent, PlanCodes } from './plan-codes.js';
import { newReceiptNo, receiptNoOf } from './receipt-number.js';
import type { ResponseStore, ResponseType } from './response-store.js';

export type { ResponseType } from './response-store.js';

export interface DebtorResponse {
  id: string;
  /** The number the debtor was given to quote (385-271-496); null for one filed before numbers existed. */
  receiptNo: string | null;
  letterId: string;
  number: string;
  contractNo: string;
  type: ResponseType;
  text: string;
  contact: string | null;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
}

const MAX_TEXT = 500;
const MAX_CONTACT = 50;
// Control and invisible characters never reach storage (the same rule as letter fields).
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/u;

const fail = (code: string, category: HanjianError['category'], zh: string, en: string, path?: string) =>
  new HanjianError({ code, category, zh, en, path });
const letterVoid = () => fail('LETTER_VOID', 'conflict', '该函件已作废', 'the letter is void');

/** Who accepted a plan, as the acceptance kept it (encrypted at rest): an exhibit of the evidence package. */
/**
 * The record of a plan's acceptance, kept encrypted: what the evidence package shows
 * (delivery/evidence-package.ts EvidenceAcceptance — the request's address as the service sees it
 * behind its configured proxies, the browser, the offer's hash, the code's delivery, its number
 * masked) and the id of the one-time code that proved it.
 */
export interface PlanAcceptanceRecord extends EvidenceAcceptance {
  sms: EvidenceAcceptance['sms'] & { codeId: string };
}

/** What the request tells about the person accepting (kept in the acceptance record). */
export interface AcceptanceContext {
  today?: string;
  now?: Date;
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * The offer a code is bound to and an acceptance names: the letter (number and its PDF's
 * SHA-256), the last day to accept, and the chosen option with every instalment. Canonical
 * JSON, SHA-256, hex.
 */
export function offerSha256(
  letter: Pick<LetterRecord, 'number' | 'pdfSha256'>,
  acceptUntil: string,
  o: PlanSchedule,
): string {
  const canonical = JSON.stringify({
    letter: letter.number,
    pdfSha256: letter.pdfSha256,
    acceptUntil,
    terms: o.terms,
    principalFen: o.principal,
    costFen: o.cost,
    totalFen: o.total,
    rateBp: o.rateBp,
    instalments: o.instalments.map((i) => [i.no, i.dueDate, i.amount, i.interest]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

const MAX_USER_AGENT = 300;
const alreadyResolved = () => fail('ALREADY_RESOLVED', 'conflict', '已处理', 'already resolved');

export class Debtors {
  constructor(
    private store: ResponseStore,
    private plans: Plans,
    private delivery: Delivery,
    private vault: Vault,
    private audit: Audit,
    private codes: PlanCodes,
  ) {}

  /**
   * A dispute or hardship request on a verified letter (number and code checked by the caller).
   * One open at a time per contract: while one is open (of either type, filed from any of the
   * contract's letters), a further submit files nothing and answers with the open one
   * (`existing: true`, its id and type), so the debtor sees the receipt they already have.
   */
  async file(
    letter: LetterRecord,
    raw: { type?: unknown; text?: unknown; contact?: unknown },
  ): Promise<{ id: string; receiptNo: string | null; type: ResponseType; existing: boolean; createdAt: string }> {
    const issues = [];
    const type = raw.type === 'dispute' || raw.type === 'hardship' ? raw.type : null;
    if (!type)
      issues.push(
        makeIssue('type', 'INVALID_VALUE', '请选择“对欠款有异议”或“申请困难帮扶”', 'type must be dispute or hardship'),
      );
    const text = typeof raw.text === 'string' ? raw.text.trim() : '';
    if (!text || [...text].length > MAX_TEXT || INVISIBLE.test(text.replace(/\r?\n/g, ' ')))
      issues.push(
        makeIssue(
          'text',
          'TEXT_INVALID',
          `请填写说明（1–${MAX_TEXT} 字，不含控制字符）`,
          `a short text is required (1–${MAX_TEXT} characters, no control characters)`,
        ),
      );
    const contact = typeof raw.contact === 'string' && raw.contact.trim() ? raw.contact.trim() : null;
    if (contact && ([...contact].length > MAX_CONTACT || INVISIBLE.test(contact)))
      issues.push(
        makeIssue(
          'contact',
          'TEXT_INVALID',
          `联系方式最多 ${MAX_CONTACT} 字`,
          `the contact is at most ${MAX_CONTACT} characters`,
        ),
      );
    if (issues.length) throw invalidInput(issues);
    if (letter.status === 'void') throw letterVoid();
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    // A receipt number taken already by the creditor (one in a hundred million) is drawn again.
    for (let attempt = 1; ; attempt++) {
      const receiptNo = newReceiptNo();
      try {
        return await this.store.transaction(async () => {
          const open = await this.store.openOnLocked(letter.clientOrgId, letter.contractNo ?? '');
          if (open)
            return {
              id: open.id,
              receiptNo: open.receiptNo,
              type: open.type,
              existing: true,
              createdAt: open.createdAt,
            };
          await this.store.insert({
            id,
            letterId: letter.id,
            clientOrgId: letter.clientOrgId,
            contractNo: letter.contractNo ?? '',
            type: type!,
            receiptNo,
            textJson: this.vault.encrypt(JSON.stringify({ text, contact })),
            status: 'open',
            createdAt,
            resolvedAt: null,
            resolvedBy: null,
            resolutionNote: null,
          });
          await this.audit.append({
            orgId: letter.clientOrgId,
            actor: 'debtor',
            action: type === 'dispute' ? 'debtor.dispute' : 'debtor.hardship',
            subject: id,
            details: { letter: letter.id, number: letter.number, receiptNo },
          });
          return { id, receiptNo, type: type!, existing: false, createdAt };
        });
      } catch (e) {
        if (attempt >= 3 || !isUniqueViolation(e)) throw e;
      }
    }
  }

  /** Every response filed on a contract, oldest first: the day (Asia/Shanghai), its type and whether it is open (the policy reads them). */
  async filedOn(
    clientOrgId: string,
    contractNo: string,
  ): Promise<{ date: string; type: ResponseType; open: boolean }[]> {
    return (await this.store.onContract(clientOrgId, contractNo)).map((r) => ({
      date: todayInShanghai(new Date(r.createdAt)),
      type: r.type,
      open: r.status === 'open',
    }));
  }

  /** The responses filed on a letter, decrypted, oldest first: exhibits of the court copy (the caller has checked the letter is the caller's). */
  async onLetter(letter: Pick<LetterRecord, 'id' | 'clientOrgId' | 'contractNo'>): Promise<
    {
      type: ResponseType;
      receiptNo: string | null;
      text: string;
      contact: string | null;
      createdAt: string;
      status: 'open' | 'resolved';
      resolvedAt: string | null;
      resolutionNote: string | null;
    }[]
  > {
    if (!letter.contractNo) return [];
    return (await this.store.onContract(letter.clientOrgId, letter.contractNo))
      .filter((r) => r.letterId === letter.id)
      .map((r) => {
        const { text, contact } = JSON.parse(this.vault.decrypt(r.textJson)) as {
          text: string;
          contact: string | null;
        };
        return {
          type: r.type,
          receiptNo: r.receiptNo,
          text,
          contact,
          createdAt: r.createdAt,
          status: r.status,
          resolvedAt: r.resolvedAt,
          resolutionNote: r.resolutionNote,
        };
      });
  }

  /** The type of the debtor's open dispute or hardship request on a contract, if any. */
  openTypeFor(clientOrgId: string, contractNo: string): Promise<ResponseType | null> {
    return this.store.openType(clientOrgId, contractNo);
  }

  /**
   * The rule: an open dispute or hardship request blocks further letters on the contract — one
   * 409 DISPUTE_OPEN for issuing and requesting alike (`path` names the field in the caller's body).
   */
  async assertNoOpenDispute(clientOrgId: string, contractNo: string, path = 'account.contractNo'): Promise<void> {
    const type = await this.openTypeFor(clientOrgId, contractNo);
    if (!type) return;
    const what = type === 'dispute' ? ['异议', 'dispute'] : ['困难帮扶申请', 'hardship request'];
    throw fail(
      'DISPUTE_OPEN',
      'conflict',
      `债务人就该合同提出的${what[0]}尚未处理，处理前不再发函`,
      `the debtor's ${what[1]} for this contract is open: no further letter until the creditor resolves it`,
      path,
    );
  }

  /** Of a creditor's contracts, those with an open dispute. */
  openDisputes(clientOrgId: string, contractNos: string[]): Promise<Set<string>> {
    return contractNos.length
      ? this.store.openDisputes(clientOrgId, [...new Set(contractNos)])
      : Promise.resolve(new Set());
  }

  /** The responses the caller may see, oldest first; `receipt`: only the one with that receipt number (as typed or heard). */
  async list(caller: Caller, status?: 'open' | 'resolved', receipt?: string): Promise<DebtorResponse[]> {
    let receiptNo: string | undefined;
    if (receipt !== undefined) {
      const r = receiptNoOf(receipt);
      if (!r)
        throw invalidInput([
          makeIssue(
            'receipt',
            'RECEIPT_NO_FORMAT',
            '受理编号应为 9 位数字（如 385-271-496），请核对',
            'a receipt number is nine digits with a valid check digit, e.g. 385-271-496',
          ),
        ]);
      receiptNo = r;
    }
    return (await this.store.visibleTo(caller.orgId, status, 500, receiptNo)).map((r) => {
      const { text, contact } = JSON.parse(this.vault.decrypt(r.textJson)) as { text: string; contact: string | null };
      return {
        id: r.id,
        receiptNo: r.receiptNo,
        letterId: r.letterId,
        number: r.number,
        contractNo: r.contractNo,
        type: r.type,
        text,
        contact,
        status: r.status,
        createdAt: r.createdAt,
        resolvedAt: r.resolvedAt,
        resolutionNote: r.resolutionNote,
      };
    });
  }

  /** The creditor answers and closes it; its letters may go on. */
  async resolve(id: string, caller: Caller, note: string): Promise<DebtorResponse> {
    const row = await this.store.byId(id);
    if (!row || row.clientOrgId !== caller.orgId)
      throw fail('NOT_FOUND', 'not_found', '没有这条异议或帮扶申请', 'no such dispute or hardship request', 'id');
    if (row.status !== 'open') throw alreadyResolved();
    const why = note.trim();
    if (why.length < 2 || why.length > 500)
      throw invalidInput([
        makeIssue('note', 'TEXT_INVALID', '处理说明 2–500 字', 'a note of 2–500 characters is required'),
      ]);
    await this.store.transaction(async () => {
      // Only an open one is resolved: of two instances resolving it at once, one wins and the other says so.
      if (!(await this.store.resolve(id, new Date().toISOString(), caller.keyId, why))) throw alreadyResolved();
      await this.audit.append({
        orgId: caller.orgId,
        actor: caller.keyId,
        action: 'debtor.resolve',
        subject: id,
        details: { note: why },
      });
    });
    return (await this.list(caller)).find((d) => d.id === id)!;
  }

  /**
   * The option a debtor chose, checked against the letter's offer: the letter valid, an offer
   * on it, the option one of its own, not yet accepted (the same option again: `replay`), the
   * period open and no dispute open on the contract.
   */
  private async chosen(
    letter: LetterRecord,
    raw: { terms?: unknown },
    today: string,
  ): Promise<{ offer: PlanOffer; option: PlanSchedule; replay: AcceptedPlan | null }> {
    if (letter.status === 'void') throw letterVoid();
    const offer = await this.plans.offer(letter);
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
      return { offer, option, replay: offer.accepted };
    }
    if (today > offer.acceptUntil)
      throw fail(
        'PLAN_OFFER_EXPIRED',
        'conflict',
        `方案的接受期限已于${offer.acceptUntil}届满，请与债权人联系`,
        `the offer could be accepted until ${offer.acceptUntil}: contact the creditor`,
        'terms',
      );
    if (await this.openTypeFor(letter.clientOrgId, letter.contractNo ?? ''))
      throw fail(
        'DISPUTE_OPEN',
        'conflict',
        '该合同的异议或困难帮扶申请尚未处理，处理后再选择方案',
        'a dispute or hardship request on this contract is open: choose a plan once it is resolved',
        'terms',
      );
    return { offer, option, replay: null };
  }

  /** The mobile number on the contract (the letter's debtor.phone), where the code goes; PLAN_PHONE_MISSING without one. */
  private phoneOf(letter: LetterRecord): string {
    const phone = this.plans.dataOf(letter)?.debtor.phone;
    if (!phone)
      throw fail(
        'PLAN_PHONE_MISSING',
        'conflict',
        '该函件未登记您的手机号，无法在线确认方案，请通过债权人官方渠道联系',
        "the letter's input holds no debtor.phone to send the one-time code to: the plan cannot be accepted online",
        'terms',
      );
    return phone;
  }

  /** Masked, the number a code for this letter would go to; null when none is on file (the page says so before anyone asks). */
  phoneOnFile(letter: LetterRecord): string | null {
    const phone = this.plans.dataOf(letter)?.debtor.phone;
    return phone ? maskMobile(phone) : null;
  }

  /** Whether a code can be sent at all (an SMS sender is configured). */
  get codesAvailable(): boolean {
    return this.codes.available;
  }

  /**
   * Step one of accepting: a one-time code for the chosen option, sent to the phone on the
   * contract. Every check of the acceptance is made first, so that no code is sent for an
   * option that could not be accepted.
   */
  async sendPlanCode(letter: LetterRecord, raw: { terms?: unknown }, ctx: AcceptanceContext = {}): Promise<CodeSent> {
    const { offer, option, replay } = await this.chosen(letter, raw, ctx.today ?? todayInShanghai());
    if (replay)
      throw fail(
        'PLAN_ALREADY_ACCEPTED',
        'conflict',
        `已于${replay.acceptedOn}接受分${replay.terms}期的方案`,
        `a ${replay.terms}-instalment plan was already accepted on ${replay.acceptedOn}`,
        'terms',
      );
    const phone = this.phoneOf(letter);
    return this.codes.send(
      letter,
      { sha256: offerSha256(letter, offer.acceptUntil, option), terms: option.terms },
      phone,
      ctx.now,
    );
  }

  /**
   * The debtor accepts one option (by its number of instalments) with the code sent for it
   * (`smsCode`); without it, or with a wrong, expired or another option's code, it is refused
   * (PLAN_CODE_*). Accepting the same option again returns the same plan.
   */
  async acceptPlan(
    letter: LetterRecord,
    raw: { terms?: unknown; smsCode?: unknown },
    ctx: AcceptanceContext = {},
  ): Promise<{ plan: AcceptedPlan; confirmation: IssueResult }> {
    const today = ctx.today ?? todayInShanghai();
    const now = ctx.now ?? new Date();
    const { offer, option, replay } = await this.chosen(letter, raw, today);
    if (replay) return { plan: replay, confirmation: await this.plans.confirm(letter, replay) };
    this.phoneOf(letter);
    const sha256 = offerSha256(letter, offer.acceptUntil, option);
    const code = await this.codes.check(letter, { sha256, terms: option.terms }, raw.smsCode, now);
    const data = this.plans.dataOf(letter)!;
    const plan: AcceptedPlan = {
      id: randomUUID(),
      letterId: letter.id,
      clientOrgId: letter.clientOrgId,
      contractNo: letter.contractNo ?? '',
      terms: option.terms,
      instalments: option.instalments.map((i) => ({
        dueDate: i.dueDate,
        amountFen: i.amount,
        ...(option.rateBp > 0 ? { interestFen: i.interest } : {}),
      })),
      totalFen: option.total,
      graceDays: data.plans!.graceDays,
      acceptedOn: today,
      acceptedAt: now.toISOString(),
      confirmationId: null,
      costFen: option.cost,
      annualRateBp: option.rateBp > 0 ? option.rateBp : null,
      interestFrom: option.rateBp > 0 ? data.asOf : null,
    };
    const record: PlanAcceptanceRecord = {
      acceptedAt: plan.acceptedAt,
      ip: ctx.ip ? ctx.ip.slice(0, 64) : null,
      userAgent: ctx.userAgent ? ctx.userAgent.slice(0, MAX_USER_AGENT) : null,
      offerSha256: sha256,
      sms: {
        codeId: code.id,
        sender: code.sender,
        senderLabel: this.codes.labelOf(code.sender),
        to: code.toMasked,
        sentAt: code.sentAt,
        messageId: code.messageId,
        verifiedAt: plan.acceptedAt,
        wrongAttempts: code.attempts,
      },
    };
    // One acceptance per letter: the store's unique key decides a race between two submits. The code is used up,
    // and the plan, its record and its event commit together.
    const inserted = await this.store.transaction(async () => {
      await this.codes.use(code, now);
      if (!(await this.plans.insertAccepted(plan, this.vault.encrypt(JSON.stringify(record))))) return false;
      await this.delivery.append(letter, 'plan-accepted', plan.acceptedAt, 'debtor', {
        plan: plan.id,
        terms: plan.terms,
        totalFen: plan.totalFen,
        costFen: plan.costFen,
        firstDue: plan.instalments[0]!.dueDate,
        verified: 'sms',
      });
      return true;
    });
    if (!inserted) return this.acceptPlan(letter, raw, ctx);
    return { plan, confirmation: await this.plans.confirm(letter, plan) };
  }

  /** The acceptance record of a plan, opened (the caller has checked the plan is the caller's); null for a plan accepted before records were kept. */
  async acceptanceOf(plan: Pick<AcceptedPlan, 'id'>): Promise<PlanAcceptanceRecord | null> {
    const encrypted = await this.plans.acceptanceEncryptedOf(plan.id);
    return encrypted ? (JSON.parse(this.vault.decrypt(encrypted)) as PlanAcceptanceRecord) : null;
  }
}
