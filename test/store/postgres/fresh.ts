/** A fresh database on the run's PostgreSQL (server.ts) for one test file: CREATE DATABASE, its URL. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export async function freshDatabase(): Promise<string> {
  const admin = inject('pgUrl');
  const name = `hj_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A data key for PostgreSQL registries in tests (every instance of a test shares it). */
export const TEST_DATA_KEY = '6a616e6a69616e2d746573742d646174612d6b65792d33322d62797465732121';
