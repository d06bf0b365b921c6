/**
 * The letter registry: numbering, idempotent issuing, storage, verification, void, purge and
 * the determinism check. Issuing runs in one transaction — allocate the number, render, sign,
 * store the PDF, record, audit — so a failure keeps nothing and uses no number. Every read and
 * write is scoped to the caller's organisation; a letter another organisation cannot see does
 * not exist for it (404).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Audit } from '../audit/audit.js';
import type { FirmCatalogs } from '../catalogs/catalogs.js';
import type { Mandate, MandateQuery } from '../orgs/mandates.js';
import { DEFAULT_ORG, type Org } from '../orgs/model.js';
import type { NewOrg, Orgs } from '../orgs/orgs.js';
import { canonicalJson, sha256Json } from '../pipeline/compose.js';
import { fenToYuan } from '../pipeline/facts/format.js';
import { maskName } from '../pipeline/facts/mask.js';
import type { PlanTerms } from '../pipeline/facts/plan-schedule.js';
import {
  appendPages,
  type Catalog,
  KIND_TITLES,
  LAYOUT_ENGINE_VERSION,
  listsMandate,
  resolveTemplateVersion,
  templateDraftError,
  templateListsMandate,
} from '../pipeline/index.js';
import type { Verification } from '../pipeline/layout/verification.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import { type LetterData, parseLetter } from '../pipeline/schema/validate.js';
import type { SealSource } from '../pipeline/seals.js';
import type { Seals } from '../seals/seals.js';
import type { BlobStore } from '../shared/blobs.js';
import { isUniqueViolation } from '../shared/db-errors.js';
import { HanjianError } from '../shared/errors.js';
import type { Vault } from '../shared/vault.js';
import { type PublicSignature, publicSignature } from '../signing/signature.js';
import type { Signer } from '../signing/signer.js';
import { addRegistryFacts } from './follow-up.js';
import type { LetterFilter, LetterRecord, LetterStore } from './letter-store.js';
import { confirmationSeries, formatNumber, newVerifyCode, normaliseCode, seriesOf } from './numbers.js';
import { compareRerender } from './rerender.js';
import {
  assertNotIssuedToday,
  assertOwnSender,
  mandateRequiredError,
  reviewRequired,
  reviewRequiredError,
  senderName,
} from './rules.js';
import { assertSenderUnregistered, continuingDefaultSeries, defaultSeriesKey } from './sender-series.js';

/** `engine`: the layout engine that set the PDF; a renderer built on the pipeline may leave it out. */
export interface RenderedForRegistry {
  pdf: Buffer;
  sha256: string;
  inputSha256: string;
  template: { kind: string; version: number; id?: string };
  seal: Buffer | null;
  engine?: number;
  /** The entries of the letter's 附件 list; absent (a renderer of its own): read from the template version. */
  attachments?: string[];
}
/**
 * `seal`: the recorded seal image to draw (registry check); `seals`: seal images per sender for
 * this letter; `orgId`: the sender organisation, whose own template catalogue comes first.
 */
export type Renderer = (
  input: unknown,
  options: {
    letterNo: string;
    verification: Verification;
    today: string;
    seal?: Buffer;
    seals?: SealSource;
    orgId?: string;
    /** Compose as a final letter being issued: figures that do not reconcile are refused, not warned about. */
    issue?: boolean;
  },
) => Promise<RenderedForRegistry>;

/**
 * What issuing asks of the contract, answered by the parts that own it (wired by the app):
 * the debtor's open dispute blocks further letters (debtors/), and a letter offering plans
 * offers the creditor's plan terms (plans/).
 */
export interface ContractGate {
  /** Throws DISPUTE_OPEN while the debtor's dispute or hardship request on the contract is open. */
  assertNoOpenDispute(clientOrgId: string, contractNo: string, path?: string): Promise<void>;
  /** The plan terms the creditor's letters offer, or null. */
  planTerms(clientOrgId: string): Promise<PlanTerms | null>;
}

export interface LettersOptions {
  publicBaseUrl: string;
  creditorPrefix?: string;
  /** Production: a final letter needs a configured seal of its sender that is not the specimen. */
  requireRealSeal?: boolean;
}

