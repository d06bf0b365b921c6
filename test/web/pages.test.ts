/**
 * The workspace over plain HTTP (no browser): sign-in throttling and CSRF, no open redirect,
 * security headers, sign-out ending the session, GBK CSV decoded and said so, hostile files
 * answered with a page naming the problem (never a 500), and spreadsheet text HTML-escaped.
 */

import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { COLUMNS, readSheet } from '../../src/imports/index.js';
import { addDays } from '../../src/pipeline/schema/dates.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { PASSWORD, setUpFirm, today, webClient } from './fixture.js';

let s: TestServer;
const ids: Record<string, string> = {};

const client = () => webClient(() => s.url);

beforeAll(async () => {
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
  });
});
afterAll(async () => {
  await s?.close();
});

const header = COLUMNS.map((c) => c.header).join(',');
const line = (contractNo: string, name = '张三') =>
  [
    name,
    '110105199003071239',
    '13800138000',
    '北京市朝阳区某某路1号',
    contractNo,
    '白条',
    addDays(today, -400),
    addDays(today, -60),
    '',
    '',
    '12000.00',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '2',
    addDays(today, -20),
    addDays(today, -13),
    '是',
  ].join(','); // …, the client's delivered demand

const upload = (c: ReturnType<typeof client>, bytes: Uint8Array, name = 'list.csv') =>
  c.upload(bytes, { engagement: ids.eng! }, name);

