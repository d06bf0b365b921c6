/**
 * Issue 15, the batch across instances: a 5,000-row batch on one PostgreSQL — the registry and
 * the batch's rows, which are the jobs, both there — worked by two `hanjian serve` processes, one
 * SIGKILLed half-way. The rows it held come back when their lease runs out (a short one here)
 * and run again on the survivor, which finishes the batch: every row done exactly once, one
 * letter per row, numbers consecutive per series with no gap, and a streamed archive of 5,000
 * PDFs plus its index. Reminders (the cheapest kind to render) over four creditors, so that
 * four series issue in parallel: one series issues one letter at a time.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../../src/pipeline/schema/dates.js';
import { dated, example } from '../../helpers.js';
import { type Instance, startInstance } from '../../http/instance.js';
import { readPdf } from '../../pipeline/pdf/extract.js';
import { freshDatabase } from '../../store/postgres/fresh.js';
import { ndjson, parseIndex, untilFinished, zipDirectory, zipStoredEntry } from './fixtures.js';

/** 5,000 as the issue asks; a smaller multiple of 4 may be set to try the test quickly. */
const ROWS = Number(process.env.HANJIAN_TEST_PG_BATCH_ROWS ?? 5_000);
// Valid unified social credit codes (check character included), one series each.
const CREDITORS = ['91110108MA01BTCH1N', '91110108MA01BTCH2R', '91110108MA01BTCH3W', '91110108MA01BTCH40'].map(
  (creditCode, i) => ({
    name: `北京某某第${'一二三四'[i]}科技有限公司`,
    creditCode,
    letterPrefix: `批${'甲乙丙丁'[i]}提字`,
  }),
);
/** A row's instance dies with it; its rows come back after this lease. */
const LEASE_MS = 8_000;

function rows(): Record<string, unknown>[] {
  const base = dated('reminder', todayInShanghai()); // the service issues letters dated today
  const channels = example('reminder').creditor.paymentChannels as Record<string, string>[];
  return Array.from({ length: ROWS }, (_, i) => {
    const c = CREDITORS[i % CREDITORS.length]!;
    return {
      ...base,
      creditor: {
        ...base.creditor,
        ...c,
        paymentChannels: channels.map((p) => (p.type === 'bank' ? { ...p, accountName: c.name } : p)),
      },
      account: { ...base.account, contractNo: `PGK-${String(i + 1).padStart(6, '0')}` },
    };
  });
}

/** Letters an instance issued, from its /metrics. */
async function issuedBy(i: Instance): Promise<number> {
  const text = await (await fetch(`${i.url}/metrics`)).text();
  return Number(/^hanjian_letters_rendered_total\{kind="reminder",mode="issue"\} (\d+)$/m.exec(text)?.[1] ?? 0);
}

let url: string;
let a: Instance;
let b: Instance;
const dir = mkdtempSync(join(tmpdir(), 'hanjian-pg-batch-'));

