/** The SQLite letter store: WAL mode, versioned migrations at open, one issuing transaction at a time. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { retryWhileBusy } from './busy.js';
import { MIGRATIONS } from '../store/migrations.js';
import type { IssueTx, LetterFilter, LetterRecord, LetterStore } from './store.js';

type Row = Record<string, unknown>;

function toRecord(r: Row): LetterRecord {
  return {
    id: r.id as string, number: r.number as string, series: r.series as string, year: r.year as number, seq: r.seq as number,
    kind: r.kind as string, template: r.template as string, sender: r.sender as string, issueDate: r.issue_date as string,
    inputJson: (r.input_json as string | null) ?? null, inputSha256: r.input_sha256 as string, pdfSha256: r.pdf_sha256 as string, pdfSize: r.pdf_size as number,
    verifyCode: r.verify_code as string, verifyUrl: r.verify_url as string, debtorMasked: r.debtor_masked as string, totalFen: r.total_fen as number,
    requester: r.requester as string, idempotencyKey: (r.idempotency_key as string | null) ?? null, createdAt: r.created_at as string,
    orgId: r.org_id as string, clientOrgId: r.client_org_id as string, contractNo: (r.contract_no as string | null) ?? null,
    status: r.status as LetterRecord['status'], voidedOn: (r.voided_on as string | null) ?? null, voidReason: (r.void_reason as string | null) ?? null,
    sealSha256: (r.seal_sha256 as string | null) ?? null, requestId: (r.request_id as string | null) ?? null, purgedAt: (r.purged_at as string | null) ?? null,
    engine: r.engine as number,
    signature: r.signed_at ? {
      unsignedSha256: r.unsigned_sha256 as string, subject: r.signer_subject as string, issuer: r.signer_issuer as string,
      notBefore: r.signer_not_before as string, notAfter: r.signer_not_after as string, signedAt: r.signed_at as string,
    } : null,
  };
}

const INSERT = `INSERT INTO letters (id, number, series, year, seq, kind, template, sender, issue_date, input_json, input_sha256, pdf_sha256, pdf_size,
  verify_code, verify_url, debtor_masked, total_fen, requester, idempotency_key, created_at, org_id, client_org_id, contract_no, status, voided_on,
  void_reason, seal_sha256, request_id, purged_at, engine, unsigned_sha256, signer_subject, signer_issuer, signer_not_before, signer_not_after, signed_at)
  VALUES (@id, @number, @series, @year, @seq, @kind, @template, @sender, @issueDate, @inputJson, @inputSha256, @pdfSha256, @pdfSize,
  @verifyCode, @verifyUrl, @debtorMasked, @totalFen, @requester, @idempotencyKey, @createdAt, @orgId, @clientOrgId, @contractNo, @status, @voidedOn,
  @voidReason, @sealSha256, @requestId, @purgedAt, @engine, @unsignedSha256, @signerSubject, @signerIssuer, @signerNotBefore, @signerNotAfter, @signedAt)`;

/** The record as INSERT's named parameters: the signature flattened into its columns. */
function toRow(r: LetterRecord): Row {
  const { signature: s, ...rest } = r;
  return { ...rest, unsignedSha256: s?.unsignedSha256 ?? null, signerSubject: s?.subject ?? null, signerIssuer: s?.issuer ?? null, signerNotBefore: s?.notBefore ?? null, signerNotAfter: s?.notAfter ?? null, signedAt: s?.signedAt ?? null };
}

export class SqliteLetterStore implements LetterStore {
  readonly db: Database.Database;
  private lock: Promise<void> = Promise.resolve();

