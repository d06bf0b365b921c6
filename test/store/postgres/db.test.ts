import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../../src/store/db.js';
import { numberPlaceholders, PgDb } from '../../../src/store/postgres/db.js';
import { PG_MIGRATIONS } from '../../../src/store/postgres/migrations.js';
import { freshDatabase } from './fresh.js';

describe('PostgreSQL database', () => {
  it('numbers placeholders outside quoted literals', () => {
    expect(numberPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?' AND c IN (?, ?)")).toBe(
      "SELECT * FROM t WHERE a = $1 AND b = '?' AND c IN ($2, $3)",
    );
  });

  it('migrates once when instances start together (advisory lock), and joins nested transactions', async () => {
    const url = await freshDatabase();
    const dbs = [0, 1, 2].map(() => new PgDb({ url, poolSize: 2 }));
    try {
      await Promise.all(dbs.map((d) => d.ready()));
      const versions = await dbs[0]!.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((v) => v.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
      // A nested transaction joins the outer one: both writes roll back together.
      const db = dbs[1]!;
      await expect(
        db.transaction(async () => {
          await db.run(
            "INSERT INTO orgs (id, kind, name, credit_code, created_at) VALUES ('o1', 'creditor', 'A', 'X', 'now')",
          );
          await db.transaction(async () => {
            await db.run(
              "INSERT INTO orgs (id, kind, name, credit_code, created_at) VALUES ('o2', 'creditor', 'B', 'Y', 'now')",
            );
          });
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(await db.get("SELECT COUNT(*) n FROM orgs WHERE id IN ('o1', 'o2')")).toEqual({ n: 0 });
      // A unique violation is recognised as such (idempotency and conflicts rely on it).
      const dup = await db
        .run("INSERT INTO orgs (id, kind, name, created_at) VALUES ('default', 'creditor', 'Z', 'now')")
        .catch((e) => e);
      expect(isUniqueViolation(dup)).toBe(true);
    } finally {
      await Promise.all(dbs.map((d) => d.close()));
    }
  });

  it('answers REGISTRY_BUSY (not "unavailable") when every pooled connection is taken, and readiness stays up', async () => {
    const db = new PgDb({ url: await freshDatabase(), poolSize: 2, connectTimeoutMs: 300 });
    try {
      await db.ready();
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const holders = [0, 1].map(() =>
        db.transaction(async () => {
          await db.get('SELECT 1');
          await held;
        }),
      );
      await new Promise((r) => setImmediate(r));
      await expect(db.get('SELECT 1')).rejects.toMatchObject({ code: 'REGISTRY_BUSY' });
      release();
      await Promise.all(holders);
      await db.ping(); // the server answers: ready
      expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      await db.close();
    }
  });

  it('answers REGISTRY_UNAVAILABLE, not a crash, when the server cannot be reached', async () => {
    const db = new PgDb({ url: 'postgres://nobody:x@127.0.0.1:1/none', connectTimeoutMs: 500 });
    try {
      await expect(db.ping()).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
      await expect(db.get('SELECT 1')).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    } finally {
      await db.close();
    }
  });
});