/** The sign-in form from another source address on this machine (the whole of 127/8 is loopback). */
async function signInFrom(localAddress: string, login: string, password: string): Promise<{ status: number }> {
  const { request } = await import('node:http');
  const call = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; cookies: string[]; text: string }>((resolve, reject) => {
      const req = request(`${s.url}${path}`, { method, headers, localAddress }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, cookies: res.headers['set-cookie'] ?? [], text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const form = await call('GET', '/app/signin', {});
  const cookie = form.cookies.map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
  return call(
    'POST',
    '/app/signin',
    { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    new URLSearchParams({ _csrf: csrf, login, password }).toString(),
  );
}

describe('signing in', () => {
  it('sends strict security headers and no-store on every page', async () => {
    const r = await fetch(`${s.url}/app/signin`);
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(await r.text()).not.toMatch(/<script>|style=/);
  });

  it('refuses a sign-in without the form token, and never redirects outside the workspace', async () => {
    const c = client();
    const bare = await c.post('/app/signin', new URLSearchParams({ login: 'lisi', password: PASSWORD }));
    expect(bare.status).toBe(403);
    const r = await c.signIn('lisi', PASSWORD, '//evil.example/app');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/app');
    expect(r.headers.getSetCookie().join()).toMatch(/hanjian_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict/);
  });

  it('throttles failed attempts per address and login (429 with Retry-After), never locking the owner out from another address', async () => {
    const c = client();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await c.signIn('admin', 'wrong password')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    // From the attacker's address the right password waits too (no oracle)…
    const r = await c.signIn('admin');
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    // …but the owner coming from another address signs in, and other logins from the first address still may.
    expect((await signInFrom('127.0.0.2', 'admin', PASSWORD)).status).toBe(303);
    expect((await signInFrom('127.0.0.2', 'admin', 'wrong password')).status).toBe(401);
    expect((await c.signIn('zhaoliu')).status).toBe(303);
  });

  it('signing out ends the session on the server: the old cookie no longer works', async () => {
    const c = client();
    await c.signIn('zhaoliu');
    const old = { ...c.jar };
    expect((await c.get('/app/import')).status).toBe(200);
    await c.post('/app/signout', new URLSearchParams({ _csrf: await c.csrf('/app/import') }));
    const replay = await fetch(`${s.url}/app/import`, {
      headers: {
        cookie: Object.entries(old)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toMatch(/^\/app\/signin/);
  });
});

describe('importing', () => {
  const c = client();
  beforeAll(async () => {
    await c.signIn('zhaoliu');
  });

  it('offers the template: an XLSX whose headers are the columns, required ones starred', async () => {
    const r = await c.get('/app/import/template.xlsx');
    expect(r.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const bytes = new Uint8Array(await r.arrayBuffer());
    const sheet = readSheet(bytes);
    expect(sheet.columns.size).toBe(COLUMNS.length);
    // Uploaded unchanged, its sample row passes (a new user's first try must not be a refusal).
    const up = await upload(c, bytes, '模板.xlsx');
    expect(up.status).toBe(303);
    const html = await (await c.get(up.headers.get('location')!)).text();
    expect(html).toContain('<b>1</b><span>已提交审核</span>');
    expect(html).toContain('<b>0</b><span>未通过</span>');
  });

  it('reads a GBK CSV and says it did; escapes what the file says', async () => {
    const csv = [header, line('GB-0001'), line('<b>x</b>', '李<i>四')].join('\r\n');
    const r = await upload(c, iconv.encode(csv, 'gbk'));
    expect(r.status).toBe(303);
    const html = await (await c.get(r.headers.get('location')!)).text();
    expect(html).toContain('已按 GBK/GB18030');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toContain('<i>');
  });

  it.each([
    ['a file without the required columns', Buffer.from('姓名,备注\n张三,x\n'), 422, '缺少必填列'],
    ['an old .xls workbook', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 422, '另存为 .xlsx'],
    ['a corrupt .xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]), 422, '无法读取该 XLSX'],
    ['an upload over the limit', Buffer.alloc(5 * 1024 * 1024 + 100 * 1024, 65), 413, '超过大小限制'],
  ])('answers %s with a page that says so (%i)', async (_what, bytes, status, text) => {
    const r = await upload(c, bytes);
    expect(r.status).toBe(status);
    expect(await r.text()).toContain(text);
  });

  it('refuses an engagement of another organisation, as if it did not exist', async () => {
    const other = client();
    await other.signIn('other');
    const r = await upload(other, Buffer.from([header, line('X-1')].join('\n')));
    expect(r.status).toBe(422);
    expect(await r.text()).toContain('请选择一项委托');
  });

  it('a lawyer must open a draft before deciding a whole batch; a single rejection needs a reason; opening is audited', async () => {
    const up = await upload(c, Buffer.from([header, line('RV-0001'), line('RV-0002')].join('\n')));
    const batchId = up.headers.get('location')!.split('/').pop()!;
    const lawyer = client();
    await lawyer.signIn('lisi');
    const queue = await (await lawyer.get('/app/review')).text();
    const section = queue.slice(queue.indexOf(`id="batch-${batchId}"`));
    const requestIds = [...section.matchAll(/href="\/app\/review\/([\w-]{36})"/g)].map((m) => m[1]!).slice(0, 2);
    expect(requestIds).toHaveLength(2);
    const csrf = await lawyer.csrf('/app/review');
    const early = await lawyer.post(`/app/review/batch/${batchId}/approve`, new URLSearchParams({ _csrf: csrf }));
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('请至少打开');
    // The review page alone, a script's fetch or a prefetch of the draft do not count as opening it;
    // the draft shown in the page's viewer (or a window of its own) does.
    expect((await lawyer.get(`/app/review/${requestIds[0]}`)).status).toBe(200);
    const draft = `/app/review/${requestIds[0]}/draft.pdf`;
    expect((await lawyer.get(draft, { 'sec-fetch-dest': 'empty' })).status).toBe(200);
    expect((await lawyer.get(draft, { 'sec-fetch-dest': 'object', 'sec-purpose': 'prefetch' })).status).toBe(200);
    const notYet = await lawyer.post(`/app/review/batch/${batchId}/approve`, new URLSearchParams({ _csrf: csrf }));
    expect(notYet.status).toBe(409);
    expect(await lawyer.get(draft, { 'sec-fetch-dest': 'object' })).toHaveProperty('status', 200);
    expect(await (await lawyer.get('/app/review')).text()).toContain('已打开 1 封');
    const noReason = await lawyer.post(
      `/app/review/${requestIds[0]}/reject`,
      new URLSearchParams({ _csrf: csrf, reason: ' ' }),
    );
    expect(noReason.status).toBe(422);
    const rejected = await lawyer.post(
      `/app/review/${requestIds[0]}/reject`,
      new URLSearchParams({ _csrf: csrf, reason: '金额与委托人台账不符' }),
    );
    expect(rejected.status).toBe(303);
    expect(rejected.headers.get('location')).toBe(`/app/review/${requestIds[1]}`);
    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    const actions = (await reg.audit.rows({ subject: requestIds[0] })).map((r) => r.action);
    await reg.close();
    expect(actions).toEqual(['request.add', 'request.open-draft', 'request.reject']);
  });

  it('a batch approval states its count and total, and is refused without the password again or when the batch changed', async () => {
    const up = await upload(c, Buffer.from([header, line('PW-0001'), line('PW-0002')].join('\n')));
    const batchId = up.headers.get('location')!.split('/').pop()!;
    const lawyer = client();
    await lawyer.signIn('lisi');
    const queue = await (await lawyer.get('/app/review')).text();
    const section = queue.slice(queue.indexOf(`id="batch-${batchId}"`));
    const first = /href="\/app\/review\/([\w-]{36})"/.exec(section)![1]!;
    await lawyer.get(`/app/review/${first}/draft.pdf`, { 'sec-fetch-dest': 'object' });
    const form = await lawyer.batchApproval(batchId);
    expect(form.get('count')).toBe('2');
    const page = await (await lawyer.get('/app/review')).text();
    const shown = page.slice(page.indexOf(`action="/app/review/batch/${batchId}/approve"`));
    expect(shown).toMatch(
      /<b class="batch-count">2<\/b> 封律师函，金额合计 <b class="batch-total">[\d,]+\.\d{2}<\/b> 元/,
    );
    const post = (over: Record<string, string>) => {
      const body = new URLSearchParams(form);
      for (const [k, v] of Object.entries(over)) body.set(k, v);
      return lawyer.post(`/app/review/batch/${batchId}/approve`, body);
    };
    const noPassword = await post({ password: '' });
    expect(noPassword.status).toBe(403);
    expect(await noPassword.text()).toContain('密码不正确，本批次未出具');
    const wrong = await post({ password: 'not the password at all' });
    expect(wrong.status).toBe(403);
    // The page's figures are checked on the server: a count or total other than what is pending is refused.
    const stale = await post({ totalFen: String(Number(form.get('totalFen')) + 1) });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('本批次待审核的函件已有变化：现为 2 封');
    expect((await post({ count: '3' })).status).toBe(409);
    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    const started = (await reg.audit.rows({ subject: batchId })).filter((r) => r.action === 'requests.approve-batch');
    await reg.close();
    expect(started).toEqual([]);
    const ok = await post({});
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(/^\/app\/tasks\//);
  });
});

describe('settings: the organisation’s contact details', () => {
  it('an admin completes its address and phone (audited); a bad phone is refused with a page that says so', async () => {
    const c = client();
    await c.signIn('other');
    const bad = await c.post(
      '/app/settings/contact',
      new URLSearchParams({
        _csrf: await c.csrf('/app/settings'),
        address: '深圳市南山区某某路3号',
        phone: '<script>',
      }),
    );
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('请填写电话');
    const ok = await c.post(
      '/app/settings/contact',
      new URLSearchParams({
        _csrf: await c.csrf('/app/settings'),
        address: '深圳市南山区某某路3号',
        phone: '0755-86001234',
      }),
    );
    expect(ok.status).toBe(303);
    const html = await (await c.get('/app/settings')).text();
    expect(html).toContain('value="深圳市南山区某某路3号"');
    expect(html).toContain('value="0755-86001234"');
    const noCsrf = await c.post('/app/settings/contact', new URLSearchParams({ address: 'x', phone: '010-1234567' }));
    expect(noCsrf.status).toBe(403);
  });
});
