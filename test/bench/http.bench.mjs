// npm run bench:http — the HTTP service under load, with autocannon in the same run:
//  1. previews at 16 concurrent clients (throughput, p50/p99, errors);
//  2. 200 concurrent clients (expect only fast 503s beyond capacity, no timeouts), while
//     /healthz is probed every 50 ms;
//  3. the baseline: the same previews at 16 clients against a server whose pool has one
//     worker and an unbounded queue (what a first version without the design would do);
//  4. hostile: the 16 normal clients again, alongside 16 clients sending a mix of deep, huge
//     and malformed bodies to every POST route — no crash, no 5xx, normal letters/s within
//     20 % of run 1, /healthz p99 < 100 ms. The hostile clients come from their own address,
//     so the refusal budget (src/http/refusals.ts) applies to them and not to the normal ones.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const body = readFileSync(join(ROOT, 'templates', 'lawyer-letter', '1', 'example.json'), 'utf8');
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 15);
const HOSTILE_SECONDS = Number(process.env.BENCH_HTTP_HOSTILE_SECONDS ?? 20);

/** Runs an ES module in a child process and parses the JSON it prints. */
function runInChild(script) {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
  });
}

async function startServer(env) {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: {
      ...process.env,
      HANJIAN_PORT: '0',
      HANJIAN_DB: join(mkdtempSync(join(tmpdir(), 'hj-')), 'h.db'),
      HANJIAN_RATE_PER_MINUTE: '100000000',
      ...env,
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
    setTimeout(() => reject(new Error('server did not start')), 20000);
  });
  child.stdout.resume();
  child.stdout.removeAllListeners('data');
  for (let i = 0; i < 200 && (await fetch(`${url}/readyz`).catch(() => ({ status: 0 }))).status !== 200; i++)
    await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: () =>
      new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.on('close', r);
        child.kill('SIGTERM');
      }),
  };
}