/** A lawyer approved the letter (requests/): only then is a lawyer's letter issued. */
export interface Approval {
  requestId: string;
  approvedBy: string;
  clientOrgId: string;
  /** The engagement the letter was requested under: its 授权委托书 is appended when the letter lists it. */
  engagementId?: string;
}

export interface IssueRequest {
  idempotencyKey?: string;
  requester?: string;
  today?: string;
  /** The issuing organisation (default: the implicit single-creditor organisation). */
  orgId?: string;
  approval?: Approval;
  /** Seal images per sender for this letter (default: the renderer's own). */
  seals?: SealSource;
  /** The accepted plan a 还款计划确认函 confirms: only then is that kind issued. */
  confirmsPlan?: string;
}
/** The record, whether this was a retry of an earlier request, and the issued PDF's bytes (stored copy on a retry). */
export interface IssueResult {
  record: LetterRecord;
  replayed: boolean;
  pdf: Buffer;
}

export interface PublicFacts {
  valid: true;
  number: string;
  kind: string;
  sender: string;
  issueDate: string;
  debtor: string;
  /** Yuan as a decimal string, "12426.00". */
  total: string;
  pdfSha256: string;
  /** The signer's certificate of a signed letter; null when it was issued unsigned. */
  signature: PublicSignature | null;
}
export type VoidFacts = { valid: false; status: 'void'; number: string; voidedOn: string };

/** One letter's audit: `note` says why a letter with an intact file was not re-rendered. */
export interface CheckedRecord {
  id: string;
  number: string;
  ok: boolean;
  problem?: string;
  note?: string;
}

const err = (code: string, category: HanjianError['category'], zh: string, en: string, path?: string) =>
  new HanjianError({ code, category, zh, en, path });
const conflict = (zh: string, en: string) => err('IDEMPOTENCY_CONFLICT', 'conflict', zh, en, 'Idempotency-Key');
const notFound = () => err('LETTER_NOT_FOUND', 'not_found', '没有这封函件', 'no such letter', 'id');

export class Letters {
  constructor(
    private store: LetterStore,
    private deps: {
      blobs: BlobStore;
      vault: Vault;
      audit: Audit;
      orgs: Orgs;
      seals: Seals;
      signer: Signer;
      catalogs: FirmCatalogs;
      render: Renderer;
      contracts: ContractGate;
      /** The engagements' stored 授权委托书 (orgs/mandates.ts). */
      mandates: { forLetter(q: MandateQuery): Promise<Mandate | null> };
    },
    private options: LettersOptions,
  ) {}

  get publicBaseUrl(): string {
    return this.options.publicBaseUrl;
  }

  /** The catalogue a letter of this sender organisation resolves in: its own versions, then the built-in ones. */
  catalogFor(orgId?: string): Catalog {
    return this.deps.catalogs.catalogFor(orgId);
  }

  verificationFor(number: string, code: string, record?: Pick<LetterRecord, 'verifyUrl'>): Verification {
    const base = this.options.publicBaseUrl.replace(/\/+$/, '');
    const url = record?.verifyUrl ?? `${base}/v1/verify?number=${encodeURIComponent(number)}&code=${code}`;
    return { number, code, url, displayUrl: url.split('?')[0]! };
  }

  /** The stored input of a letter, decrypted; null once purged. */
  inputOf(r: Pick<LetterRecord, 'inputJson'>): unknown {
    return r.inputJson === null ? null : JSON.parse(this.deps.vault.decrypt(r.inputJson));
  }

  /** A letter input as it is kept: canonical JSON, encrypted. */
  encryptInput(input: unknown): string {
    return this.deps.vault.encrypt(canonicalJson(input));
  }

  /** Only a version its organisation's lawyer released is issued: a draft is for previews, a retired one is withdrawn. */
  assertIssuable(templateId: string, orgId: string): void {
    const t = this.catalogFor(orgId).versions.find((v) => v.id === templateId);
    if (t?.firm?.status === 'draft') throw templateDraftError(t.id);
    if (t?.firm?.status === 'retired')
      throw err(
        'TEMPLATE_RETIRED',
        'conflict',
        `模板 ${t.id} 已停用，不再用于出具函件`,
        `template ${t.id} is retired: no new letters are issued with it`,
        'template',
      );
  }

