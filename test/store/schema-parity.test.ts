/**
 * The two schemas say the same thing: every SQLite table and column exists in PostgreSQL, and
 * `registry migrate` copies every table. A feature that appends a SQLite migration without its
 * PostgreSQL twin (src/store/postgres/migrations.ts) or without a COPIED_TABLES entry
 * (src/store/copy.ts) fails here, naming what is missing.
 */
import { describe, expect, it } from 'vitest';
import { COPIED_TABLES } from '../../src/store/copy.js';
import { PgDb } from '../../src/store/postgres/db.js';
import { SqliteDb } from '../../src/store/sqlite/db.js';
import { freshDatabase } from './postgres/fresh.js';

/** Only PostgreSQL needs these: the number lock rows and the blobs SQLite keeps as files. */
const PG_ONLY = new Set(['series_counters', 'blobs']);
/**
 * Tables `registry migrate` leaves behind, on purpose: sign-in sessions (people sign in again
 * on the new database), which drafts a reviewer opened (the audit trail keeps that), and
 * batches (the workspace's tasks among them) and uploads waiting for their column mapping in flight (finish or abandon them before migrating: their rows hold encrypted inputs
 * only until settled, and their letters are copied with the letters table), and the registry's
 * own facts (each registry encrypts its own data-key canary and keys its own audit chain).
 */
const NOT_COPIED = new Set([
  'web_sessions',
  'review_opens',
  'batches',
  'batch_rows',
  'registry_meta',
  'import_uploads',
]);

describe('schema parity', () => {
  it('PostgreSQL has every SQLite table and column, and registry migrate copies every table', async () => {
    const lite = new SqliteDb(':memory:');
    const pg = new PgDb({ url: await freshDatabase() });
    try {
      await pg.ready();
      const liteTables = (
        await lite.all<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_migrations', 'sqlite_sequence') ORDER BY name",
        )
      ).map((r) => r.name);
      const pgColumns = await pg.all<{ t: string; c: string }>(
        "SELECT table_name t, column_name c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'",
      );
      const pgTables = [...new Set(pgColumns.map((r) => r.t))].filter((t) => !PG_ONLY.has(t)).sort();
      expect(pgTables).toEqual(liteTables);
      for (const table of liteTables) {
        const liteCols = (await lite.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`))
          .map((r) => r.name)
          .sort();
        expect({
          table,
          columns: pgColumns
            .filter((r) => r.t === table)
            .map((r) => r.c)
            .sort(),
        }).toEqual({ table, columns: liteCols });
      }
      expect(COPIED_TABLES.map((t) => t.table).sort()).toEqual(liteTables.filter((t) => !NOT_COPIED.has(t)));
    } finally {
      await lite.close();
      await pg.close();
    }
  });
});
