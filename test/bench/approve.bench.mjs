// npm run bench:approve — work the workspace does in the background, over real HTTP: a lawyer
// approves an import batch of N lawyer's letters (default 100) and a creditor imports N rows of
// its own reminders. Measured: how long the POST takes to answer, and how long until the
// background task has issued every letter. Baseline in the same run: 5 letters approved one at
// a time (each rendered and issued inside its POST, as a batch approval used to do for all N).
// Prints a table; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseConfig } from '../../dist/app/config.js';
import { openRegistry } from '../../dist/app/library.js';
import { startService } from '../../dist/http/service.js';
import { COLUMNS, writeXlsx } from '../../dist/imports/index.js';
import { addDays, todayInShanghai } from '../../dist/pipeline/schema/dates.js';
import { benchWorld, PASSWORD } from './world.mjs';

const N = Number(process.env.BENCH_N ?? 100);
const today = todayInShanghai();
const dir = mkdtempSync(join(tmpdir(), 'hanjian-bench-approve-'));

const reg = openRegistry({ db: join(dir, 'hanjian.db') });
const { client, eng } = await benchWorld(reg, today);
await reg.orgs.addUser({ orgId: client.id, login: 'kehu', name: '孙经理', role: 'admin', password: PASSWORD }, 'bench');
await reg.close();

const sheet = (prefix, n, days, demanded) =>
  writeXlsx({
    name: '清单',
    header: COLUMNS.map((c) => c.header),
    rows: Array.from({ length: n }, (_, i) => {
      const v = {
        债务人姓名: '张三',
        身份证号: '110105199003071239',
        手机号: '13800138000',
        合同编号: `${prefix}-${String(i + 1).padStart(6, '0')}`,
        产品: '白条',
        合同日期: addDays(today, -400),
        到期日: addDays(today, -days),
        本金: `${12000 + i}.00`,
        利息: '360.00',
        近12个月逾期次数: '0',
        ...(demanded
          ? { 催告函日期: addDays(today, -20), 催告函还款期限: addDays(today, -13), 催告函已送达: '是' }
          : {}),
      };
      return COLUMNS.map((c) => v[c.header] ?? '');
    }),
  });

process.env.HANJIAN_DATA_KEY ??= '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const server = await startService(
  parseConfig({
    host: '127.0.0.1',
    port: 0,
    db: join(dir, 'hanjian.db'),
    workers: 1,
    logRequests: false,
    renderTimeoutMs: 120_000,
  }),
  () => {},
);
await server.ready;
const url = server.url;