  /**
   * Registers an organisation: its numbers continue after those the default organisation
   * printed in its name this year, and the letters printed in its name without keys become its
   * own (for a creditor with the debtor's disputes and plans on them) — in one transaction.
   */
  async addOrg(
    o: NewOrg,
    actor: string,
    year = Number(todayInShanghai().slice(0, 4)),
  ): Promise<Org & { adoptedLetters: number }> {
    return this.store.transaction(async () => {
      const org = await this.deps.orgs.addOrg(await continuingDefaultSeries(this.store, o, year), actor);
      const key = defaultSeriesKey(o);
      const adoptedLetters = key ? await this.store.countDefaultLetters(key) : 0;
      if (key && adoptedLetters) {
        await this.store.adoptDefaultLetters(key, org.id, org.kind === 'creditor');
        await this.deps.audit.append({
          orgId: org.id,
          actor,
          action: 'org.adopt-default-letters',
          subject: org.id,
          details: { letters: adoptedLetters },
        });
      }
      return { ...org, adoptedLetters };
    });
  }

  async issue(callerInput: unknown, req: IssueRequest = {}): Promise<IssueResult> {
    const requester = req.requester ?? 'library';
    const orgId = req.orgId ?? DEFAULT_ORG;
    const today = req.today ?? todayInShanghai();
    let input = callerInput;
    let data = parseLetter(input, { today });
    if (data.kind === 'plan-confirmation' && !req.confirmsPlan)
      throw err(
        'CONFIRMATION_FROM_ACCEPTANCE',
        'forbidden',
        '还款计划确认函只在债务人接受方案后由系统出具',
        'a plan confirmation is issued only when the debtor accepts a plan',
        'kind',
      );
    if (data.letterNo)
      throw err(
        'LETTER_NO_NOT_ALLOWED',
        'invalid_input',
        '出具函件时由登记簿分配函号，请勿在输入中提供 letterNo',
        'the registry assigns the number when issuing: do not send letterNo',
        'letterNo',
      );
    const org = await this.deps.orgs.org(orgId);
    if (!req.approval && reviewRequired(data.kind, org)) throw reviewRequiredError(data.kind);
    if (data.issueDate !== today)
      throw err(
        'ISSUE_DATE_NOT_TODAY',
        'invalid_input',
        `正式函件的发函日期须为今天（${today}）`,
        `a final letter is dated the day it is issued (${today})`,
        'issueDate',
      );
    assertOwnSender(org, data);
    const clientOrgId = req.approval?.clientOrgId ?? orgId;
    if (data.kind !== 'plan-confirmation') {
      // The previous letter and the plan options come from the registry's records, never from the caller.
      input = addRegistryFacts(input as Record<string, unknown>, data, {
        letters: await this.store.forContract(clientOrgId, data.account.contractNo),
        settings: await this.deps.contracts.planTerms(clientOrgId),
        sender: senderName(data),
        catalog: this.catalogFor(orgId),
      });
      data = parseLetter(input, { today });
    }

    // Store the input with its dates and template version fixed, so a re-render never depends on "today" or on templates released later.
    const template = resolveTemplateVersion(data, this.catalogFor(orgId));
    this.assertIssuable(template.id, orgId);
    // A letter that lists the 授权委托书 carries it: the mandate is found now (none: refused, no number used) and
    // recorded in the stored input, so that a re-render appends the very same file.
    const mandate = templateListsMandate(template.source)
      ? await this.mandateToIssue(input as Record<string, unknown>, data, orgId, clientOrgId, req.approval)
      : null;
    if (mandate) {
      const engagement = (input as { engagement: object }).engagement;
      input = { ...(input as object), engagement: { ...engagement, mandateSha256: mandate.sha256 } };
      data = parseLetter(input, { today });
    }
    const stored = { ...(input as object), issueDate: data.issueDate, asOf: data.asOf, template: template.id };
    // The stored input validates to `data` with the template pinned: hash that, not a second parse.
    const inputSha256 = sha256Json({ ...data, template: template.id });
    const key = req.idempotencyKey ?? null;
    if (key !== null && (key.length < 1 || key.length > 200))
      throw err(
        'IDEMPOTENCY_KEY_INVALID',
        'invalid_input',
        '幂等键长度应为 1–200',
        'the idempotency key must be 1–200 characters',
        'Idempotency-Key',
      );
    const replay = async (existing: LetterRecord): Promise<IssueResult> => {
      if (existing.requester !== requester)
        throw conflict('该幂等键已被其他调用方使用', 'this idempotency key was used by another requester');
      if (existing.inputSha256 !== inputSha256)
        throw conflict('该幂等键已用于内容不同的函件', 'this idempotency key was used for a different letter');
      return { record: existing, replayed: true, pdf: await this.deps.blobs.read(existing.pdfSha256) };
    };
    if (key) {
      const existing = await this.store.findByIdempotencyKey(orgId, key);
      if (existing) return replay(existing);
    }
    if (org.id === DEFAULT_ORG) await assertSenderUnregistered(this.deps.orgs, data);
    const collection =
      org.id === DEFAULT_ORG
        ? seriesOf(data, this.options.creditorPrefix)
        : {
            key: `org:${org.id}`,
            prefix: org.letterPrefix ?? data.creditor.letterPrefix ?? this.options.creditorPrefix ?? '函字',
          };
    const confirms = data.kind === 'plan-confirmation';
    const series = confirms ? confirmationSeries(collection) : collection;
    const year = Number(data.issueDate.slice(0, 4));
    // The register's continuation (sender-series.ts) applies to the collection series only; confirmations start at 1.
    const firstSeq = !confirms && org.registerYear === year ? (org.registerNext ?? 1) : 1;

    const issueOnce = () =>
      this.store.issueTransaction(async (tx) => {
        // The number first: on PostgreSQL this locks the series, so the checks below see every letter committed before it
        // (two instances cannot both pass "not yet issued today" for one contract). Leaving early uses no number.
        const seq = await tx.nextSeq(series.key, year, firstSeq);
        if (key) {
          const existing = await tx.findByIdempotencyKey(orgId, key); // a concurrent retry may have won the race
          if (existing) return replay(existing);
        }
        await this.deps.contracts.assertNoOpenDispute(clientOrgId, data.account.contractNo);
        assertNotIssuedToday(
          await this.store.forContract(clientOrgId, data.account.contractNo),
          data.kind,
          data.issueDate,
        );
        const number = formatNumber(year, series.prefix, seq);
        const verification = this.verificationFor(number, newVerifyCode());
        // The seal the organisation's admin uploaded comes first; a caller's or the configured seals only when there is none.
        const uploaded = req.seals ? null : await this.deps.seals.current(orgId);
        const rendered = await this.deps.render(JSON.parse(canonicalJson(stored)), {
          letterNo: number,
          verification,
          today: data.issueDate,
          seals: req.seals,
          seal: uploaded ?? undefined,
          orgId,
          issue: true,
        });
        if (rendered.inputSha256 !== inputSha256)
          throw err('INTERNAL', 'internal', '渲染输入哈希不一致', 'rendered input hash differs from the recorded one');
        const letterPdf = await this.withMandate(rendered, template.source, mandate, {
          kind: data.kind,
          number,
          issueDate: data.issueDate,
          sender: senderName(data),
        });
        const sealSha256 = rendered.seal ? createHash('sha256').update(rendered.seal).digest('hex') : null;
        if (this.options.requireRealSeal && (!sealSha256 || sealSha256 === this.deps.seals.specimenSha256))
          throw err(
            'SEAL_REQUIRED',
            'conflict',
            `出具方“${senderName(data)}”没有配置正式印章（管理员在设置中上传，或 HANJIAN_SEALS），不能出具正式函件`,
            `the sender "${senderName(data)}" has no configured seal (HANJIAN_SEALS), other than the specimen: final letters cannot be issued`,
          );
        if (rendered.seal) await this.deps.seals.keep(rendered.seal);
        const createdAt = new Date();
        // For a lawyer's letter this is the approval: the review issues it when the lawyer approves.
        const signed = await this.deps.signer.sign(letterPdf.pdf, senderName(data), createdAt);
        const pdf = signed?.pdf ?? letterPdf.pdf;
        const pdfSha256 = signed?.sha256 ?? letterPdf.sha256;
        const { created } = await this.deps.blobs.write(pdfSha256, pdf);
        const record: LetterRecord = {
          id: randomUUID(),
          number,
          series: series.key,
          year,
          seq,
          kind: data.kind,
          template: rendered.template.id ?? `${rendered.template.kind}@${rendered.template.version}`,
          sender: senderName(data),
          issueDate: data.issueDate,
          inputJson: this.encryptInput(stored),
          inputSha256,
          pdfSha256,
          pdfSize: pdf.length,
          verifyCode: verification.code,
          verifyUrl: verification.url,
          debtorMasked: maskName(data.debtor.name),
          totalFen: data.debt.total,
          requester,
          idempotencyKey: key,
          createdAt: createdAt.toISOString(),
          orgId,
          clientOrgId,
          contractNo: data.account.contractNo,
          status: 'issued',
          voidedOn: null,
          voidReason: null,
          sealSha256,
          requestId: req.approval?.requestId ?? null,
          purgedAt: null,
          engine: rendered.engine ?? LAYOUT_ENGINE_VERSION,
          signature: signed?.signature ?? null,
        };
        try {
          await tx.insert(record);
          await this.deps.audit.append({
            orgId,
            actor: requester,
            action: 'letter.issue',
            subject: record.id,
            details: {
              number,
              kind: data.kind,
              pdfSha256: record.pdfSha256,
              requestId: record.requestId,
              approvedBy: req.approval?.approvedBy ?? null,
            },
          });
        } catch (e) {
          if (created) await this.deps.blobs.remove(pdfSha256);
          throw e;
        }
        return { record, replayed: false, pdf };
      });
    try {
      return await issueOnce();
    } catch (e) {
      // The same key issued by another instance at the same moment (in another series, so no lock met it): the unique constraint decides, the loser replays.
      const existing = key && isUniqueViolation(e) ? await this.store.findByIdempotencyKey(orgId, key) : null;
      if (existing) return replay(existing);
      throw e;
    }
  }