beforeAll(async () => {
  url = await freshDatabase();
  const env = {
    HANJIAN_BATCH_LEASE_MS: String(LEASE_MS),
    HANJIAN_BATCH_CONCURRENCY: '4',
    HANJIAN_LOG_REQUESTS: '0',
  };
  [a, b] = await Promise.all([startInstance(url, env), startInstance(url, env)]);
}, 120_000);
afterAll(() => {
  for (const i of [a, b]) if (i && !i.dead) i.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('a 5,000-row batch on two instances sharing PostgreSQL, one SIGKILLed half-way', () => {
  it('finishes on the survivor: every row once, consecutive numbers per series, an archive of 5,000 PDFs and an index', async () => {
    const posted = await fetch(`${a.url}/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: ndjson(rows()),
    });
    expect(posted.status, await posted.clone().text()).toBe(202);
    const { id } = (await posted.json()) as { id: string };
    const t0 = Date.now();
    const phase = (what: string) =>
      console.log(`[pg batch ${ROWS} rows] ${what} after ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    // Both instances work the batch (each has issued letters by then); the one that took the upload is killed half-way.
    const half = await untilFinished(
      () => fetch(`${b.url}/v1/batches/${id}`),
      (p) => p.done >= ROWS / 2,
      1_200,
    );
    const issuedByA = await issuedBy(a);
    a.child.kill('SIGKILL');
    await new Promise((r) => (a.dead ? r(null) : a.child.once('exit', r)));
    expect(half.done).toBeLessThan(ROWS);
    expect(issuedByA).toBeGreaterThan(0);
    phase(`instance A killed at ${half.done} done (it had issued ${issuedByA})`);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const p = await untilFinished(() => fetch(`${b.url}/v1/batches/${id}`), undefined, 1_200);
      expect(p).toMatchObject({ status: 'finished', total: ROWS, done: ROWS, failed: 0, queued: 0 });
      phase('finished on B');
      // The survivor issued the rest; what the two counted adds up to no more than the rows (a retried job found its letter).
      const issuedByB = await issuedBy(b);
      expect(issuedByB).toBeGreaterThan(0);
      expect(issuedByA + issuedByB).toBeLessThanOrEqual(ROWS);

      // Every row done; some were held by the dead instance, came back after the lease and ran again.
      const settled = (
        await db.query<{ status: string; n: number; retried: number }>(
          'SELECT status, COUNT(*)::int n, COUNT(*) FILTER (WHERE attempts > 1)::int retried FROM batch_rows WHERE batch_id = $1 GROUP BY status',
          [id],
        )
      ).rows;
      expect(settled.map((j) => [j.status, j.n])).toEqual([['done', ROWS]]);
      expect(settled[0]!.retried).toBeGreaterThan(0);

      // The registry: exactly one letter per row, under the row's key; per series 1…n, none twice, none skipped.
      const letters = (
        await db.query<{ series: string; n: number; d: number; lo: number; hi: number }>(
          "SELECT series, COUNT(*)::int n, COUNT(DISTINCT seq)::int d, MIN(seq)::int lo, MAX(seq)::int hi FROM letters WHERE idempotency_key LIKE 'batch:' || $1 || ':%' GROUP BY series ORDER BY series",
          [id],
        )
      ).rows;
      expect(letters).toEqual(
        CREDITORS.map((c) => ({
          series: `creditor:${c.creditCode}`,
          n: ROWS / 4,
          d: ROWS / 4,
          lo: 1,
          hi: ROWS / 4,
        })).sort((x, y) => x.series.localeCompare(y.series)),
      );
      const keys = (
        await db.query<{ n: number; d: number }>(
          'SELECT COUNT(*)::int n, COUNT(DISTINCT idempotency_key)::int d FROM letters',
        )
      ).rows[0]!;
      expect(keys).toEqual({ n: ROWS, d: ROWS });
      const done = (
        await db.query<{ n: number; d: number }>(
          "SELECT COUNT(*)::int n, COUNT(DISTINCT letter_id)::int d FROM batch_rows WHERE batch_id = $1 AND status = 'done'",
          [id],
        )
      ).rows[0]!;
      expect(done).toEqual({ n: ROWS, d: ROWS });
    } finally {
      await db.end();
    }

    // The archive, streamed from the survivor to a file and read through its central directory.
    const file = join(dir, 'batch.zip');
    const zip = await fetch(`${b.url}/v1/batches/${id}/archive`);
    expect(zip.status).toBe(200);
    await pipeline(Readable.fromWeb(zip.body as import('node:stream/web').ReadableStream), createWriteStream(file));
    phase('archive streamed');
    const entries = zipDirectory(file);
    const pdfs = entries.filter((e) => e.name.startsWith('letters/') && e.name.endsWith('.pdf'));
    expect(pdfs).toHaveLength(ROWS);
    expect(entries.map((e) => e.name).at(-1)).toBe('index.csv');
    const index = parseIndex(zipStoredEntry(file, entries.at(-1)!));
    expect(index).toHaveLength(ROWS);
    expect(index.every((x) => x.status === 'issued')).toBe(true);
    expect(new Set(index.map((x) => x.number)).size).toBe(ROWS);
    expect(new Set(index.map((x) => x.file))).toEqual(new Set(pdfs.map((e) => e.name)));
    // Real PDFs: a few, across the run (before and after the kill), parsed, carry their row's number and contract.
    for (const row of [1, ROWS / 2, ROWS]) {
      const x = index[row - 1]!;
      const text = (await readPdf(zipStoredEntry(file, pdfs.find((e) => e.name === x.file)!))).lines
        .map((l) => l.text)
        .join('');
      expect(text).toContain(x.number);
      expect(text).toContain(x.contract_no);
    }
  }, 2_400_000); // measured on the shared 2-core machine: ~8 rows/s for both instances at load 20 (over 10 minutes); the bounds allow for such crowding
});
