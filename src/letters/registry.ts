/**
 * The letter registry: numbering, idempotent issuing, storage, verification, void. Issuing
 * runs in one transaction — allocate the number, render, store the PDF, record, audit — so a
 * failure keeps nothing and uses no number. Every read and write is scoped to the caller's
 * organisation; a letter another organisation cannot see does not exist for it (404).
 */
import { createHash, randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { AuditLog } from '../audit/audit.js';
import { FirmCatalogs } from '../catalogs/catalogs.js';
import { Lifecycle } from '../delivery/lifecycle.js';
import { DEFAULT_ORG, type Org } from '../orgs/model.js';
import { type NewOrg, OrgStore } from '../orgs/store.js';
import { canonicalJson, sha256Json } from '../pipeline/compose.js';
import { fenToYuan } from '../pipeline/facts/format.js';
import { maskName } from '../pipeline/facts/mask.js';
import {
  type Catalog,
  LAYOUT_ENGINE_VERSION,
  type RenderOptions,
  renderLetter,
  resolveTemplateVersion,
  templateDraftError,
} from '../pipeline/index.js';
import type { Verification } from '../pipeline/layout/verification.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import { type LetterData, parseLetter } from '../pipeline/schema/validate.js';
import { DbPlanStore, type PlanStore } from '../plans/plan-store.js';
import { checkSealPng } from '../seals/seal-png.js';
import { type OrgSeal, OrgSeals } from '../seals/seal-store.js';
import type { SealSource } from '../seals/seals-file.js';
import { specimenSeal } from '../seals/seals-file.js';
import { HanjianError } from '../shared/errors.js';
import { signIssued } from '../signing/sign-pdf.js';
import { loadSigningConfig, type SigningKeys, type TsaDefaults, tsaDefaultsFromEnv } from '../signing/signing-keys.js';
import { type BlobStore, DbBlobStore, FileBlobStore } from '../store/blobs.js';
import { type DataKey, loadDataKey } from '../store/crypto.js';
import { type Db, isPostgresUrl, isUniqueViolation } from '../store/db.js';
import { PdfFiles } from '../store/files.js';
import { PgDb } from '../store/postgres/db.js';
import { SqlLetterStore } from '../store/sql/letters.js';
import { SqliteLetterStore } from '../store/sqlite/letters.js';
import { buildEvidence, PROOF_TYPES } from './evidence.js';
import { addRegistryFacts } from './follow-up.js';
import type { LetterFilter, LetterRecord, LetterSignature, LetterStore, SignatureTimestamp } from './letter-store.js';
import { formatNumber, newVerifyCode, normaliseCode, seriesOf } from './numbers.js';
import { compareRerender } from './rerender.js';
import { adoptDefaultLetters, assertSenderUnregistered, continuingDefaultSeries } from './sender-series.js';

/** `engine`: the layout engine that set the PDF; a renderer built on this package's letters.ts may leave it out. */
export interface RenderedForRegistry {
  pdf: Buffer;
  sha256: string;
  inputSha256: string;
  template: { kind: string; version: number; id?: string };
  seal: Buffer | null;
  engine?: number;
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
  },
) => Promise<RenderedForRegistry>;

export interface RegistryOptions {
  store: SqlLetterStore;
  files: BlobStore;
  dataKey: DataKey;
  publicBaseUrl: string;
  render?: Renderer;
  /** Options for the default in-process renderer (seals, compliance). */
  renderOptions?: RenderOptions;
  creditorPrefix?: string;
  /** Production: a final letter needs a configured seal of its sender that is not the specimen. */
  requireRealSeal?: boolean;
  /** Signing keys per sender's full name: a letter whose sender has one is issued signed (PAdES B-B). */
  signing?: SigningKeys;
  /** Organisations' own template catalogues (HANJIAN_TEMPLATES): a letter resolves in its sender's first. */
  templates?: FirmCatalogs;
}

/** One letter's audit: `note` says why a letter with an intact file was not re-rendered. */
export interface CheckedRecord {
  id: string;
  number: string;
  ok: boolean;
  problem?: string;
  note?: string;
}

/** What the workflow adds when a lawyer approved the letter: only then may a lawyer's letter be issued. */
export interface Approval {
  requestId: string;
  approvedBy: string;
  clientOrgId: string;
}

