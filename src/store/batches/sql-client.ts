/**
 * The little SQL the batch store needs, over either engine: single statements with `?`
 * placeholders (many rows go in as one multi-row INSERT). The SQLite client runs on its
 * own connection; the PostgreSQL client on a pool (pg-client.ts).
 */
import Database from 'better-sqlite3';
import { retryWhileBusy } from '../sqlite/busy.js';

export type SqlValue = string | number | null;

export interface SqlClient {
  all<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  /** Returns the number of rows changed: conditional updates are how a worker claims a row. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  close(): Promise<void>;
}

/**
 * A second connection to the registry's SQLite file. Not the registry's own: its issuing
 * transaction stays open across the render, and any statement on that connection meanwhile
 * would commit or roll back with the letter. Waits for the registry's lock between event-loop
 * turns (busy.ts), never inside SQLite.
 */
export class SqliteClient implements SqlClient {
  private db: Database.Database;

  constructor(
    file: string,
    private busyTimeoutMs = 5_000,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 0');
  }

  private wait<T>(fn: () => T): Promise<T> {
    return retryWhileBusy(fn, this.busyTimeoutMs);
  }

  all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.wait(() => this.db.prepare(sql).all(...params) as T[]);
  }
  get<T>(sql: string, params: SqlValue[] = []): Promise<T | undefined> {
    return this.wait(() => this.db.prepare(sql).get(...params) as T | undefined);
  }
  run(sql: string, params: SqlValue[] = []): Promise<number> {
    return this.wait(() => this.db.prepare(sql).run(...params).changes);
  }
  async close(): Promise<void> {
    this.db.close();
  }
}