function session() {
  const cookies = {};
  const remember = (r) => {
    for (const c of r.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      cookies[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return r;
  };
  const cookie = () =>
    Object.entries(cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  const get = async (path) => remember(await fetch(url + path, { headers: { cookie: cookie() }, redirect: 'manual' }));
  const post = async (path, body) =>
    remember(await fetch(url + path, { method: 'POST', headers: { cookie: cookie() }, body, redirect: 'manual' }));
  const csrf = async (path) => /name="_csrf" value="([^"]+)"/.exec(await (await get(path)).text())[1];
  const signIn = async (login) =>
    post('/app/signin', new URLSearchParams({ _csrf: await csrf('/app/signin'), login, password: PASSWORD }));
  const upload = async (xlsx, fields) => {
    const form = new FormData();
    Object.entries({
      _csrf: await csrf('/app/import'),
      online: '某某APP—我的—立即还款',
      demandDays: '7',
      delivery: 'ems',
      contractType: 'loan',
      ...fields,
    }).forEach(([k, v]) => form.append(k, v));
    form.append('file', new Blob([xlsx]), 'bench.xlsx');
    return (await post('/app/import', form)).headers.get('location');
  };
  return { get, post, csrf, signIn, upload };
}
const time = async (fn) => {
  const s = performance.now();
  const r = await fn();
  return [performance.now() - s, r];
};
const until = async (get, path, done) => {
  for (;;) {
    const html = await (await get(path)).text();
    if (done(html)) return html;
    await sleep(200);
  }
};

const assistant = session();
await assistant.signIn('zhaoliu');
const lawyerWeb = session();
await lawyerWeb.signIn('lisi');
const requestsOf = async (batchId) => {
  const q = await (await lawyerWeb.get('/app/review')).text();
  return [...q.slice(q.indexOf(`id="batch-${batchId}"`)).matchAll(/href="\/app\/review\/([\w-]{36})"/g)].map(
    (m) => m[1],
  );
};

// Baseline: 5 letters approved one at a time, each issued inside its own POST.
const single = (await assistant.upload(sheet('ONE', 5, 60, true), { engagement: eng.id })).split('/').pop();
const singles = [];
for (const id of (await requestsOf(single)).slice(0, 5)) {
  await lawyerWeb.get(`/app/review/${id}`);
  const [ms] = await time(async () =>
    lawyerWeb.post(`/app/review/${id}/approve`, new URLSearchParams({ _csrf: await lawyerWeb.csrf('/app/review') })),
  );
  singles.push(ms);
}
const perLetter = singles.reduce((a, b) => a + b, 0) / singles.length;

// The batch approval: the POST answers with the progress page; the task issues the N letters behind it.
const batch = (await assistant.upload(sheet('BAT', N, 60, true), { engagement: eng.id })).split('/').pop();
// A draft counts as opened when the review page's viewer fetches it to show it.
await lawyerWeb.get(`/app/review/${(await requestsOf(batch))[0]}/draft.pdf`);
// The batch form's count and total as the page states them, and the password asked again.
const queue = await (await lawyerWeb.get('/app/review')).text();
const form = queue.slice(queue.indexOf(`action="/app/review/batch/${batch}/approve"`));
const value = (name) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)[1];
const approval = new URLSearchParams({
  _csrf: value('_csrf'),
  count: value('count'),
  totalFen: value('totalFen'),
  password: PASSWORD,
});
const [postMs, answer] = await time(() => lawyerWeb.post(`/app/review/batch/${batch}/approve`, approval));
const taskPath = answer.headers.get('location');
const [doneMs, html] = await time(() => until(lawyerWeb.get, taskPath, (h) => h.includes('data-status="finished"')));
const issued = /id="done">(\d+)</.exec(html)[1];

// A creditor's own import: N reminders checked in the POST, issued in the background.
const creditor = session();
await creditor.signIn('kehu');
const [ownPostMs, resultPath] = await time(() =>
  creditor.upload(sheet('OWN', N, 3, false), { engagement: 'own', kind: 'auto' }),
);
const [ownDoneMs, result] = await time(() => until(creditor.get, resultPath, (h) => !h.includes('出具中')));
const ownIssued = (result.match(/class="mono nowrap letter-no"/g) ?? []).length;

await server.close();
rmSync(dir, { recursive: true, force: true });
const s = (ms) => (ms / 1000).toFixed(2);
console.table([
  {
    step: 'baseline: one approval, rendered and issued inside its POST (mean of 5)',
    seconds: s(perLetter),
    'ms per letter': perLetter.toFixed(0),
  },
  {
    step: `the same inline for ${N} letters (what a batch POST used to hold), estimated`,
    seconds: s(perLetter * N),
    'ms per letter': perLetter.toFixed(0),
  },
  { step: `batch approval of ${N}: the POST answers`, seconds: s(postMs), 'ms per letter': (postMs / N).toFixed(1) },
  {
    step: `batch approval of ${N}: all issued in the background (${issued})`,
    seconds: s(postMs + doneMs),
    'ms per letter': ((postMs + doneMs) / N).toFixed(0),
  },
  {
    step: `creditor's own import of ${N} reminders: the POST answers (checked, task recorded)`,
    seconds: s(ownPostMs),
    'ms per letter': (ownPostMs / N).toFixed(1),
  },
  {
    step: `creditor's own import: all issued in the background (${ownIssued})`,
    seconds: s(ownPostMs + ownDoneMs),
    'ms per letter': ((ownPostMs + ownDoneMs) / N).toFixed(0),
  },
]);
