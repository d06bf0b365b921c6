// npm run bench:import — a client's spreadsheet of N rows (default 1,000) through the partner
// workspace over real HTTP: upload, every row validated, composed, guarded, policy-checked and
// stored as a letter request, then the result page of all N rows rendered. Baselines in the
// same run: reading the file alone, and the same N letters through summarize() (validate +
// compose + guard) with no workflow, registry or web. Prints a table; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../dist/app/config.js';
import { openRegistry } from '../../dist/app/library.js';
import { startService } from '../../dist/http/service.js';
import { COLUMNS, readSheet, sheetToRows, writeXlsx } from '../../dist/imports/index.js';
import { summarize } from '../../dist/pipeline/index.js';
import { addDays, todayInShanghai } from '../../dist/pipeline/schema/dates.js';
import { benchWorld, PASSWORD } from './world.mjs';

const N = Number(process.env.BENCH_N ?? 1000);
const today = todayInShanghai();
const dir = mkdtempSync(join(tmpdir(), 'hanjian-bench-import-'));

const reg = openRegistry({ db: join(dir, 'hanjian.db') });
const { client, firm, eng } = await benchWorld(reg, today);
await reg.close();

const rows = Array.from({ length: N }, (_, i) => {
  const v = {
    债务人姓名: '张三',
    身份证号: '110105199003071239',
    手机号: '13800138000',
    合同编号: `BT2025-${String(i + 1).padStart(6, '0')}`,
    产品: '白条',
    合同日期: addDays(today, -400),
    到期日: addDays(today, -60),
    本金: `${12000 + i}.00`,
    利息: '360.00',
    近12个月逾期次数: '2',
    催告函日期: addDays(today, -20),
    催告函还款期限: addDays(today, -13),
    催告函已送达: '是',
  };
  return COLUMNS.map((c) => v[c.header] ?? '');
});
const xlsx = writeXlsx({ name: '清单', header: COLUMNS.map((c) => c.header), rows });

const time = async (fn) => {
  const s = performance.now();
  const r = await fn();
  return [performance.now() - s, r];
};

// Baseline 1: reading the file into letter inputs.
const base = {
  kind: 'lawyer-letter',
  creditor: {
    name: client.name,
    creditCode: client.creditCode,
    address: client.address,
    phone: client.phone,
    paymentChannels: [{ type: 'online', description: '某某APP—我的—立即还款' }],
  },
  demand: { days: 7 },
  delivery: 'ems',
  account: { contractType: 'loan' },
};
const [readMs, inputs] = await time(() => sheetToRows(readSheet(xlsx), base).map((r) => r.letter));
// Baseline 2: the same letters validated, composed and guarded, nothing else.
const full = (l) => ({
  ...l,
  issueDate: today,
  lawFirm: {
    name: firm.name,
    licenseNo: firm.licenseNo,
    address: firm.address,
    phone: firm.phone,
    letterPrefix: firm.letterPrefix,
  },
  lawyers: [{ name: '李四', licenseNo: '11101201910123456' }],
  engagement: { date: eng.signedOn },
});
const [summarizeMs] = await time(() => inputs.forEach((l) => summarize(full(l), { today })));

// The workspace over HTTP.
process.env.HANJIAN_DATA_KEY ??= '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const server = await startService(
  parseConfig({ host: '127.0.0.1', port: 0, db: join(dir, 'hanjian.db'), workers: 1, logRequests: false }),
  () => {},
);
await server.ready;
const url = server.url;
const cookies = {};
const remember = (r) => {
  for (const c of r.headers.getSetCookie()) {
    const [kv] = c.split(';');
    const [k, v] = kv.split('=');
    cookies[k] = v;
  }
};
const cookie = () =>
  Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
const get = async (path) => {
  const r = await fetch(url + path, { headers: { cookie: cookie() }, redirect: 'manual' });
  remember(r);
  return r;
};
const csrfOf = (html) => /name="_csrf" value="([^"]+)"/.exec(html)[1];
let r = await get('/app/signin');
r = await fetch(`${url}/app/signin`, {
  method: 'POST',
  headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ _csrf: csrfOf(await r.text()), login: 'zhaoliu', password: PASSWORD }),
  redirect: 'manual',
});
remember(r);
const csrf = csrfOf(await (await get('/app/import')).text());
const form = new FormData();
Object.entries({
  _csrf: csrf,
  engagement: eng.id,
  online: '某某APP—我的—立即还款',
  demandDays: '7',
  delivery: 'ems',
  contractType: 'loan',
}).forEach(([k, v]) => form.append(k, v));
form.append('file', new Blob([xlsx]), 'bench.xlsx');
const [uploadMs, up] = await time(() =>
  fetch(`${url}/app/import`, { method: 'POST', headers: { cookie: cookie() }, body: form, redirect: 'manual' }),
);
const location = up.headers.get('location');
const [pageMs, page] = await time(async () => (await get(location)).text());
const accepted = (page.match(/class="accepted"/g) ?? []).length;
await server.close();
rmSync(dir, { recursive: true, force: true });

const s = (ms) => (ms / 1000).toFixed(2);
console.table([
  {
    step: `read ${N} rows from XLSX (${(xlsx.length / 1024).toFixed(0)} KB) — baseline`,
    seconds: s(readMs),
    'ms per row': (readMs / N).toFixed(2),
  },
  {
    step: `validate + compose + guard ${N} letters (summarize) — baseline`,
    seconds: s(summarizeMs),
    'ms per row': (summarizeMs / N).toFixed(2),
  },
  {
    step: `POST /app/import: read, validate, compose, guard, policy, store ${N} requests`,
    seconds: s(uploadMs),
    'ms per row': (uploadMs / N).toFixed(2),
  },
  {
    step: `GET the result page (${accepted} accepted rows, ${(page.length / 1024).toFixed(0)} KB)`,
    seconds: s(pageMs),
    'ms per row': (pageMs / N).toFixed(2),
  },
  {
    step: 'import validated and shown (upload + page)',
    seconds: s(uploadMs + pageMs),
    'ms per row': ((uploadMs + pageMs) / N).toFixed(2),
  },
]);
if (accepted !== N) console.log(`note: ${N - accepted} rows were not accepted (see the page)`);