export interface IssueRequest {
  idempotencyKey?: string;
  requester?: string;
  today?: string;
  /** The issuing organisation (default: the implicit single-creditor organisation). */
  orgId?: string;
  approval?: Approval;
  /** Seal images per sender for this letter (default: the registry's renderOptions.seals). */
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
export type PublicSignature = Omit<LetterSignature, 'unsignedSha256' | 'timestamp'> & {
  timestamp: SignatureTimestamp | null;
};

/** What anyone may see of a letter's signature: the signer's certificate, the signing time and the TSA's timestamp (null when not stamped). */
export function publicSignature(s: LetterSignature | null): PublicSignature | null {
  return s
    ? {
        subject: s.subject,
        issuer: s.issuer,
        notBefore: s.notBefore,
        notAfter: s.notAfter,
        signedAt: s.signedAt,
        timestamp: s.timestamp ?? null,
      }
    : null;
}
export type VoidFacts = { valid: false; status: 'void'; number: string; voidedOn: string };

const err = (code: string, category: HanjianError['category'], zh: string, en: string, path?: string) =>
  new HanjianError({ code, category, zh, en, path });
const conflict = (zh: string, en: string) => err('IDEMPOTENCY_CONFLICT', 'conflict', zh, en, 'Idempotency-Key');
const notFound = () => err('LETTER_NOT_FOUND', 'not_found', '没有这封函件', 'no such letter', 'id');

/** A lawyer's letter is issued only on a lawyer's approval (the HTTP route says so before checking a key's scopes too). */
export const lawyerLetterNeedsReview = () =>
  err(
    'REVIEW_REQUIRED',
    'forbidden',
    '律师函须经承办律师审核批准后出具：请通过 POST /v1/letter-requests 提交申请',
    "a lawyer's letter is issued only after the lawyer approves it: request it with POST /v1/letter-requests",
    'kind',
  );

export class Registry {
  readonly store: LetterStore;
  readonly files: BlobStore;
  readonly orgs: OrgStore;
  readonly audit: AuditLog;
  readonly lifecycle: Lifecycle;
  readonly plans: PlanStore;
  /** Seals the organisations' admins uploaded: one in use per organisation, drawn on its final letters. */
  readonly seals: OrgSeals;
  private render: Renderer;
  private specimenSha = createHash('sha256').update(specimenSeal()).digest('hex');

  constructor(private options: RegistryOptions) {
    this.store = options.store;
    this.files = options.files;
    this.orgs = new OrgStore(options.store.db);
    this.audit = new AuditLog(options.store.db);
    this.lifecycle = new Lifecycle(options.store.db, this.audit);
    this.plans = new DbPlanStore(options.store.db);
    this.seals = new OrgSeals(options.store.db);
    this.render =
      options.render ??
      (async (input, o) => {
        const seals = o.seal ? () => o.seal! : (o.seals ?? options.renderOptions?.seals);
        const r = await renderLetter(input, {
          ...options.renderOptions,
          catalog: this.catalogFor(o.orgId),
          seals,
          letterNo: o.letterNo,
          verification: o.verification,
          today: o.today,
        });
        return {
          pdf: r.pdf,
          sha256: r.sha256,
          inputSha256: r.inputSha256,
          template: r.template,
          seal: r.seal,
          engine: r.engine,
        };
      });
  }