  /** `busyTimeoutMs`: how long to wait, off the event loop, for another process's lock. */
  constructor(file: string, private busyTimeoutMs = 5_000) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL'); // an issued letter is a legal act: durable on commit
    // Never wait inside SQLite (that blocks the event loop): busy.ts waits between turns instead.
    // Opening and migrating happen once at start, where a short synchronous wait is acceptable.
    this.db.pragma('busy_timeout = 2000');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    this.db.pragma('busy_timeout = 0');
  }

  /** A read or write that may meet another process's lock: retried without blocking. */
  private wait<T>(fn: () => T): Promise<T> {
    return retryWhileBusy(fn, this.busyTimeoutMs);
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set((this.db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
    MIGRATIONS.forEach((sql, i) => {
      const version = i + 1;
      if (done.has(version)) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
      }).immediate();
    });
  }

  get schemaVersion(): number {
    return (this.db.prepare('SELECT MAX(version) v FROM schema_migrations').get() as { v: number }).v;
  }

  async issueTransaction<T>(fn: (tx: IssueTx) => Promise<T>): Promise<T> {
    // better-sqlite3 is synchronous and one connection holds one transaction: issuing is
    // serialised in this process by a promise chain, and across processes by BEGIN IMMEDIATE.
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise((r) => (release = r));
    await previous;
    try {
      await this.wait(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const tx: IssueTx = {
          nextSeq: async (series, year, registerNext = 1) => {
            const max = (await this.wait(() => this.db.prepare('SELECT COALESCE(MAX(seq), 0) m FROM letters WHERE series = ? AND year = ?').get(series, year) as { m: number })).m;
            return Math.max(max + 1, registerNext);
          },
          insert: async (r) => { await this.wait(() => this.db.prepare(INSERT).run(toRow(r))); },
          findByIdempotencyKey: (orgId, key) => this.findByIdempotencyKey(orgId, key),
        };
        const result = await fn(tx);
        await this.wait(() => this.db.exec('COMMIT'));
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      release();
    }
  }

  async findById(id: string) {
    const r = await this.wait(() => this.db.prepare('SELECT * FROM letters WHERE id = ?').get(id) as Row | undefined);
    return r ? toRecord(r) : null;
  }
  async findByIdempotencyKey(orgId: string, key: string) {
    const r = await this.wait(() => this.db.prepare('SELECT * FROM letters WHERE org_id = ? AND idempotency_key = ?').get(orgId, key) as Row | undefined);
    return r ? toRecord(r) : null;
  }
  async forContract(clientOrgId: string, contractNo: string) {
    return (await this.wait(() => this.db.prepare("SELECT * FROM letters WHERE client_org_id = ? AND contract_no = ? AND status = 'issued' ORDER BY issue_date, created_at").all(clientOrgId, contractNo) as Row[])).map(toRecord);
  }
  async list(f: LetterFilter) {
    const where = ['(org_id = @orgId OR client_org_id = @orgId)'];
    if (f.contractNo) where.push('contract_no = @contractNo');
    if (f.status) where.push('status = @status');
    if (f.from) where.push('issue_date >= @from');
    if (f.to) where.push('issue_date <= @to');
    if (f.after) where.push('(created_at, id) > (@afterAt, @afterId)');
    const sql = `SELECT * FROM letters WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT @limit`;
    const params = { orgId: f.orgId, contractNo: f.contractNo, status: f.status, from: f.from, to: f.to, afterAt: f.after?.createdAt, afterId: f.after?.id, limit: f.limit };
    return (await this.wait(() => this.db.prepare(sql).all(params) as Row[])).map(toRecord);
  }
  async purgeBefore(date: string, at: string) {
    return this.wait(() => this.db.transaction(() => {
      const ids = this.db.prepare('SELECT id FROM letters WHERE issue_date < ? AND input_json IS NOT NULL').pluck().all(date) as string[];
      this.db.prepare('UPDATE letters SET input_json = NULL, purged_at = ? WHERE issue_date < ? AND input_json IS NOT NULL').run(at, date);
      return ids;
    }).immediate());
  }
  async findByNumber(number: string) {
    return (await this.wait(() => this.db.prepare('SELECT * FROM letters WHERE number = ?').all(number) as Row[])).map(toRecord);
  }
  async findByPdfSha256(sha: string) {
    const r = await this.wait(() => this.db.prepare('SELECT * FROM letters WHERE pdf_sha256 = ?').get(sha) as Row | undefined);
    return r ? toRecord(r) : null;
  }
  async *all() {
    const ids = await this.wait(() => this.db.prepare('SELECT id FROM letters ORDER BY created_at, id').pluck().all() as string[]);
    for (const id of ids) {
      const r = await this.findById(id);
      if (r) yield r;
    }
  }
  async close() {
    this.db.close();
  }
}
