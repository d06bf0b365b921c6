// npm run bench:smoke — every bench that a change can silently break, run once at a tiny size:
// they are run by hand and nothing else runs them, so three had stopped working unnoticed (an
// API that took a new argument, letters no longer valid at issue). This checks that each still
// runs to its end (exit status 0); it measures nothing and its figures mean nothing. CI runs it.
// Left out: render (warm Chromium: minutes), http and hostile (fixed durations), scale (three
// servers on an embedded PostgreSQL) and cold (many processes) — run them by hand.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BENCHES = [
  ['approve.bench.mjs', { BENCH_N: '5' }],
  ['import.bench.mjs', { BENCH_N: '20' }],
  ['batch.bench.mjs', { BENCH_BATCH_N: '12', BENCH_BATCH_NAIVE_N: '1' }],
  ['batches.bench.mjs', { BENCH_BATCHES_N: '30', BENCH_BATCHES_BASELINE_N: '5', BENCH_BATCHES_INGEST_N: '1000' }],
  ['guard.bench.mjs', { BENCH_N: '20' }],
  ['plan-cost.bench.mjs', { BENCH_N: '20' }],
  ['sign.bench.mjs', { BENCH_N: '3' }],
  ['templates.bench.mjs', { BENCH_N: '3' }],
  ['trust.bench.mjs', { BENCH_N: '10' }],
  ['typeset.bench.mjs', { BENCH_TYPESET_N: '20' }],
  ['typst.bench.mjs', { BENCH_TYPST_N: '3', BENCH_TYPST_COLD: '1' }],
];

let failed = 0;
for (const [file, env] of BENCHES) {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--expose-gc', join(HERE, file)], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  const ok = r.status === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${file} (${seconds} s)`);
  if (!ok) console.log(`${r.error ?? ''}${(r.stderr || r.stdout || '').slice(-3000)}`);
}
if (failed) {
  console.log(`${failed} of ${BENCHES.length} benches failed`);
  process.exit(1);
}
