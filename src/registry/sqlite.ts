/** The SQLite letter store: WAL mode, versioned migrations at open, one issuing transaction at a time. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IssueTx, LetterRecord, LetterStore } from './store.js';

const MIGRATIONS: string[] = [
  // 1: letters, numbered per series and year, gap-free because numbers are only taken in a committed transaction.
  `CREATE TABLE letters (
     id TEXT PRIMARY KEY,
     number TEXT NOT NULL,
     series TEXT NOT NULL,
     year INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     kind TEXT NOT NULL,
     template TEXT NOT NULL,
     sender TEXT NOT NULL,
     issue_date TEXT NOT NULL,
     input_json TEXT NOT NULL,
     input_sha256 TEXT NOT NULL,
     pdf_sha256 TEXT NOT NULL,
     pdf_size INTEGER NOT NULL,
     verify_code TEXT NOT NULL,
     verify_url TEXT NOT NULL,
     debtor_masked TEXT NOT NULL,
     total_fen INTEGER NOT NULL,
     requester TEXT NOT NULL,
     idempotency_key TEXT UNIQUE,
     created_at TEXT NOT NULL,
     UNIQUE (series, year, seq)
   );
   CREATE INDEX letters_number ON letters (number);
   CREATE INDEX letters_pdf ON letters (pdf_sha256);`,
  // 2: the layout engine that set each letter (layout/engine.ts); letters issued before this
  // column existed were all set by engine 1 (greedy breaking).
  `ALTER TABLE letters ADD COLUMN engine INTEGER NOT NULL DEFAULT 1;`,
];

type Row = Record<string, unknown>;

function toRecord(r: Row): LetterRecord {
  return {
    id: r.id as string, number: r.number as string, series: r.series as string, year: r.year as number, seq: r.seq as number,
    kind: r.kind as string, template: r.template as string, sender: r.sender as string, issueDate: r.issue_date as string,
    inputJson: r.input_json as string, inputSha256: r.input_sha256 as string, pdfSha256: r.pdf_sha256 as string, pdfSize: r.pdf_size as number,
    verifyCode: r.verify_code as string, verifyUrl: r.verify_url as string, debtorMasked: r.debtor_masked as string, totalFen: r.total_fen as number,
    requester: r.requester as string, idempotencyKey: (r.idempotency_key as string | null) ?? null, createdAt: r.created_at as string,
    engine: r.engine as number,
  };
}

export class SqliteLetterStore implements LetterStore {
  private db: Database.Database;
  private lock: Promise<void> = Promise.resolve();

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL'); // an issued letter is a legal act: durable on commit
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
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
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const tx: IssueTx = {
          nextSeq: async (series, year) => ((this.db.prepare('SELECT COALESCE(MAX(seq), 0) m FROM letters WHERE series = ? AND year = ?').get(series, year) as { m: number }).m + 1),
          insert: async (r) => {
            this.db.prepare(`INSERT INTO letters (id, number, series, year, seq, kind, template, sender, issue_date, input_json, input_sha256, pdf_sha256, pdf_size,
              verify_code, verify_url, debtor_masked, total_fen, requester, idempotency_key, created_at, engine)
              VALUES (@id, @number, @series, @year, @seq, @kind, @template, @sender, @issueDate, @inputJson, @inputSha256, @pdfSha256, @pdfSize,
              @verifyCode, @verifyUrl, @debtorMasked, @totalFen, @requester, @idempotencyKey, @createdAt, @engine)`).run(r);
          },
          findByIdempotencyKey: (key) => this.findByIdempotencyKey(key),
        };
        const result = await fn(tx);
        this.db.exec('COMMIT');
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
    const r = this.db.prepare('SELECT * FROM letters WHERE id = ?').get(id) as Row | undefined;
    return r ? toRecord(r) : null;
  }
  async findByIdempotencyKey(key: string) {
    const r = this.db.prepare('SELECT * FROM letters WHERE idempotency_key = ?').get(key) as Row | undefined;
    return r ? toRecord(r) : null;
  }
  async findByNumber(number: string) {
    return (this.db.prepare('SELECT * FROM letters WHERE number = ?').all(number) as Row[]).map(toRecord);
  }
  async findByPdfSha256(sha: string) {
    const r = this.db.prepare('SELECT * FROM letters WHERE pdf_sha256 = ?').get(sha) as Row | undefined;
    return r ? toRecord(r) : null;
  }
  async *all() {
    for (const r of this.db.prepare('SELECT * FROM letters ORDER BY created_at, id').iterate() as Iterable<Row>) yield toRecord(r);
  }
  async close() {
    this.db.close();
  }
}