  /** A letter the caller's organisation issued or was issued for; anything else is "not found". */
  async get(id: string, orgId: string = DEFAULT_ORG): Promise<LetterRecord> {
    const r = await this.store.findById(id);
    if (!r || (r.orgId !== orgId && r.clientOrgId !== orgId)) throw notFound();
    return r;
  }

  /** A letter by id whoever issued it: for the parts that act on a verified letter (the debtor's answers). */
  byId(id: string): Promise<LetterRecord | null> {
    return this.store.findById(id);
  }

  /** The letter the caller's organisation issued (not one issued for it): only the issuer acts on it. */
  async issuedBy(
    id: string,
    orgId: string = DEFAULT_ORG,
    zh = '只有出具方可以这样做',
    en = 'only the issuing organisation may do this',
  ) {
    const letter = await this.get(id, orgId);
    if (letter.orgId !== orgId) throw err('FORBIDDEN', 'forbidden', zh, en);
    return letter;
  }

  async pdf(id: string, orgId?: string): Promise<{ record: LetterRecord; pdf: Buffer }> {
    const record = await this.get(id, orgId);
    if (record.purgedAt)
      throw err(
        'LETTER_PURGED',
        'not_found',
        `该函件的 PDF 已于 ${record.purgedAt.slice(0, 10)} 按保存期限清除（函号、哈希与核验信息仍保留）`,
        `the letter's PDF was purged on ${record.purgedAt.slice(0, 10)} (past retention); its number, hashes and verification remain`,
      );
    return { record, pdf: await this.deps.blobs.read(record.pdfSha256) };
  }

