// npm run build && node test/bench/hostile.bench.mjs — issue 32's attacks on the service, measured:
//  1. the reader alone on the main thread: the audit's sheet of N unclosed <row r="1"> for growing N
//     (the old reader was quadratic: 20 s at 100,000), and a good sheet of 5,000 and 20,000 rows;
//  2. over HTTP, in this process: the 100,000-row sheet posted to /v1/batches while /healthz is
//     probed every 20 ms — the answer and its time, the slowest /healthz, and the longest the main
//     thread's event loop was held (perf_hooks.monitorEventLoopDelay);
//  3. slow clients: BENCH_SLOW_SOCKETS (1,100) sockets from 127.0.0.2 that send half a request line and
//     stop, then a new client's /healthz from 127.0.0.1 every 100 ms for BENCH_SLOW_SECONDS (15):
//     answered 200, refused (reset or an error status), or timed out, and how many of the slow sockets
//     the server still holds at the end.
// Prints a table; asserts nothing (the tests assert the answers, this measures them).
import { mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { strToU8, zipSync } from 'fflate';
import { parseConfig } from '../../dist/app/config.js';
import { openRegistry } from '../../dist/app/library.js';
import { startService } from '../../dist/http/service.js';
import { COLUMNS, readSheet, writeXlsx } from '../../dist/imports/index.js';

const LIMITS = {
  maxFileBytes: 16 << 20,
  maxUnzippedBytes: 200 << 20,
  maxRows: 100_000,
  maxColumns: 40,
  maxCellChars: 500,
};
const unclosed = (n) =>
  zipSync(
    {
      'xl/worksheets/sheet1.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${'<row r="1">'.repeat(n)}`,
      ),
    },
    { level: 9 },
  );
const ms = (t) => `${t.toFixed(t < 10 ? 1 : 0)} ms`;
const timed = (fn) => {
  const s = performance.now();
  let answer;
  try {
    fn();
    answer = 'read';
  } catch (e) {
    answer = e.code ?? e.message;
  }
  return [performance.now() - s, answer];
};

console.log('1. the reader on the main thread');
for (const n of [10_000, 20_000, 40_000, 100_000]) {
  const file = unclosed(n);
  const [t, answer] = timed(() => readSheet(file, LIMITS));
  console.log(`   ${String(n).padStart(7)} unclosed rows (${file.length} B zipped): ${ms(t).padStart(9)}  ${answer}`);
}
for (const n of [5_000, 20_000]) {
  const rows = Array.from({ length: n }, (_, i) =>
    COLUMNS.map((c) => (c.header === '合同编号' ? `C-${i}` : c.example)),
  );
  const file = writeXlsx({ name: 'x', header: COLUMNS.map((c) => c.header), rows });
  const [t, answer] = timed(() => readSheet(file, LIMITS));
  console.log(
    `   ${String(n).padStart(7)} good rows (${(file.length / 1024).toFixed(0)} KB zipped): ${ms(t).padStart(9)}  ${answer}`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'hanjian-bench-hostile-'));
process.env.HANJIAN_DATA_KEY ??= '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const reg = openRegistry({ db: join(dir, 'hanjian.db') });
const org = await reg.orgs.addOrg(
  {
    kind: 'creditor',
    name: '北京某某科技有限公司',
    creditCode: '91110108MA01ABCD2H',
    address: '北京市海淀区某某路1号某某大厦8层',
    phone: '400-800-1234',
  },
  'bench',
);
const key = (await reg.orgs.addKey({ orgId: org.id, scopes: ['read', 'issue:reminder'] }, 'bench')).key;
await reg.close();
const server = await startService(
  parseConfig({
    host: '127.0.0.1',
    port: 0,
    db: join(dir, 'hanjian.db'),
    workers: 1,
    logRequests: false,
    production: false,
    ...(process.env.BENCH_SERVER_CONFIG ? JSON.parse(process.env.BENCH_SERVER_CONFIG) : {}),
  }),
  () => {},
);
await server.ready;

console.log('\n2. POST /v1/batches with the 100,000-row sheet, /healthz probed every 20 ms');
{
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let probing = true;
  let slowest = 0;
  let probes = 0;
  const probe = (async () => {
    while (probing) {
      const s = performance.now();
      await fetch(`${server.url}/healthz`).then((r) => r.arrayBuffer());
      slowest = Math.max(slowest, performance.now() - s);
      probes++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  loop.enable();
  const s = performance.now();
  const r = await fetch(
    `${server.url}/v1/batches?kind=reminder&accountNo=0200001234567890123&bank=${encodeURIComponent('某某银行')}`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      body: unclosed(100_000),
    },
  );
  const body = await r.json();
  const took = performance.now() - s;
  loop.disable();
  await new Promise((r) => setTimeout(r, 100));
  probing = false;
  await probe;
  console.log(`   answer: ${r.status} ${body.code} in ${ms(took)} — ${body.detail}`);
  console.log(`   /healthz: ${probes} probes, slowest ${ms(slowest)}`);
  console.log(`   main thread: event loop held at most ${ms(loop.max / 1e6)} while the upload was read`);
}

console.log(`\n3. slow clients: ${process.env.BENCH_SLOW_SOCKETS ?? 1100} sockets that never finish their headers`);
{
  const { port } = new URL(server.url);
  const count = Number(process.env.BENCH_SLOW_SOCKETS ?? 1100);
  const seconds = Number(process.env.BENCH_SLOW_SECONDS ?? 15);
  let open = 0;
  let closedByServer = 0;
  const sockets = [];
  for (let i = 0; i < count; i++) {
    // From 127.0.0.2 (any 127/8 address is the loopback on Linux): another client than the probe's 127.0.0.1.
    const c = connect({ port: Number(port), host: '127.0.0.1', localAddress: '127.0.0.2' });
    c.on('connect', () => {
      open++;
      c.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'); // and nothing more
    });
    c.on('close', () => {
      if (!c.destroyedByUs) closedByServer++;
    });
    c.on('error', () => {});
    c.on('data', () => {});
    sockets.push(c);
  }
  await new Promise((r) => setTimeout(r, 500));
  const tally = { answered: 0, refused: 0, timedOut: 0 };
  let slowest = 0;
  const until = Date.now() + seconds * 1000;
  // Each probe on a connection of its own (agent: false), as a new client would come: a kept-alive
  // connection from before the flood would not show whether the server still accepts new ones.
  const probe = () =>
    new Promise((resolve) => {
      const req = get(`${server.url}/healthz`, { agent: false, timeout: 2000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? 'answered' : 'refused'));
      });
      req.on('timeout', () => {
        req.destroy();
        resolve('timedOut');
      });
      req.on('error', () => resolve('refused'));
    });
  while (Date.now() < until) {
    const s = performance.now();
    const outcome = await probe();
    tally[outcome]++;
    if (outcome === 'answered') slowest = Math.max(slowest, performance.now() - s);
    await new Promise((r) => setTimeout(r, 100));
  }
  const held = sockets.filter((c) => !c.destroyed).length;
  console.log(
    `   ${open} connected; after ${seconds} s the server had closed ${closedByServer} and still held ${held}`,
  );
  console.log(
    `   a new client's /healthz: ${tally.answered} answered (slowest ${ms(slowest)}), ${tally.refused} refused, ${tally.timedOut} timed out`,
  );
  for (const c of sockets) {
    c.destroyedByUs = true;
    c.destroy();
  }
}

await server.close();