function load(url, connections, duration) {
  return autocannon({
    url: `${url}/v1/previews`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration,
    timeout: 30,
  });
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

/** The hostile mix: each connection cycles through these requests. */
function hostileRequests() {
  const letter = JSON.parse(body);
  const deep = (n, open, close) =>
    JSON.stringify(letter).replace(/}$/, `,"history":${open.repeat(n)}1${close.repeat(n)}}`);
  const junk = Object.fromEntries(Array.from({ length: 1_800 }, (_, i) => [`field${i}`, 'x'.repeat(12)])); // ~50 KB, just under the 64 KB limit: parsed, then refused as too wide
  const huge = JSON.stringify({ ...letter, note: 'x'.repeat(300_000) }); // over the limit: refused from Content-Length
  const utf8 = Buffer.concat([
    Buffer.from(body.slice(0, 200)),
    Buffer.from([0xff, 0xfe]),
    Buffer.from(body.slice(200)),
  ]);
  const json = { 'content-type': 'application/json' };
  const reqs = [
    ['/v1/previews', deep(4_500, '[', ']')],
    ['/v1/validate', deep(5_000, '{"a":', '}')],
    ['/v1/letters', deep(5_000, '[', ']')],
    ['/v1/recommendations', deep(3_000, '[', ']')],
    ['/v1/validate', JSON.stringify({ ...letter, ...junk })],
    ['/v1/previews', JSON.stringify({ ...letter, ...junk })],
    ['/v1/validate', huge],
    ['/v1/previews', '{"kind": "lawyer-letter", "debtor": '],
    ['/v1/validate', utf8],
    ['/v1/letters', JSON.stringify([letter])],
    ['/v1/letters', JSON.stringify({ ...letter, kind: undefined })],
    ['/v1/previews', body.replace('"kind"', '"__proto__":{"polluted":1},"kind"')],
    ['/v1/validate', JSON.stringify({ ...letter, issueDate: '0000-01-01' })],
  ];
  return reqs.map(([path, b]) => ({
    method: 'POST',
    path,
    headers: { ...json, 'idempotency-key': 'hostile' },
    body: b,
  }));
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

// Let the queue the 200-client flood left behind drain, so the next run starts clean.
await new Promise((r) => setTimeout(r, 3000));
// 4. Hostile: normal clients and hostile clients together, each from its own process, so that
// neither load generator's event loop throttles the other.
const requestsFile = join(mkdtempSync(join(tmpdir(), 'hj-hostile-')), 'requests.json');
writeFileSync(
  requestsFile,
  JSON.stringify(hostileRequests().map((r) => ({ ...r, body: Buffer.from(r.body).toString('base64') }))),
);
// The hostile clients come from another address (127.0.0.2; Linux answers all of 127.0.0.0/8)
// than the normal ones, as they would in life; autocannon cannot bind one, so a small closed
// loop over node:http does the same job: each connection sends its next request as soon as the
// last was answered.
const hostileLoad = (url, connections, seconds) =>
  runInChild(`
  import { Agent, request } from 'node:http';
  import { readFileSync } from 'node:fs';
  const requests = JSON.parse(readFileSync(${JSON.stringify(requestsFile)}, 'utf8')).map((r) => ({ ...r, body: Buffer.from(r.body, 'base64') }));
  const agent = new Agent({ keepAlive: true, maxSockets: ${connections}, localAddress: '127.0.0.2' });
  const base = new URL(${JSON.stringify(url)});
  const end = Date.now() + ${seconds * 1000};
  const latencies = [];
  const codes = {};
  let errors = 0;
  const send = (r) => new Promise((resolve) => {
    const t = performance.now();
    const req = request({ host: base.hostname, port: base.port, path: r.path, method: r.method, headers: { ...r.headers, 'content-length': r.body.length }, agent, localAddress: '127.0.0.2' }, (res) => {
      res.resume();
      res.on('end', () => { latencies.push(performance.now() - t); codes[res.statusCode] = (codes[res.statusCode] ?? 0) + 1; resolve(); });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(r.body);
  });
  await Promise.all(Array.from({ length: ${connections} }, async (_, c) => {
    for (let i = c; Date.now() < end; i++) await send(requests[i % requests.length]);
  }));
  latencies.sort((a, b) => a - b);
  const pct = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
  process.stdout.write(JSON.stringify({ requests: { average: latencies.length / ${seconds} }, latency: { p50: pct(0.5), p99: pct(0.99) }, statusCodeStats: Object.fromEntries(Object.entries(codes).map(([k, v]) => [k, { count: v }])), errors, timeouts: 0 }));
  agent.destroy();`);
const [normalRaw, hostileRaw, healthHostile] = await Promise.all([
  load(main.url, 16, HOSTILE_SECONDS),
  hostileLoad(main.url, 16, HOSTILE_SECONDS),
  probeHealth(main.url, HOSTILE_SECONDS - 1),
]);
const normal = fmt(normalRaw);
const crashed = main.exited();
await main.stop();

// The same hostile run against a server without the refusal budget: what it buys.
const open = await startServer({ HANJIAN_WORKERS: '2', HANJIAN_REFUSALS_PER_MINUTE: '100000000' });
await load(open.url, 4, 3);
const [openNormalRaw, openHostileRaw] = await Promise.all([
  load(open.url, 16, HOSTILE_SECONDS),
  hostileLoad(open.url, 16, HOSTILE_SECONDS),
]);
const openNormal = fmt(openNormalRaw);
await open.stop();

const naive = await startServer({
  HANJIAN_WORKERS: '1',
  HANJIAN_MAX_QUEUE: '10000',
  HANJIAN_RENDER_TIMEOUT_MS: '600000',
});
await load(naive.url, 4, 3);
const n16 = fmt(await load(naive.url, 16, SECONDS));
await naive.stop();

console.log(
  `\nhanjian HTTP benchmark — node ${process.version}, lawyer's letter previews (POST /v1/previews), autocannon\n`,
);
console.log('| run | clients | letters/s | p50 ms | p99 ms | 2xx | non-2xx | errors | timeouts |');
console.log('|---|---|---|---|---|---|---|---|---|');
console.log(
  `| hanjian (2 workers, queue 32) | 16 | ${r16.rps.toFixed(1)} | ${r16.p50} | ${r16.p99} | ${r16.ok} | ${r16.non2xx} | ${r16.errors} | ${r16.timeouts} |`,
);
console.log(
  `| hanjian (2 workers, queue 32) | 200 | ${r200.rps.toFixed(1)} | ${r200.p50} | ${r200.p99} | ${r200.ok} | ${r200.non2xx} (503) | ${r200.errors} | ${r200.timeouts} |`,
);
console.log(
  `| baseline: 1 worker, unbounded queue, no admission control | 16 | ${n16.rps.toFixed(1)} | ${n16.p50} | ${n16.p99} | ${n16.ok} | ${n16.non2xx} | ${n16.errors} | ${n16.timeouts} |`,
);
console.log(
  `\n/healthz during the 16-client run (pool saturated, queue non-empty): ${health16.n} probes, p50 ${health16.p50.toFixed(1)} ms, p99 ${health16.p99.toFixed(1)} ms, max ${health16.max.toFixed(1)} ms`,
);
console.log(
  `/healthz during the 200-client run: ${health.n} probes, p50 ${health.p50.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms, max ${health.max.toFixed(1)} ms`,
);
console.log(`status codes at 200 clients: ${JSON.stringify(r200raw.statusCodeStats)}`);
const codes = (stats) =>
  Object.entries(stats)
    .map(([k, v]) => `${k}: ${v.count}`)
    .join(', ');
const fivexx = (stats) =>
  Object.entries(stats)
    .filter(([k]) => Number(k) >= 500 && Number(k) !== 503)
    .reduce((n, [, v]) => n + v.count, 0);
console.log(
  `\nHostile run (${HOSTILE_SECONDS} s): 16 normal clients (previews) + 16 hostile clients (deep, huge, malformed, non-UTF-8, prototype keys, wrong shapes; all four POST routes)`,
);
console.log('| clients | requests/s | p50 ms | p99 ms | status codes | 5xx (not 503) | errors | timeouts |');
console.log('|---|---|---|---|---|---|---|---|');
console.log(
  `| 16 normal | ${normal.rps.toFixed(1)} letters/s (${((normal.rps / r16.rps - 1) * 100).toFixed(1)} % vs clean run) | ${normal.p50} | ${normal.p99} | ${codes(normalRaw.statusCodeStats)} | ${fivexx(normalRaw.statusCodeStats)} | ${normal.errors} | ${normal.timeouts} |`,
);
console.log(
  `| 16 hostile | ${hostileRaw.requests.average.toFixed(1)} | ${hostileRaw.latency.p50} | ${hostileRaw.latency.p99} | ${codes(hostileRaw.statusCodeStats)} | ${fivexx(hostileRaw.statusCodeStats)} | ${hostileRaw.errors} | ${hostileRaw.timeouts} |`,
);
console.log(
  `| 16 normal, no refusal budget | ${openNormal.rps.toFixed(1)} letters/s (${((openNormal.rps / r16.rps - 1) * 100).toFixed(1)} % vs clean run) | ${openNormal.p50} | ${openNormal.p99} | ${codes(openNormalRaw.statusCodeStats)} | ${fivexx(openNormalRaw.statusCodeStats)} | ${openNormal.errors} | ${openNormal.timeouts} |`,
);
console.log(
  `| 16 hostile, no refusal budget | ${openHostileRaw.requests.average.toFixed(1)} | ${openHostileRaw.latency.p50} | ${openHostileRaw.latency.p99} | ${codes(openHostileRaw.statusCodeStats)} | ${fivexx(openHostileRaw.statusCodeStats)} | ${openHostileRaw.errors} | ${openHostileRaw.timeouts} |`,
);
console.log(
  `/healthz during the hostile run: ${healthHostile.n} probes, p50 ${healthHostile.p50.toFixed(1)} ms, p99 ${healthHostile.p99.toFixed(1)} ms, max ${healthHostile.max.toFixed(1)} ms; server crashed: ${crashed ? 'YES' : 'no'}`,
);
console.log(
  '\nTargets (issue 5): 16 clients ≥ 40 letters/s, p99 ≤ 800 ms, no errors; 200 clients only fast 503s, no timeouts; /healthz < 50 ms. Issue 10 (hostile): 0 crashes, 0 5xx, normal letters/s within 20 % of the clean 16-client run, /healthz p99 < 100 ms.',
);