  list(filter: Omit<LetterFilter, 'limit'> & { limit?: number }): Promise<LetterRecord[]> {
    return this.store.list({ ...filter, limit: Math.min(Math.max(filter.limit ?? 50, 1), 200) });
  }

  /** Issued (not void) letters on a creditor's contract, oldest first. */
  forContract(clientOrgId: string, contractNo: string): Promise<LetterRecord[]> {
    return this.store.forContract(clientOrgId, contractNo);
  }

  /** Letters by their printed number (a number is unique per series, not across senders). */
  byNumber(number: string): Promise<LetterRecord[]> {
    return this.store.findByNumber(number);
  }

  /** Withdraws an issued letter: the number stays used, verification answers "void". Issuing organisation only. */
  async void(
    id: string,
    req: { orgId?: string; actor: string; reason: string; today?: string },
  ): Promise<LetterRecord> {
    const orgId = req.orgId ?? DEFAULT_ORG;
    const r = await this.issuedBy(
      id,
      orgId,
      '只有出具方可以作废函件',
      'only the issuing organisation may void a letter',
    );
    if (r.status === 'void')
      throw err('ALREADY_VOID', 'conflict', `该函件已于 ${r.voidedOn} 作废`, `the letter was voided on ${r.voidedOn}`);
    const reason = req.reason.trim();
    if (!reason || reason.length > 500)
      throw err(
        'INVALID_INPUT',
        'invalid_input',
        '作废须说明理由（1–500 字）',
        'voiding needs a reason (1–500 characters)',
        'reason',
      );
    const on = req.today ?? todayInShanghai();
    await this.store.transaction(async () => {
      if (!(await this.store.markVoid(id, on, reason)))
        throw err('ALREADY_VOID', 'conflict', '该函件已作废', 'the letter was already voided');
      await this.deps.audit.append({
        orgId,
        actor: req.actor,
        action: 'letter.void',
        subject: id,
        details: { number: r.number, reason },
      });
    });
    return this.get(id, orgId);
  }

