/**
 * The batch store's PostgreSQL client (HANJIAN_DATABASE_URL): a small pool, `?` placeholders
 * rewritten to `$n`, and the batch tables created at start under an advisory lock so that
 * several instances starting together create them once.
 */
import pg from 'pg';
import { BATCH_TABLES } from '../batch-tables.js';
import type { SqlClient, SqlValue } from './sql-client.js';

/** The batch statements never hold a literal `?`, so every one is a placeholder. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** An arbitrary, fixed advisory-lock key for creating the batch tables. */
const SCHEMA_LOCK = 7_215_015;

export class PgClient implements SqlClient {
  private constructor(private pool: pg.Pool) {}

  static async open(connectionString: string, max = 4): Promise<PgClient> {
    const pool = new pg.Pool({ connectionString, max });
    // An idle client's connection error must not crash the process: the next query fails and is retried by its caller.
    pool.on('error', () => {});
    const c = await pool.connect();
    try {
      await c.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
      await c.query(BATCH_TABLES);
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => {});
      c.release();
    }
    return new PgClient(pool);
  }

  async all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return (await this.pool.query(numbered(sql), params)).rows as T[];
  }
  async get<T>(sql: string, params: SqlValue[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }
  async run(sql: string, params: SqlValue[] = []): Promise<number> {
    return (await this.pool.query(numbered(sql), params)).rowCount ?? 0;
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}
