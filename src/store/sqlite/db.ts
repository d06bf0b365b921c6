/**
 * The SQLite database (better-sqlite3): WAL, durable commits, versioned migrations at open.
 * better-sqlite3 is synchronous and one connection holds one transaction, so transactions are
 * serialised in this process by a promise chain (a transaction may await, e.g. a render, and
 * another must not slip into it) and across processes by BEGIN IMMEDIATE. Every statement
 * fails fast on another process's lock and is retried between event-loop turns (busy.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Db, Param, Row } from '../db.js';
import { MIGRATIONS } from '../migrations.js';
import { retryWhileBusy } from './busy.js';

const toSqlite = (params: Param[]) =>
  params.map((p) => (p === undefined ? null : typeof p === 'boolean' ? (p ? 1 : 0) : p));

export class SqliteDb implements Db {
  readonly dialect = 'sqlite';
  readonly handle: Database.Database;
  private chain: Promise<void> = Promise.resolve();
  private inTx = new AsyncLocalStorage<true>();
  private trips = 0;

  /** `busyTimeoutMs`: how long to wait, off the event loop, for another process's lock. */
  constructor(
    readonly file: string,
    private busyTimeoutMs = 5_000,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.handle = new Database(file);
    this.handle.pragma('journal_mode = WAL');
    this.handle.pragma('synchronous = FULL'); // an issued letter is a legal act: durable on commit
    // Opening and migrating happen once at start, where a short synchronous wait is acceptable.
    this.handle.pragma('busy_timeout = 2000');
    this.handle.pragma('foreign_keys = ON');
    this.migrate();
    this.handle.pragma('busy_timeout = 0');
  }

  get roundTrips(): number {
    return this.trips;
  }
  poolStats(): null {
    return null;
  }

  private migrate(): void {
    this.handle.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const done = new Set(
      (this.handle.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    );
    MIGRATIONS.forEach((sql, i) => {
      const version = i + 1;
      if (done.has(version)) return;
      this.handle
        .transaction(() => {
          this.handle.exec(sql);
          this.handle
            .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
            .run(version, new Date().toISOString());
        })
        .immediate();
    });
  }

  get schemaVersion(): number {
    return (this.handle.prepare('SELECT MAX(version) v FROM schema_migrations').get() as { v: number }).v;
  }

  private wait<T>(fn: () => T): Promise<T> {
    this.trips++;
    return retryWhileBusy(fn, this.busyTimeoutMs);
  }

  all<T = Row>(sql: string, params: Param[] = []): Promise<T[]> {
    return this.wait(() => this.handle.prepare(sql).all(...toSqlite(params)) as T[]);
  }
  get<T = Row>(sql: string, params: Param[] = []): Promise<T | undefined> {
    return this.wait(() => this.handle.prepare(sql).get(...toSqlite(params)) as T | undefined);
  }
  async run(sql: string, params: Param[] = []): Promise<{ changes: number }> {
    const r = await this.wait(() => this.handle.prepare(sql).run(...toSqlite(params)));
    return { changes: r.changes };
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTx.getStore()) return fn();
    const previous = this.chain;
    let release!: () => void;
    this.chain = new Promise((r) => (release = r));
    await previous;
    try {
      await this.wait(() => this.handle.exec('BEGIN IMMEDIATE'));
      try {
        const result = await this.inTx.run(true, fn);
        await this.wait(() => this.handle.exec('COMMIT'));
        return result;
      } catch (e) {
        if (this.handle.inTransaction) this.handle.exec('ROLLBACK');
        throw e;
      }
    } finally {
      release();
    }
  }

  async lock(): Promise<void> {
    /* a write transaction already holds the whole database */
  }
  async ping(): Promise<void> {
    this.handle.prepare('SELECT 1').get();
  }
  async ready(): Promise<void> {
    /* migrated at open */
  }

  async close(): Promise<void> {
    this.handle.close();
  }
}
