// npm run bench:http — the HTTP service under load, with autocannon in the same run:
//  1. previews at 16 concurrent clients (throughput, p50/p99, errors);
//  2. 200 concurrent clients (expect only fast 503s beyond capacity, no timeouts), while
//     /healthz is probed every 50 ms;
//  3. the baseline: the same previews at 16 clients against a server whose pool has one
//     worker and an unbounded queue (what a first version without the design would do).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const body = readFileSync(join(ROOT, 'templates', 'lawyer-letter', '1', 'example.json'), 'utf8');
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 15);

async function startServer(env) {
  const child = spawn(process.execPath, [CLI, 'serve'], { env: { ...process.env, HANJIAN_PORT: '0', HANJIAN_DB: join(mkdtempSync(join(tmpdir(), 'hj-')), 'h.db'), HANJIAN_RATE_PER_MINUTE: '100000000', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { out += d; const m = /"msg":"listening","url":"([^"]+)"/.exec(out); if (m) resolve(m[1]); });
    setTimeout(() => reject(new Error('server did not start')), 20000);
  });
  child.stdout.resume();
  child.stdout.removeAllListeners('data');
  for (let i = 0; i < 200 && (await fetch(`${url}/readyz`).catch(() => ({ status: 0 }))).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  return { url, stop: () => new Promise((r) => { child.on('close', r); child.kill('SIGTERM'); }) };
}

function load(url, connections, duration) {
  return autocannon({ url: `${url}/v1/previews`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration, timeout: 30 });
}

/** /healthz is probed from a separate process, so the load generator's own busy event loop does not count against the server. */
function probeHealth(url, seconds) {
  const script = `
    await fetch(${JSON.stringify(url)} + '/healthz'); // connect first: a probe measures the answer, not the TCP handshake
    const times = [];
    const end = Date.now() + ${seconds * 1000};
    while (Date.now() < end) {
      const t = performance.now();
      await fetch(${JSON.stringify(url)} + '/healthz');
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
    times.sort((a, b) => a - b);
    process.stdout.write(JSON.stringify({ n: times.length, p50: times[Math.floor(times.length / 2)], p99: times[Math.floor(times.length * 0.99)], max: times[times.length - 1] }));`;
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', () => resolve(JSON.parse(out)));
  });
}

const fmt = (r) => ({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  ok: r['2xx'],
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
});

const main = await startServer({ HANJIAN_WORKERS: '2' });
await load(main.url, 4, 3); // warm-up
const [r16raw, health16] = await Promise.all([load(main.url, 16, SECONDS), probeHealth(main.url, SECONDS - 1)]);
const r16 = fmt(r16raw);
const [r200raw, health] = await Promise.all([load(main.url, 200, 10), probeHealth(main.url, 9)]);
const r200 = fmt(r200raw);
await main.stop();

const naive = await startServer({ HANJIAN_WORKERS: '1', HANJIAN_MAX_QUEUE: '10000', HANJIAN_RENDER_TIMEOUT_MS: '600000' });
await load(naive.url, 4, 3);
const n16 = fmt(await load(naive.url, 16, SECONDS));
await naive.stop();

console.log(`\nhanjian HTTP benchmark — node ${process.version}, lawyer's letter previews (POST /v1/previews), autocannon\n`);
console.log('| run | clients | letters/s | p50 ms | p99 ms | 2xx | non-2xx | errors | timeouts |');
console.log('|---|---|---|---|---|---|---|---|---|');
console.log(`| hanjian (2 workers, queue 32) | 16 | ${r16.rps.toFixed(1)} | ${r16.p50} | ${r16.p99} | ${r16.ok} | ${r16.non2xx} | ${r16.errors} | ${r16.timeouts} |`);
console.log(`| hanjian (2 workers, queue 32) | 200 | ${r200.rps.toFixed(1)} | ${r200.p50} | ${r200.p99} | ${r200.ok} | ${r200.non2xx} (503) | ${r200.errors} | ${r200.timeouts} |`);
console.log(`| baseline: 1 worker, unbounded queue, no admission control | 16 | ${n16.rps.toFixed(1)} | ${n16.p50} | ${n16.p99} | ${n16.ok} | ${n16.non2xx} | ${n16.errors} | ${n16.timeouts} |`);
console.log(`\n/healthz during the 16-client run (pool saturated, queue non-empty): ${health16.n} probes, p50 ${health16.p50.toFixed(1)} ms, p99 ${health16.p99.toFixed(1)} ms, max ${health16.max.toFixed(1)} ms`);
console.log(`/healthz during the 200-client run: ${health.n} probes, p50 ${health.p50.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms, max ${health.max.toFixed(1)} ms`);
console.log(`status codes at 200 clients: ${JSON.stringify(r200raw.statusCodeStats)}`);
console.log('\nTargets (issue 5): 16 clients ≥ 40 letters/s, p99 ≤ 800 ms, no errors; 200 clients only fast 503s, no timeouts; /healthz < 50 ms.');