  async verify(number: string, code: string): Promise<PublicFacts | VoidFacts | { valid: false }> {
    const want = normaliseCode(code);
    const hit = (await this.store.findByNumber(number.trim())).find((r) => r.verifyCode === want);
    return hit ? publicFacts(hit) : { valid: false };
  }

  /** The record of a letter by number and code, as the debtor's pages find it (null when they do not match). */
  async verified(number: string, code: string): Promise<LetterRecord | null> {
    const want = normaliseCode(code);
    return (await this.store.findByNumber(number.trim())).find((r) => r.verifyCode === want) ?? null;
  }

  async verifyPdf(bytes: Buffer): Promise<PublicFacts | VoidFacts | { valid: false; sha256: string }> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const hit = await this.store.findByPdfSha256(sha);
    return hit ? publicFacts(hit) : { valid: false, sha256: sha };
  }

  /**
   * Personal data past retention: the stored inputs go, and the stored PDFs (which print the
   * debtor's name and address) are destroyed — overwritten, then removed — in the same
   * transaction (a storage failure leaves nothing purged, so it can be run again); `alsoPurge`
   * destroys what other parts keep for those letters (the proof files). Number, hashes, masked
   * facts and verification stay: a PDF the debtor holds still verifies by its sha256.
   */
  async purge(before: string, actor: string, alsoPurge?: (ids: string[]) => Promise<number>): Promise<string[]> {
    return this.store.transaction(async () => {
      const ids = await this.store.purgeBefore(before, new Date().toISOString());
      let pdfs = 0;
      for (const id of ids) {
        const r = await this.store.findById(id);
        if (r && (await this.deps.blobs.shred('letters', r.pdfSha256, 'pdf'))) pdfs++;
      }
      const proofs = ids.length && alsoPurge ? await alsoPurge(ids) : 0;
      await this.deps.audit.append({
        orgId: null,
        actor,
        action: 'letters.purge',
        subject: null,
        details: { before, letters: ids.length, pdfs, proofs },
      });
      return ids;
    });
  }

  /**
   * The 授权委托书 a letter being issued appends: the one the input records, else the one of the
   * engagement it was requested under, else the engagement in force. None (or no engagement in
   * the input to record it in): MANDATE_REQUIRED — a letter that lists it is never issued without it.
   */
  private async mandateToIssue(
    input: Record<string, unknown>,
    data: LetterData,
    orgId: string,
    clientOrgId: string,
    approval?: Approval,
  ): Promise<Mandate> {
    const mandate = await this.deps.mandates.forLetter({
      orgId,
      clientOrgId,
      issueDate: data.issueDate,
      engagementId: approval?.engagementId,
      sha256: data.engagement?.mandateSha256,
    });
    if (!mandate || typeof input.engagement !== 'object' || input.engagement === null)
      throw mandateRequiredError('engagement', data.engagement?.mandateSha256);
    return mandate;
  }

  /**
   * The rendered letter with the mandate's pages after it when its 附件 list names the mandate
   * (as rendered; a renderer that does not say: as its template version lists it). Unsigned: the
   * signature is added to these bytes.
   */
  private async withMandate(
    rendered: Pick<RenderedForRegistry, 'pdf' | 'sha256' | 'attachments'>,
    templateSource: string,
    mandate: Mandate | null,
    letter: { kind: string; number: string; issueDate: string; sender: string },
  ): Promise<{ pdf: Buffer; sha256: string }> {
    const lists = rendered.attachments ? listsMandate(rendered.attachments) : templateListsMandate(templateSource);
    if (!lists || !mandate) return { pdf: rendered.pdf, sha256: rendered.sha256 };
    const item = rendered.attachments?.find((a) => listsMandate([a])) ?? '授权委托书复印件';
    const pdf = await appendPages(rendered.pdf, mandate, {
      heading: `附件：${item.replace(/^\s*[0-9]+[．.、]\s*/u, '')}`,
      subheading: `${KIND_TITLES[letter.kind as keyof typeof KIND_TITLES] ?? ''} ${letter.number}`.trim(),
      date: letter.issueDate,
      author: letter.sender,
    });
    return { pdf, sha256: createHash('sha256').update(pdf).digest('hex') };
  }

  /**
   * Checks every stored file against its recorded sha256, and re-renders the letters of the
   * current layout engine from their stored input, with the seal they were issued with, to
   * compare the bytes (a determinism audit). Letters that cannot be reproduced byte for byte —
   * set by another engine, personal data purged, seal not kept — are listed with a note, not
   * reported as differences.
   */
  async check(
    onRecord?: (r: CheckedRecord) => void,
  ): Promise<{ checked: number; failed: number; notRerendered: number }> {
    let checked = 0;
    let failed = 0;
    let notRerendered = 0;
    for await (const rec of this.store.all()) {
      checked++;
      let problem: string | undefined;
      let note: string | undefined;
      try {
        if (rec.purgedAt) {
          notRerendered++;
          onRecord?.({ id: rec.id, number: rec.number, ok: true, note: 'purged: personal data and PDF removed' });
          continue;
        }
        const stored = await this.deps.blobs.read(rec.pdfSha256);
        const input = this.inputOf(rec);
        const seal = rec.sealSha256 ? await this.deps.seals.byHash(rec.sealSha256) : undefined;
        if (rec.engine !== LAYOUT_ENGINE_VERSION) note = `engine v${rec.engine}, not re-rendered`;
        else if (input === null) note = 'personal data purged: file checked, not re-rendered';
        else if (rec.sealSha256 && !seal)
          note = `seal ${rec.sealSha256.slice(0, 12)}… not kept: file checked, not re-rendered`;
        else {
          const r = await this.deps.render(input, {
            letterNo: rec.number,
            verification: this.verificationFor(rec.number, rec.verifyCode, rec),
            today: rec.issueDate,
            seal: seal ?? undefined,
            orgId: rec.orgId,
          });
          // The mandate the letter recorded is appended again, exactly as when it was issued.
          const sha = mandateSha256Of(input);
          const mandate = sha ? await this.deps.mandates.forLetter({ ...rec, sha256: sha }) : null;
          if (sha && !mandate) throw mandateRequiredError('mandate', sha);
          const template = this.catalogFor(rec.orgId).versions.find((v) => v.id === rec.template);
          const full = await this.withMandate(r, template?.source ?? '', mandate, {
            kind: rec.kind,
            number: rec.number,
            issueDate: rec.issueDate,
            sender: rec.sender,
          });
          problem = compareRerender(full.pdf, full.sha256, rec, () => stored);
        }
      } catch (e) {
        problem = e instanceof HanjianError ? `${e.code}: ${e.en}` : String(e);
      }
      if (problem) failed++;
      if (note) notRerendered++;
      onRecord?.({ id: rec.id, number: rec.number, ok: !problem, problem, note });
    }
    return { checked, failed, notRerendered };
  }
}

/** The mandate a stored letter input records (engagement.mandateSha256), or null. */
export function mandateSha256Of(input: unknown): string | null {
  const sha = (input as { engagement?: { mandateSha256?: unknown } } | null)?.engagement?.mandateSha256;
  return typeof sha === 'string' ? sha : null;
}

function publicFacts(r: LetterRecord): PublicFacts | VoidFacts {
  if (r.status === 'void') return { valid: false, status: 'void', number: r.number, voidedOn: r.voidedOn! };
  return {
    valid: true,
    number: r.number,
    kind: r.kind,
    sender: r.sender,
    issueDate: r.issueDate,
    debtor: r.debtorMasked,
    total: fenToYuan(r.totalFen),
    pdfSha256: r.pdfSha256,
    signature: publicSignature(r.signature),
  };
}

export type { LetterData };
