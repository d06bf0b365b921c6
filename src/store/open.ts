/**
 * Opens the registry's database — a SQLite file (the embedded default, PDFs and other blobs in
 * files beside it) or a postgres:// URL (shared by any number of instances, blobs in a table) —
 * and every part's store over it. Only store/ knows which; the parts see their interfaces.
 * PostgreSQL is migrated and checked on first use: await `ready()` to learn at start that it is
 * reachable.
 */
import { dirname, join, resolve } from 'node:path';
import { DbBlobStore, FileBlobStore } from './blobs.js';
import { type Db, isPostgresUrl } from './db.js';
import { PdfFiles } from './files.js';
import { PgDb } from './postgres/db.js';
import { SqlAuditStore } from './sql/audit.js';
import { SqlEventStore } from './sql/events.js';
import { SqlLetterStore } from './sql/letters.js';
import { SqlOrgStore } from './sql/orgs.js';
import { SqlPlanCodeStore } from './sql/plan-codes.js';
import { SqlPlanStore } from './sql/plans.js';
import { SqlRequestStore } from './sql/requests.js';
import { SqlResponseStore } from './sql/responses.js';
import { SqlSealStore } from './sql/seals.js';
import { SqliteDb } from './sqlite/db.js';

export interface StoreOptions {
  /** Connections per instance to PostgreSQL (default 10). */
  poolSize?: number;
  /** How long to wait for another process's lock (SQLite) or a connection (PostgreSQL). */
  busyTimeoutMs?: number;
}

export interface Stores {
  /** Where the registry lives: the SQLite file or the PostgreSQL URL. */
  location: string;
  db: Db;
  letters: SqlLetterStore;
  blobs: FileBlobStore | DbBlobStore;
  orgs: SqlOrgStore;
  audit: SqlAuditStore;
  seals: SqlSealStore;
  events: SqlEventStore;
  plans: SqlPlanStore;
  planCodes: SqlPlanCodeStore;
  responses: SqlResponseStore;
  requests: SqlRequestStore;
  /** Migrations applied and the database answering (PostgreSQL: the first call migrates). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function openStores(location: string, options: StoreOptions = {}): Stores {
  let db: Db;
  let blobs: FileBlobStore | DbBlobStore;
  if (isPostgresUrl(location)) {
    db = new PgDb({ url: location, poolSize: options.poolSize, connectTimeoutMs: options.busyTimeoutMs });
    blobs = new DbBlobStore(db);
  } else {
    db = new SqliteDb(location, options.busyTimeoutMs);
    blobs = new FileBlobStore(
      new PdfFiles(location === ':memory:' ? resolve('data', 'letters') : join(dirname(location), 'letters')),
    );
  }
  return {
    location,
    db,
    letters: new SqlLetterStore(db),
    blobs,
    orgs: new SqlOrgStore(db),
    audit: new SqlAuditStore(db),
    seals: new SqlSealStore(db),
    events: new SqlEventStore(db),
    plans: new SqlPlanStore(db),
    planCodes: new SqlPlanCodeStore(db),
    responses: new SqlResponseStore(db),
    requests: new SqlRequestStore(db),
    ready: async () => {
      await db.ready();
      await db.ping();
    },
    close: () => db.close(),
  };
}
