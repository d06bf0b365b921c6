// The 100,000-row upload of bench:batches: POST /v1/batches with BENCH_BATCHES_INGEST_N rows
// (100,000: the row limit) streamed from a generator, at the service's default limits
// (body size, requestTimeoutMs), on SQLite and on PostgreSQL. Measured: the time until the
// 202 (the body read, every row encrypted and stored, the rows enqueued), the body's size, and
// the server's peak RSS against its RSS before the upload in the same run. Only the ingest
// is measured: the server is stopped once the batch is accepted, before its rows are worked.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Peak and current resident memory of a process, MB (Linux /proc). */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

/** The rows as a stream of encoded lines: the client never holds the body either. */
function body(rows, n) {
  const enc = new TextEncoder();
  let i = 0;
  let bytes = 0;
  const stream = new ReadableStream({
    pull(c) {
      if (i >= n) return c.close();
      let chunk = '';
      for (let k = 0; k < 200 && i < n; k++, i++) {
        const x = rows[i % rows.length];
        x.account.contractNo = `INGEST-${String(i + 1).padStart(6, '0')}`;
        chunk += `${JSON.stringify(x)}\n`;
      }
      const b = enc.encode(chunk);
      bytes += b.length;
      c.enqueue(b);
    },
  });
  return { stream, bytes: () => bytes };
}

export async function ingest({ cli, env, label, rows, n }) {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      HANJIAN_RATE_PER_MINUTE: '100000000',
      HANJIAN_API_KEYS: '',
      HANJIAN_BATCH_CONCURRENCY: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    const url = await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    child.stdout.resume();
    for (let i = 0; i < 300 && (await fetch(`${url}/readyz`).catch(() => ({ status: 0 }))).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 100));
    const before = memoryOf(child.pid);
    const b = body(rows, n);
    const t = performance.now();
    const r = await fetch(`${url}/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: b.stream,
      duplex: 'half',
    });
    const answer = await r.json();
    const seconds = (performance.now() - t) / 1000;
    if (r.status !== 202 || answer.total !== n) throw new Error(`${label}: ${r.status} ${JSON.stringify(answer)}`);
    const after = memoryOf(child.pid);
    return { label, rows: n, mb: b.bytes() / 1e6, seconds, rssBefore: before.now, peak: after.peak };
  } finally {
    await new Promise((r) => {
      if (child.exitCode !== null) return r();
      child.once('exit', r);
      child.kill('SIGKILL');
    });
  }
}

export const ingestRow = (x) => ({
  what: `${x.label}: ${x.rows} rows, ${x.mb.toFixed(0)} MB accepted in`,
  seconds: x.seconds.toFixed(1),
  'rows/s': (x.rows / x.seconds).toFixed(0),
  'RSS before → peak MB': `${x.rssBefore.toFixed(0)} → ${x.peak.toFixed(0)}`,
});
