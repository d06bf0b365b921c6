/**
 * Issue 15: batches on PostgreSQL. With HANJIAN_DATABASE_URL the batch and its rows live in
 * PostgreSQL and the rows are the jobs that every instance's workers claim: two instances
 * work one batch, posted to one and followed on the other; the registry is on the same
 * PostgreSQL (in-process servers here; test/jobs/batches/instances.test.ts kills a separate one).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../http/server-helper.js';
import { freshDatabase } from '../../store/postgres/fresh.js';
import { letterRows, ndjson, readArchive, untilFinished } from './fixtures.js';

let db: { url: string };
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  db = { url: await freshDatabase() }; // on the run's one PostgreSQL (vitest global setup)
  a = await startTestServer({ production: false, workers: 1, databaseUrl: db.url });
  b = await startTestServer({ production: false, workers: 1, databaseUrl: db.url });
}, 180_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
}, 60_000);

describe('batches on PostgreSQL, shared by instances', () => {
  it('a batch posted to one instance is worked by the queue and followed on the other: every row once, numbers consecutive', async () => {
    const n = 24;
    const r = await a.call('POST', '/v1/batches', { raw: ndjson(letterRows(n, 'PG')), type: 'application/x-ndjson' });
    expect(r.status, await r.clone().text()).toBe(202);
    const { id } = (await r.json()) as { id: string };
    const p = await untilFinished(() => b.call('GET', `/v1/batches/${id}`), undefined, 240);
    expect(p).toMatchObject({ status: 'finished', total: n, done: n, failed: 0 });

    const { files, index } = readArchive(
      new Uint8Array(await (await b.call('GET', `/v1/batches/${id}/archive`)).arrayBuffer()),
    );
    expect(Object.keys(files).filter((f) => f.endsWith('.pdf'))).toHaveLength(n);
    expect(index.map((x) => Number(/第(\d+)号/.exec(x.number)![1])).sort((x, y) => x - y)).toEqual(
      Array.from({ length: n }, (_, i) => i + 1),
    );

    // Each row taken once: one attempt each, none left claimed (both instances claimed from the same rows).
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const rows = (
        await c.query<{ status: string; attempts: number; n: number }>(
          'SELECT status, attempts, COUNT(*)::int n FROM batch_rows WHERE batch_id = $1 GROUP BY status, attempts',
          [id],
        )
      ).rows;
      expect(rows).toEqual([{ status: 'done', attempts: 1, n }]);
    } finally {
      await c.end();
    }
  }, 300_000);
});