  get publicBaseUrl(): string {
    return this.options.publicBaseUrl;
  }
  /** The senders (full names) with a signing key: letters of any other sender are issued unsigned. */
  signingSenders(): string[] {
    return Object.keys(this.options.signing ?? {});
  }
  /** When each signing certificate lapses (ISO 8601), by sender. */
  signingExpiry(): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.options.signing ?? {}).map(([sender, key]) => [sender, key.notAfter]),
    );
  }

  /**
   * Registers an organisation: its numbers continue after those the default organisation printed
   * in its name this year, and the letters printed in its name without keys become its own.
   */
  async addOrg(o: NewOrg, year = Number(todayInShanghai().slice(0, 4))): Promise<Org & { adoptedLetters: number }> {
    return this.db.transaction(async () => {
      const org = await this.orgs.addOrg(await continuingDefaultSeries(this.db, o, year));
      const adoptedLetters = await adoptDefaultLetters(this.db, { ...o, id: org.id });
      if (adoptedLetters)
        await this.audit.append({
          orgId: org.id,
          actor: 'registry',
          action: 'org.adopt-default-letters',
          subject: org.id,
          details: { letters: adoptedLetters },
        });
      return { ...org, adoptedLetters };
    });
  }
  /** The organisations' own catalogues (none configured: an empty set). */
  get templates(): FirmCatalogs {
    return (this.options.templates ??= new FirmCatalogs());
  }
  set templates(t: FirmCatalogs) {
    this.options.templates = t;
  }
  /** The catalogue a letter of this sender organisation resolves in: its own versions, then the built-in ones. */
  catalogFor(orgId?: string): Catalog {
    return this.templates.catalogFor(orgId);
  }
  /** The database the workflow's tables live in, beside the letters. */
  get db(): Db {
    return this.options.store.db;
  }

  /** Migrations applied and the database answering: the service awaits this before it starts, /readyz on every call. */
  async ready(): Promise<void> {
    await this.db.ready();
    await this.db.ping();
  }

  verificationFor(number: string, code: string, record?: Pick<LetterRecord, 'verifyUrl'>): Verification {
    const base = this.options.publicBaseUrl.replace(/\/+$/, '');
    const url = record?.verifyUrl ?? `${base}/v1/verify?number=${encodeURIComponent(number)}&code=${code}`;
    const displayUrl = url.split('?')[0]!;
    return { number, code, url, displayUrl };
  }

  /** The stored input of a letter, decrypted; null once purged. */
  inputOf(r: Pick<LetterRecord, 'inputJson'>): unknown {
    return r.inputJson === null ? null : JSON.parse(this.options.dataKey.open(r.inputJson));
  }

  sealInput(input: unknown): string {
    return this.options.dataKey.seal(canonicalJson(input));
  }

  /** Opens text sealed with sealInput. */
  open(sealed: string): string {
    return this.options.dataKey.open(sealed);
  }

  /** The seal image an organisation's admin uploaded and that is in use, or null (then the seals file decides). */
  async sealOf(orgId: string): Promise<Buffer | null> {
    const s = await this.seals.current(orgId);
    return s ? await this.files.readBlob('seals', s.sha256, 'png') : null;
  }

  /**
   * An admin's new seal for the organisation: checked as a PNG, refused if it is the project's
   * specimen, stored as a `seals` blob, and put in use with the replaced one named in the audit trail.
   */
  async uploadSeal(
    orgId: string,
    png: Buffer,
    actor: { userId: string; keyId: string },
  ): Promise<{ seal: OrgSeal; replaced: OrgSeal | null }> {
    const image = checkSealPng(png);
    const sha256 = createHash('sha256').update(png).digest('hex');
    if (sha256 === this.specimenSha)
      throw err(
        'SEAL_IMAGE_INVALID',
        'invalid_input',
        '印章图片无效：这是本软件自带的样章，不能作为正式印章',
        'invalid seal image: this is the specimen seal, not a real one',
        'seal',
      );
    await this.files.writeBlob('seals', sha256, png, 'png');
    return this.db.transaction(async () => {
      const done = await this.seals.replace({
        orgId,
        sha256,
        ...image,
        uploadedBy: actor.userId,
        uploadedAt: new Date().toISOString(),
      });
      await this.audit.append({
        orgId,
        actor: actor.keyId,
        action: done.replaced ? 'seal-replace' : 'seal-upload',
        subject: done.seal.id,
        details: {
          sha256,
          width: image.width,
          height: image.height,
          replaced: done.replaced ? { id: done.replaced.id, sha256: done.replaced.sha256 } : null,
        },
      });
      return done;
    });
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

  /** The type of the debtor's open dispute or hardship request for a contract, if any (workflow/disputes.ts files them). */
  async openDisputeFor(clientOrgId: string, contractNo: string): Promise<string | null> {
    const open = await this.db.get<{ type: string }>(
      "SELECT type FROM debtor_responses WHERE client_org_id = ? AND contract_no = ? AND status = 'open' LIMIT 1",
      [clientOrgId, contractNo],
    );
    return open?.type ?? null;
  }

  /**
   * A dispute or hardship request the debtor filed, still open, blocks further letters for the contract:
   * one 409 DISPUTE_OPEN for issuing and requesting alike (`path` names the field in the caller's body).
   */
  async assertNoOpenDispute(clientOrgId: string, contractNo: string, path = 'account.contractNo'): Promise<void> {
    const type = await this.openDisputeFor(clientOrgId, contractNo);
    if (type)
      throw err(
        'DISPUTE_OPEN',
        'conflict',
        `债务人就该合同提出的${type === 'dispute' ? '异议' : '困难帮扶申请'}尚未处理，处理前不再发函`,
        `the debtor's ${type === 'dispute' ? 'dispute' : 'hardship request'} for this contract is open: no further letter until the creditor resolves it`,
        path,
      );
  }

  async issue(callerInput: unknown, req: IssueRequest = {}): Promise<IssueResult> {
    const requester = req.requester ?? 'library';
    const orgId = req.orgId ?? DEFAULT_ORG;
    const today = req.today ?? todayInShanghai();
    let input = callerInput;
    let data = parseLetter(input, { today });
    if (data.kind === 'plan-confirmation' && !req.confirmsPlan) {
      throw err(
        'CONFIRMATION_FROM_ACCEPTANCE',
        'forbidden',
        '还款计划确认函只在债务人接受方案后由系统出具',
        'a plan confirmation is issued only when the debtor accepts a plan',
        'kind',
      );
    }
    if (data.letterNo)
      throw err(
        'LETTER_NO_NOT_ALLOWED',
        'invalid_input',
        '出具函件时由登记簿分配函号，请勿在输入中提供 letterNo',
        'the registry assigns the number when issuing: do not send letterNo',
        'letterNo',
      );
    if (data.kind === 'lawyer-letter' && !req.approval) throw lawyerLetterNeedsReview();
    if (data.issueDate !== today)
      throw err(
        'ISSUE_DATE_NOT_TODAY',
        'invalid_input',
        `正式函件的发函日期须为今天（${today}）`,
        `a final letter is dated the day it is issued (${today})`,
        'issueDate',
      );
    const org = await this.orgs.org(orgId);
    checkSender(org, data);
    const clientOrgId = req.approval?.clientOrgId ?? orgId;
    if (data.kind !== 'plan-confirmation') {
      // The previous letter and the plan options come from the registry's records, never from the caller.
      const letters = await this.store.forContract(clientOrgId, data.account.contractNo);
      input = addRegistryFacts(input as Record<string, unknown>, data, {
        letters,
        settings: await this.plans.settings(clientOrgId),
        sender: senderName(data),
        catalog: this.catalogFor(orgId),
      });
      data = parseLetter(input, { today });
    }

    // Store the input with its dates and template version fixed, so a re-render never depends on "today" or on templates released later.
    const template = resolveTemplateVersion(data, this.catalogFor(orgId));
    this.assertIssuable(template.id, orgId);
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
      return { record: existing, replayed: true, pdf: await this.files.read(existing.pdfSha256) };
    };
    if (key) {
      const existing = await this.store.findByIdempotencyKey(orgId, key);
      if (existing) return replay(existing);
    }
    if (org.id === DEFAULT_ORG) await assertSenderUnregistered(this.orgs, data);
    const series =
      org.id === DEFAULT_ORG
        ? seriesOf(data, this.options.creditorPrefix)
        : {
            key: `org:${org.id}`,
            prefix: org.letterPrefix ?? data.creditor.letterPrefix ?? this.options.creditorPrefix ?? '函字',
          };
    const year = Number(data.issueDate.slice(0, 4));

    const issueOnce = () =>
      this.store.issueTransaction(async (tx) => {
        // The number first: on PostgreSQL this locks the series, so the checks below see every letter committed before it
        // (two instances cannot both pass "not yet issued today" for one contract). Leaving early uses no number.
        const seq = await tx.nextSeq(series.key, year, org.registerYear === year ? (org.registerNext ?? 1) : 1);
        if (key) {
          const existing = await tx.findByIdempotencyKey(orgId, key); // a concurrent retry may have won the race
          if (existing) return replay(existing);
        }
        await this.assertNoOpenDispute(clientOrgId, data.account.contractNo);
        const same = (await this.store.forContract(clientOrgId, data.account.contractNo)).find(
          (r) => r.kind === data.kind && r.issueDate === data.issueDate,
        );
        if (same) {
          throw new HanjianError({
            code: 'ALREADY_ISSUED',
            category: 'conflict',
            path: 'account.contractNo',
            zh: `该合同今天已出具同类函件 ${same.number}（/v1/letters/${same.id}）`,
            en: `a ${data.kind} for this contract was already issued today: ${same.number} (/v1/letters/${same.id})`,
          });
        }
        const number = formatNumber(year, series.prefix, seq);
        const verification = this.verificationFor(number, newVerifyCode());
        // The seal the organisation's admin uploaded comes first; a caller's or the configured seals only when there is none.
        const uploaded = req.seals ? null : await this.sealOf(orgId);
        const rendered = await this.render(JSON.parse(canonicalJson(stored)), {
          letterNo: number,
          verification,
          today: data.issueDate,
          seals: req.seals,
          seal: uploaded ?? undefined,
          orgId,
        });
        if (rendered.inputSha256 !== inputSha256)
          throw err('INTERNAL', 'internal', '渲染输入哈希不一致', 'rendered input hash differs from the recorded one');
        const sealSha256 = rendered.seal ? createHash('sha256').update(rendered.seal).digest('hex') : null;
        if (this.options.requireRealSeal && (!sealSha256 || sealSha256 === this.specimenSha)) {
          throw err(
            'SEAL_REQUIRED',
            'conflict',
            `出具方“${senderName(data)}”没有配置正式印章（管理员在设置中上传，或 HANJIAN_SEALS），不能出具正式函件`,
            `the sender "${senderName(data)}" has no configured seal (HANJIAN_SEALS), other than the specimen: final letters cannot be issued`,
          );
        }
        if (rendered.seal) await this.files.writeBlob('seals', sealSha256!, rendered.seal, 'png');
        const createdAt = new Date();
        // For a lawyer's letter this is the approval: the workflow issues it when the lawyer approves.
        const signingKey =
          this.options.signing && Object.hasOwn(this.options.signing, senderName(data))
            ? this.options.signing[senderName(data)]!
            : null;
        const signed = signingKey ? await signIssued(rendered.pdf, signingKey, createdAt) : null;
        const pdf = signed?.pdf ?? rendered.pdf;
        const pdfSha256 = signed?.sha256 ?? rendered.sha256;
        const { created } = await this.files.write(pdfSha256, pdf);
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
          inputJson: this.sealInput(stored),
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
          await this.audit.append({
            orgId,
            actor: requester,
            action: 'issue',
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
          if (created) await this.files.remove(pdfSha256);
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

  async pdf(id: string, orgId?: string): Promise<{ record: LetterRecord; pdf: Buffer }> {
    const record = await this.get(id, orgId);
    return { record, pdf: await this.files.read(record.pdfSha256) };
  }

  list(filter: Omit<LetterFilter, 'limit'> & { limit?: number }): Promise<LetterRecord[]> {
    return this.store.list({ ...filter, limit: Math.min(Math.max(filter.limit ?? 50, 1), 200) });
  }

  /** Withdraws an issued letter: the number stays used, verification answers "void". Issuing organisation only. */
  async void(
    id: string,
    req: { orgId?: string; actor: string; reason: string; today?: string },
  ): Promise<LetterRecord> {
    const orgId = req.orgId ?? DEFAULT_ORG;
    const r = await this.get(id, orgId);
    if (r.orgId !== orgId)
      throw err('FORBIDDEN', 'forbidden', '只有出具方可以作废函件', 'only the issuing organisation may void a letter');
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
    await this.db.transaction(async () => {
      const { changes } = await this.db.run(
        "UPDATE letters SET status = 'void', voided_on = ?, void_reason = ? WHERE id = ? AND status = 'issued'",
        [on, reason, id],
      );
      if (!changes) throw err('ALREADY_VOID', 'conflict', '该函件已作废', 'the letter was already voided');
      await this.audit.append({
        orgId,
        actor: req.actor,
        action: 'void',
        subject: id,
        details: { number: r.number, reason },
      });
    });
    return this.get(id, orgId);
  }

  /** Records a delivery or payment event: the issuing organisation only. */
  async recordEvent(id: string, raw: unknown, req: { orgId?: string; actor: string; now?: Date }) {
    const letter = await this.issuedBy(id, req.orgId);
    return this.lifecycle.record(letter, raw, req.actor, async (sha) => (await this.proof(sha)) !== null, req.now);
  }

  private async issuedBy(id: string, orgId = DEFAULT_ORG): Promise<LetterRecord> {
    const letter = await this.get(id, orgId);
    if (letter.orgId !== orgId)
      throw err(
        'FORBIDDEN',
        'forbidden',
        '只有出具方可以记录送达证据',
        'only the issuing organisation records delivery evidence',
      );
    return letter;
  }

  /** Stores a proof file (receipt scan, carrier's PDF) content-addressed; events then name it by sha256. */
  async addProof(
    id: string,
    bytes: Buffer,
    type: string,
    orgId?: string,
  ): Promise<{ sha256: string; type: string; size: number }> {
    await this.issuedBy(id, orgId);
    const kind = PROOF_TYPES[type];
    if (!kind?.magic.every((b, i) => bytes[i] === b))
      throw err(
        'PROOF_TYPE',
        'invalid_input',
        '证明文件须为 PDF、PNG 或 JPEG，且内容与类型一致',
        'a proof file must be a PDF, PNG or JPEG whose content matches its type',
        'content-type',
      );
    const sha = createHash('sha256').update(bytes).digest('hex');
    await this.files.writeBlob('proofs', sha, bytes, kind.ext);
    return { sha256: sha, type, size: bytes.length };
  }

  private async proof(sha: string): Promise<{ bytes: Buffer; ext: string } | null> {
    for (const { ext } of Object.values(PROOF_TYPES)) {
      const bytes = await this.files.readBlob('proofs', sha, ext);
      if (bytes) return { bytes, ext };
    }
    return null;
  }

  /** The evidence ZIP of a letter: byte-identical while nothing about it changes. */
  async evidence(id: string, orgId?: string): Promise<{ record: LetterRecord; zip: Buffer }> {
    const { record, pdf } = await this.pdf(id, orgId);
    const events = await this.lifecycle.events(record.id);
    const proofs = new Map<string, { bytes: Buffer; ext: string } | null>();
    for (const sha of events.flatMap((e) => (e.details.proofs as string[] | undefined) ?? []))
      if (!proofs.has(sha)) proofs.set(sha, await this.proof(sha));
    const zip = await buildEvidence({
      letter: record,
      pdf,
      state: this.lifecycle.state(record, events),
      events,
      proof: (sha) => proofs.get(sha) ?? null,
    });
    return { record, zip };
  }

  async events(id: string, orgId?: string) {
    const letter = await this.get(id, orgId);
    const events = await this.lifecycle.events(letter.id);
    return { state: this.lifecycle.state(letter, events), events };
  }

  async verify(number: string, code: string): Promise<PublicFacts | VoidFacts | { valid: false }> {
    const want = normaliseCode(code);
    const hit = (await this.store.findByNumber(number.trim())).find((r) => r.verifyCode === want);
    return hit ? publicFacts(hit) : { valid: false };
  }

  async verifyPdf(bytes: Buffer): Promise<PublicFacts | VoidFacts | { valid: false; sha256: string }> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const hit = await this.store.findByPdfSha256(sha);
    return hit ? publicFacts(hit) : { valid: false, sha256: sha };
  }

  /** Personal data past retention: the stored inputs go; number, hashes, masked facts and verification stay. */
  async purge(before: string, actor: string): Promise<number> {
    const ids = await this.store.purgeBefore(before, new Date().toISOString());
    await this.audit.append({
      orgId: null,
      actor,
      action: 'purge',
      subject: null,
      details: { before, letters: ids.length },
    });
    return ids.length;
  }

  /**
   * Check every stored file against its recorded sha256, and re-render the letters of the
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
        const stored = await this.files.read(rec.pdfSha256);
        const input = this.inputOf(rec);
        const seal = rec.sealSha256 ? await this.files.readBlob('seals', rec.sealSha256, 'png') : undefined;
        if (rec.engine !== LAYOUT_ENGINE_VERSION) note = `engine v${rec.engine}, not re-rendered`;
        else if (input === null) note = 'personal data purged: file checked, not re-rendered';
        else if (rec.sealSha256 && !seal)
          note = `seal ${rec.sealSha256.slice(0, 12)}… not kept: file checked, not re-rendered`;
        else {
          const r = await this.render(input, {
            letterNo: rec.number,
            verification: this.verificationFor(rec.number, rec.verifyCode, rec),
            today: rec.issueDate,
            seal: seal ?? undefined,
            orgId: rec.orgId,
          });
          problem = compareRerender(r.pdf, r.sha256, rec, () => stored);
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

  close(): Promise<void> {
    return this.store.close();
  }
}

function senderName(data: LetterData): string {
  return data.kind === 'lawyer-letter' && data.lawFirm ? data.lawFirm.name : data.creditor.name;
}

/** A creditor issues only under its own name and code; a firm only under its own name. */
function checkSender(org: Org, data: LetterData): void {
  if (org.id === DEFAULT_ORG) return; // the simple single-creditor setup: no organisation record to match
  const mismatch = (path: string, zh: string, en: string) =>
    new HanjianError({ code: 'SENDER_MISMATCH', category: 'forbidden', path, zh, en });
  if (data.kind === 'lawyer-letter') {
    if (org.kind !== 'law-firm' || data.lawFirm?.name !== org.name)
      throw mismatch(
        'lawFirm.name',
        '律师函只能以本所名义出具',
        "a lawyer's letter is issued only in the firm's own name",
      );
    return;
  }
  if (org.kind !== 'creditor' || data.creditor.name !== org.name || data.creditor.creditCode !== org.creditCode) {
    throw mismatch(
      'creditor',
      `只能以本机构（${org.name}）的名称和统一社会信用代码出具函件`,
      `letters are issued only under the organisation's own name and credit code (${org.name})`,
    );
  }
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

export function defaultDbPath(): string {
  return resolve(process.env.HANJIAN_DB || join('data', 'hanjian.db')); // set but empty: the default, as unset
}

/** The registry `db` names, or the default one: HANJIAN_DATABASE_URL (postgres://…), else HANJIAN_DB, else ./data/hanjian.db. */
export function registryLocation(db?: string): string {
  return db ?? (isPostgresUrl(process.env.HANJIAN_DATABASE_URL) ? process.env.HANJIAN_DATABASE_URL : defaultDbPath());
}

export interface OpenRegistryOptions {
  /** A SQLite file (PDFs in letters/ beside it), or a postgres:// URL. Default: HANJIAN_DATABASE_URL, else HANJIAN_DB, else ./data/hanjian.db. */
  db?: string;
  /** Connections per instance to PostgreSQL (default 10). */
  poolSize?: number;
  publicBaseUrl?: string;
  render?: Renderer;
  renderOptions?: RenderOptions;
  creditorPrefix?: string;
  busyTimeoutMs?: number;
  dataKey?: DataKey;
  /** Production rules: a real seal for final letters, a data key from the environment. */
  production?: boolean;
  /** Signing keys, or the signing config file to load them from now (a bad file, password or certificate throws CONFIG_INVALID). */
  signing?: SigningKeys;
  signingFile?: string;
  /** The default TSA for signingFile's senders (default: HANJIAN_TSA_URL, HANJIAN_TSA_TIMEOUT_MS). */
  tsa?: TsaDefaults;
  templates?: FirmCatalogs;
}

/**
 * Opens the registry on SQLite (the embedded default) or PostgreSQL (a postgres:// URL, shared
 * by any number of instances). PostgreSQL is migrated and checked on first use: await
 * `registry.ready()` to find out at start that it is reachable.
 */
export function openRegistry(options: OpenRegistryOptions = {}): Registry {
  const signing =
    options.signing ??
    (options.signingFile
      ? loadSigningConfig(options.signingFile, process.env, new Date(), options.tsa ?? tsaDefaultsFromEnv())
      : undefined);
  const db = registryLocation(options.db);
  let store: SqlLetterStore;
  let files: BlobStore;
  if (isPostgresUrl(db)) {
    store = new SqlLetterStore(
      new PgDb({ url: db, poolSize: options.poolSize, connectTimeoutMs: options.busyTimeoutMs }),
    );
    files = new DbBlobStore(store.db);
  } else {
    store = new SqliteLetterStore(db, options.busyTimeoutMs);
    files = new FileBlobStore(
      new PdfFiles(db === ':memory:' ? resolve('data', 'letters') : join(dirname(db), 'letters')),
    );
  }
  return new Registry({
    store,
    files,
    render: options.render,
    renderOptions: options.renderOptions,
    creditorPrefix: options.creditorPrefix,
    dataKey: options.dataKey ?? loadDataKey({ db, production: options.production }),
    requireRealSeal: options.production,
    signing,
    templates: options.templates,
    publicBaseUrl: options.publicBaseUrl ?? process.env.HANJIAN_PUBLIC_BASE_URL ?? 'http://127.0.0.1:8080',
  });
}
