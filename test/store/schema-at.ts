/**
 * A registry at an earlier schema, built from the released migrations themselves, with rows
 * written as the code of that time wrote them: what a migration test opens with today's code.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';

export type Statement = [sql: string, params: unknown[]];
const AT = '2026-03-02T08:00:00.000Z';

/** A SQLite file at migration `version`, holding `rows`. */
export function sqliteAt(file: string, version: number, rows: Statement[]): void {
  const raw = new Database(file);
  try {
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    MIGRATIONS.slice(0, version).forEach((sql, i) => {
      raw.exec(sql);
      raw.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(i + 1, AT);
    });
    for (const [sql, params] of rows) raw.prepare(sql).run(...params);
  } finally {
    raw.close();
  }
}

/** A PostgreSQL database at migration `version`, holding `rows` (`?` placeholders, as in SQLite). */
export async function postgresAt(url: string, version: number, rows: Statement[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const [i, sql] of PG_MIGRATIONS.slice(0, version).entries()) {
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [i + 1, AT]);
    }
    for (const [sql, params] of rows) {
      let n = 0;
      await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      );
    }
  } finally {
    await client.end();
  }
}
