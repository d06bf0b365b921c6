/**
 * The one database interface every store uses (letters, organisations, requests, disputes,
 * events, audit), with two implementations: SQLite (store/sqlite/db.ts, the embedded default)
 * and PostgreSQL (store/postgres/db.ts, shared by many instances). SQL is written once, in
 * the portable subset both understand, with `?` placeholders; the PostgreSQL side numbers
 * them ($1, $2, …).
 *
 * Transactions are ambient: inside `transaction(fn)` every query made by `fn` — and by
 * anything it calls, e.g. the audit log appending its row — runs on the transaction's
 * connection (AsyncLocalStorage), and a nested `transaction` joins the outer one. So a store
 * never passes a transaction handle around, and "the change and its audit row commit together"
 * holds on both databases.
 */
export type Row = Record<string, unknown>;
export type Param = string | number | bigint | boolean | Buffer | null | undefined;

export interface Queryable {
  all<T = Row>(sql: string, params?: Param[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: Param[]): Promise<T | undefined>;
  run(sql: string, params?: Param[]): Promise<{ changes: number }>;
}

export interface Db extends Queryable {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction (committed if it resolves, rolled back if it throws); inside another transaction it joins it. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: holds a named lock until it ends, so read-then-write sequences on one
   * chain (the audit trail, a letter's events) do not interleave across instances. SQLite
   * needs none (a write transaction holds the whole database).
   */
  lock(name: string): Promise<void>;
  /** Throws REGISTRY_UNAVAILABLE unless the database answers now (readiness). */
  ping(): Promise<void>;
  /** Applies pending migrations (once; concurrent callers share the work). */
  ready(): Promise<void>;
  /** Database round trips so far (bench:scale counts them per issued letter; /metrics shows them). */
  readonly roundTrips: number;
  /** The connection pool, where there is one (PostgreSQL). */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  close(): Promise<void>;
}

/** A PostgreSQL URL (postgres:// or postgresql://) rather than a SQLite file. */
export function isPostgresUrl(s: string | undefined): s is string {
  return !!s && /^postgres(ql)?:\/\//i.test(s);
}

export { isConstraintViolation, isUniqueViolation } from '../shared/db-errors.js';
