/**
 * The PostgreSQL database (pg): a connection pool shared by the stores; the schema migrated at
 * first use under an advisory lock (instances starting together migrate once); transactions
 * on one pooled connection, found by the queries made inside them (AsyncLocalStorage). An
 * unreachable or restarting server is REGISTRY_UNAVAILABLE (503, retry) — never a 500 — and
 * the pool reconnects by itself once the server is back.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { HanjianError } from '../../shared/errors.js';
import type { Db, Param, Row } from '../db.js';
import { registryBusy } from '../sqlite/busy.js';
import { PG_MIGRATIONS } from './migrations.js';

/** Any constant: the advisory lock key that serialises migrations across instances. */
const MIGRATION_LOCK = 0x68616e6a; // "hanj"

export interface PgDbOptions {
  url: string;
  /** Connections per instance (HANJIAN_DATABASE_POOL). */
  poolSize?: number;
  /** How long a query waits for a free connection (REGISTRY_BUSY after) or for the server to accept one (REGISTRY_UNAVAILABLE after). */
  connectTimeoutMs?: number;
}

/** BIGINT (counts, sizes, amounts in fen) as a JS number: every value here is far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const translated = new Map<string, string>();
/** `?` placeholders → $1, $2, … (outside quoted literals). */
export function numberPlaceholders(sql: string): string {
  let out = translated.get(sql);
  if (out !== undefined) return out;
  let n = 0;
  let quoted = false;
  out = '';
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  translated.set(sql, out);
  return out;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
/** The server is down, restarting, unreachable or out of connections (not a bad query). */
export function isConnectionError(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? '');
  const message = String((e as { message?: unknown })?.message ?? '');
  return (
    CONNECTION_CODES.has(code) ||
    code.startsWith('08') ||
    /Connection terminated|timeout exceeded when trying to connect|connection error|Client was closed|not queryable/i.test(
      message,
    )
  );
}

export function registryUnavailable(cause: unknown): HanjianError {
  return new HanjianError({
    code: 'REGISTRY_UNAVAILABLE',
    category: 'internal',
    cause,
    zh: '登记簿数据库暂时无法连接，请稍后重试',
    en: 'the registry database cannot be reached; retry shortly',
  });
}

export class PgDb implements Db {
  readonly dialect = 'postgres';
  readonly pool: pg.Pool;
  private tx = new AsyncLocalStorage<pg.PoolClient>();
  private migrated: Promise<void> | null = null;
  private isMigrated = false;
  private trips = 0;
  /** When a statement last succeeded: recent success is proof enough that the server answers (readiness). */
  private lastOk = 0;
  private pinging: Promise<void> | null = null;

  constructor(readonly options: PgDbOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      // A transaction left open by a stuck instance must not hold a series' number lock for ever.
      options: '-c idle_in_transaction_session_timeout=120000',
    });
    // An idle connection that dies (server restart) is dropped from the pool; the next query connects again.
    this.pool.on('error', () => {});
  }

  get roundTrips(): number {
    return this.trips;
  }
  poolStats() {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  ready(): Promise<void> {
    if (this.isMigrated) return Promise.resolve();
    this.migrated ??= this.migrate().then(
      () => {
        this.isMigrated = true;
      },
      (e) => {
        this.migrated = null;
        throw e;
      },
    );
    return this.migrated;
  }

  private async migrate(): Promise<void> {
    const client = await this.connect();
    let broken = false;
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
      );
      const done = new Set(
        (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
      );
      for (const [i, sql] of PG_MIGRATIONS.entries()) {
        if (done.has(i + 1)) continue;
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
            i + 1,
            new Date().toISOString(),
          ]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK').catch(() => {});
          throw e;
        }
      }
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    } catch (e) {
      broken = isConnectionError(e);
      throw broken ? registryUnavailable(e) : e;
    } finally {
      client.release(broken);
    }
  }

  get schemaVersion(): Promise<number> {
    return this.get<{ v: number }>('SELECT MAX(version) v FROM schema_migrations').then((r) => r?.v ?? 0);
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (e) {
      throw this.connectError(e);
    }
  }

  /** Every connection busy (e.g. issues waiting on a hot series) is "busy, retry"; the server not answering is "unavailable". */
  private connectError(e: unknown): HanjianError {
    this.lastOk = 0; // a failure outweighs any earlier success
    const saturated =
      this.pool.totalCount >= (this.pool.options.max ?? 10) &&
      /timeout exceeded when trying to connect/i.test(String((e as Error)?.message));
    return saturated ? registryBusy(e) : registryUnavailable(e);
  }

  private async query<T>(sql: string, params: Param[]): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
    await this.ready();
    const text = numberPlaceholders(sql);
    const values = params.map((p) => (p === undefined ? null : p));
    this.trips++;
    try {
      const client = this.tx.getStore();
      const result = await (client
        ? client.query<T & pg.QueryResultRow>(text, values)
        : this.pool.query<T & pg.QueryResultRow>(text, values));
      this.lastOk = Date.now();
      return result;
    } catch (e) {
      throw isConnectionError(e) ? this.connectError(e) : e;
    }
  }

  async all<T = Row>(sql: string, params: Param[] = []): Promise<T[]> {
    return (await this.query<T>(sql, params)).rows;
  }
  async get<T = Row>(sql: string, params: Param[] = []): Promise<T | undefined> {
    return (await this.query<T>(sql, params)).rows[0];
  }
  async run(sql: string, params: Param[] = []): Promise<{ changes: number }> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx.getStore()) return fn();
    await this.ready();
    const client = await this.connect();
    let broken = false;
    try {
      this.trips++;
      await client.query('BEGIN');
      const result = await this.tx.run(client, fn);
      this.trips++;
      await client.query('COMMIT');
      return result;
    } catch (e) {
      broken = isConnectionError(e) || (e instanceof HanjianError && e.code === 'REGISTRY_UNAVAILABLE');
      if (!broken)
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
      throw isConnectionError(e) ? this.connectError(e) : e;
    } finally {
      client.release(broken);
    }
  }

  async lock(name: string): Promise<void> {
    if (!this.tx.getStore()) throw new Error(`lock(${name}) outside a transaction`);
    await this.run('SELECT pg_advisory_xact_lock(hashtext(?))', [name]);
  }

  /** Cheap enough for a public /readyz: a statement that succeeded in the last second answers it; otherwise one SELECT 1 at a time, shared. */
  async ping(): Promise<void> {
    if (Date.now() - this.lastOk < 1_000) return;
    this.pinging ??= (async () => {
      try {
        await this.ready();
        await this.query('SELECT 1', []);
      } finally {
        this.pinging = null;
      }
    })();
    return this.pinging;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
