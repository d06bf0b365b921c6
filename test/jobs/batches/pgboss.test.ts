/**
 * Issue 15: batches on PostgreSQL. With HANJIAN_DATABASE_URL the batch and its rows live in
 * PostgreSQL and the rows are pg-boss jobs that every instance's workers take: two instances
 * work one batch, posted to one and followed on the other; the registry is on the same
 * PostgreSQL (in-process servers here; test/jobs/batches/instances.test.ts kills a separate one).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIdOf, ROW_QUEUE } from '../../../src/store/batches/pgboss-queue.js';
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

describe('batches on PostgreSQL with pg-boss', () => {
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

    // One pg-boss job per row, each completed once; enqueuing the rows again makes no new job.
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const jobs = async () =>
        (
          await c.query<{ state: string; n: number }>(
            'SELECT state, COUNT(*)::int n FROM pgboss.job WHERE name = $1 GROUP BY state',
            [ROW_QUEUE],
          )
        ).rows;
      expect(await jobs()).toEqual([{ state: 'completed', n }]);
      await c.query(`INSERT INTO pgboss.job (id, name, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        jobIdOf(id, 1),
        ROW_QUEUE,
        { batchId: id, row: 1 },
      ]);
      expect(await jobs()).toEqual([{ state: 'completed', n }]);
    } finally {
      await c.end();
    }
  }, 300_000);
});
