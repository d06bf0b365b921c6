/**
 * The letter registry: numbering, idempotent issuing, storage and verification. Issuing runs
 * in one transaction — allocate the number, render, store the PDF, record — so a failure keeps
 * nothing and uses no number.
 */
import { randomUUID, createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { canonicalJson, sha256Json } from '../compose.js';
import { HanjianError } from '../errors.js';
import { fenToFigures } from '../facts/format.js';
import { maskName } from '../facts/mask.js';
import type { Verification } from '../layout/verification.js';
import { LAYOUT_ENGINE_VERSION, renderLetter, resolveTemplateId, type RenderOptions } from '../letters.js';
import { parseLetter } from '../schema/validate.js';
import { PdfFiles } from './files.js';
import { formatNumber, newVerifyCode, normaliseCode, seriesOf } from './numbers.js';
import { SqliteLetterStore } from './sqlite.js';
import type { LetterRecord, LetterStore } from './store.js';

/** `engine`: the layout engine that set the PDF; a renderer built on this package's letters.ts may leave it out. */
export interface RenderedForRegistry { pdf: Buffer; sha256: string; inputSha256: string; template: { kind: string; version: number }; engine?: number }
export type Renderer = (input: unknown, options: { letterNo: string; verification: Verification; today: string }) => Promise<RenderedForRegistry>;

export interface RegistryOptions {
  store: LetterStore;
  files: PdfFiles;
  publicBaseUrl: string;
  render?: Renderer;
  /** Options for the default in-process renderer (seals, compliance). */
  renderOptions?: RenderOptions;
  creditorPrefix?: string;
}

/** One letter's audit: `note` says why a letter with an intact file was not re-rendered. */
export interface CheckedRecord { id: string; number: string; ok: boolean; problem?: string; note?: string }

export interface IssueRequest { idempotencyKey?: string; requester?: string; today?: string }
export interface IssueResult { record: LetterRecord; replayed: boolean }

export interface PublicFacts {
  valid: true;
  number: string;
  kind: string;
  sender: string;
  issueDate: string;
  debtor: string;
  total: string;
  pdfSha256: string;
}

const conflict = (zh: string, en: string) => new HanjianError({ code: 'IDEMPOTENCY_CONFLICT', category: 'conflict', path: 'Idempotency-Key', zh, en });

export class Registry {
  readonly store: LetterStore;
  readonly files: PdfFiles;
  private render: Renderer;

  constructor(private options: RegistryOptions) {
    this.store = options.store;
    this.files = options.files;
    this.render = options.render ?? (async (input, o) => {
      const r = await renderLetter(input, { ...options.renderOptions, letterNo: o.letterNo, verification: o.verification, today: o.today });
      return { pdf: r.pdf, sha256: r.sha256, inputSha256: r.inputSha256, template: r.template, engine: r.engine };
    });
  }

  verificationFor(number: string, code: string, record?: Pick<LetterRecord, 'verifyUrl'>): Verification {
    const base = this.options.publicBaseUrl.replace(/\/+$/, '');
    const url = record?.verifyUrl ?? `${base}/v1/verify?number=${encodeURIComponent(number)}&code=${code}`;
    const displayUrl = url.split('?')[0]!;
    return { number, code, url, displayUrl };
  }

  async issue(input: unknown, req: IssueRequest = {}): Promise<IssueResult> {
    const requester = req.requester ?? 'library';
    const data = parseLetter(input, { today: req.today });
    if (data.letterNo) {
      throw new HanjianError({ code: 'LETTER_NO_NOT_ALLOWED', category: 'invalid_input', path: 'letterNo', zh: '出具函件时由登记簿分配函号，请勿在输入中提供 letterNo', en: 'the registry assigns the number when issuing: do not send letterNo' });
    }
    // Store the input with its dates and template version fixed, so a re-render never depends on "today" or on templates released later.
    const template = resolveTemplateId(data);
    const stored = canonicalJson({ ...(input as object), issueDate: data.issueDate, asOf: data.asOf, template });
    // The stored input validates to `data` with the template pinned: hash that, not a second parse.
    const inputSha256 = sha256Json({ ...data, template });
    const key = req.idempotencyKey ?? null;
    if (key !== null && (key.length < 1 || key.length > 200)) {
      throw new HanjianError({ code: 'IDEMPOTENCY_KEY_INVALID', category: 'invalid_input', path: 'Idempotency-Key', zh: '幂等键长度应为 1–200', en: 'the idempotency key must be 1–200 characters' });
    }
    const replay = (existing: LetterRecord): IssueResult => {
      if (existing.requester !== requester) throw conflict('该幂等键已被其他调用方使用', 'this idempotency key was used by another requester');
      if (existing.inputSha256 !== inputSha256) throw conflict('该幂等键已用于内容不同的函件', 'this idempotency key was used for a different letter');
      return { record: existing, replayed: true };
    };
    if (key) {
      const existing = await this.store.findByIdempotencyKey(key);
      if (existing) return replay(existing);
    }
    const series = seriesOf(data, this.options.creditorPrefix);
    const year = Number(data.issueDate.slice(0, 4));

    return this.store.issueTransaction(async (tx) => {
      if (key) {
        const existing = await tx.findByIdempotencyKey(key); // a concurrent retry may have won the race
        if (existing) return replay(existing);
      }
      const seq = await tx.nextSeq(series.key, year);
      const number = formatNumber(year, series.prefix, seq);
      const verification = this.verificationFor(number, newVerifyCode());
      const rendered = await this.render(JSON.parse(stored), { letterNo: number, verification, today: data.issueDate });
      if (rendered.inputSha256 !== inputSha256) throw new HanjianError({ code: 'INTERNAL', category: 'internal', zh: '渲染输入哈希不一致', en: 'rendered input hash differs from the recorded one' });
      const { created } = this.files.write(rendered.sha256, rendered.pdf);
      const record: LetterRecord = {
        id: randomUUID(), number, series: series.key, year, seq, kind: data.kind, template: `${rendered.template.kind}@${rendered.template.version}`,
        sender: data.kind === 'lawyer-letter' && data.lawFirm ? data.lawFirm.name : data.creditor.name,
        issueDate: data.issueDate, inputJson: stored, inputSha256, pdfSha256: rendered.sha256, pdfSize: rendered.pdf.length,
        verifyCode: verification.code, verifyUrl: verification.url, debtorMasked: maskName(data.debtor.name), totalFen: data.debt.total,
        requester, idempotencyKey: key, createdAt: new Date().toISOString(), engine: rendered.engine ?? LAYOUT_ENGINE_VERSION,
      };
      try {
        await tx.insert(record);
      } catch (e) {
        if (created) this.files.remove(rendered.sha256);
        throw e;
      }
      return { record, replayed: false };
    });
  }

  async get(id: string): Promise<LetterRecord> {
    const r = await this.store.findById(id);
    if (!r) throw new HanjianError({ code: 'LETTER_NOT_FOUND', category: 'not_found', path: 'id', zh: '没有这封函件', en: 'no such letter' });
    return r;
  }

  async pdf(id: string): Promise<{ record: LetterRecord; pdf: Buffer }> {
    const record = await this.get(id);
    return { record, pdf: this.files.read(record.pdfSha256) };
  }

  async verify(number: string, code: string): Promise<PublicFacts | { valid: false }> {
    const want = normaliseCode(code);
    const hit = (await this.store.findByNumber(number.trim())).find((r) => r.verifyCode === want);
    return hit ? publicFacts(hit) : { valid: false };
  }

  async verifyPdf(bytes: Buffer): Promise<PublicFacts | { valid: false; sha256: string }> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const hit = await this.store.findByPdfSha256(sha);
    return hit ? publicFacts(hit) : { valid: false, sha256: sha };
  }

  /**
   * Check every stored file against its recorded sha256, and re-render the letters of the
   * current layout engine from their stored input to compare the bytes (a determinism audit).
   * Letters set by another engine cannot be reproduced byte for byte: they are listed as
   * "engine vN, not re-rendered", not reported as differences.
   */
  async check(onRecord?: (r: CheckedRecord) => void): Promise<{ checked: number; failed: number; notRerendered: number }> {
    let checked = 0;
    let failed = 0;
    let notRerendered = 0;
    for await (const rec of this.store.all()) {
      checked++;
      let problem: string | undefined;
      let note: string | undefined;
      try {
        this.files.read(rec.pdfSha256);
        if (rec.engine !== LAYOUT_ENGINE_VERSION) {
          note = `engine v${rec.engine}, not re-rendered`;
          notRerendered++;
        } else {
          const r = await this.render(JSON.parse(rec.inputJson), { letterNo: rec.number, verification: this.verificationFor(rec.number, rec.verifyCode, rec), today: rec.issueDate });
          if (r.sha256 !== rec.pdfSha256) problem = `re-rendered sha256 ${r.sha256} differs from the issued ${rec.pdfSha256}`;
        }
      } catch (e) {
        problem = e instanceof HanjianError ? `${e.code}: ${e.en}` : String(e);
      }
      if (problem) failed++;
      onRecord?.({ id: rec.id, number: rec.number, ok: !problem, problem, note });
    }
    return { checked, failed, notRerendered };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

function publicFacts(r: LetterRecord): PublicFacts {
  return { valid: true, number: r.number, kind: r.kind, sender: r.sender, issueDate: r.issueDate, debtor: r.debtorMasked, total: fenToFigures(r.totalFen), pdfSha256: r.pdfSha256 };
}

export function defaultDbPath(): string {
  return resolve(process.env.HANJIAN_DB ?? join('data', 'hanjian.db'));
}

export function openRegistry(options: { db?: string; publicBaseUrl?: string; render?: Renderer; renderOptions?: RenderOptions; creditorPrefix?: string } = {}): Registry {
  const db = options.db ?? defaultDbPath();
  const store = new SqliteLetterStore(db);
  const files = new PdfFiles(db === ':memory:' ? resolve('data', 'letters') : join(dirname(db), 'letters'));
  return new Registry({
    store, files, render: options.render, renderOptions: options.renderOptions, creditorPrefix: options.creditorPrefix,
    publicBaseUrl: options.publicBaseUrl ?? process.env.HANJIAN_PUBLIC_BASE_URL ?? 'http://127.0.0.1:8080',
  });
}
