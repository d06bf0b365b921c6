/**
 * The 人员 table in settings over HTTP: an admin sees each person's status and a 停用/启用 form
 * (with the CSRF token) for everyone but themselves, names HTML-escaped; disabling ends the
 * person's live session at their next request, refuses their sign-in (saying so only to the
 * right password), stops their API key and their approvals; another organisation's user is
 * not found; enabling undoes it; both audited.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { PASSWORD, pendingRequests, setUpFirm, webClient } from './fixture.js';

let s: TestServer;
const ids: Record<string, string> = {};
let lisiKey = '';
let requests: string[] = [];
const client = () => webClient(() => s.url);

beforeAll(async () => {
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
    requests = await pendingRequests(dir, ids, 1);
    const reg = openRegistry({ db: join(dir, 'hanjian.db') });
    await reg.orgs.addUser(
      {
        orgId: ids.firm!,
        login: 'xss',
        name: '<i>王</i>',
        role: 'assistant',
        password: PASSWORD,
      },
      'test',
    );
    lisiKey = (await reg.orgs.addKey({ orgId: ids.firm!, userId: ids.lawyer!, scopes: ['review', 'read'] }, 'test'))
      .key;
    ids.admin = (await reg.orgs.findUser('admin'))!.id;
    ids.other = (await reg.orgs.findUser('other'))!.id;
    await reg.close();
  });
});
afterAll(async () => {
  await s?.close();
});

const query = <T>(sql: string, ...params: string[]): T[] => {
  const d = new Database(join(s.dir, 'hanjian.db'), { readonly: true });
  try {
    return d.prepare(sql).all(...params) as T[];
  } finally {
    d.close();
  }
};
const row = (html: string, login: string) =>
  new RegExp(`<tr data-login="${login}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';

describe('people in settings', () => {
  it('shows status and a disable form with the CSRF token for others, not for the admin themselves; names escaped', async () => {
    const admin = client();
    await admin.signIn('admin');
    const html = await (await admin.get('/app/settings')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const lisi = row(html, 'lisi');
    expect(lisi).toContain('在用');
    expect(lisi).toContain(
      `<form method="post" action="/app/settings/users/${ids.lawyer}/disable"><input type="hidden" name="_csrf" value="${csrf}">`,
    );
    const me = row(html, 'admin');
    expect(me).toContain('本人');
    expect(me).not.toContain('<form');
    expect(html).toContain('&lt;i&gt;王&lt;/i&gt;');
    expect(html).not.toContain('<i>王</i>');
    expect(html).toContain('hanjian users passwd');
    // Other organisations' people are not listed.
    expect(html).not.toContain('data-login="other"');
  });

  it("disabling ends the lawyer's live session, refuses their sign-in, key and approval; enabling restores sign-in", async () => {
    const admin = client();
    await admin.signIn('admin');
    const lisi = client();
    expect((await lisi.signIn('lisi')).status).toBe(303);
    expect((await lisi.get('/app/review')).status).toBe(200);
    const lisiCsrf = await lisi.csrf(`/app/review/${requests[0]}`);
    expect((await s.call('GET', '/v1/letter-requests?status=pending_review', { key: lisiKey })).status).toBe(200);

    // Without the form's token nothing happens.
    expect((await admin.post(`/app/settings/users/${ids.lawyer}/disable`, new URLSearchParams({}))).status).toBe(403);
    expect((await lisi.get('/app/review')).status).toBe(200);

    const done = await admin.post(
      `/app/settings/users/${ids.lawyer}/disable`,
      new URLSearchParams({ _csrf: await admin.csrf('/app/settings') }),
    );
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).toContain('已停用：李四（lisi）');
    expect(row(html, 'lisi')).toContain('已停用');
    expect(row(html, 'lisi')).toContain(`action="/app/settings/users/${ids.lawyer}/enable"`);

    // The live session ends at the next request; an approval with it is refused and the request stays pending.
    const next = await lisi.get('/app/review');
    expect(next.status).toBe(303);
    expect(next.headers.get('location')).toMatch(/^\/app\/signin/);
    expect(
      (await lisi.post(`/app/review/${requests[0]}/approve`, new URLSearchParams({ _csrf: lisiCsrf }))).status,
    ).toBe(403);
    expect(query<{ status: string }>('SELECT status FROM letter_requests WHERE id = ?', requests[0]!)[0]!.status).toBe(
      'pending_review',
    );
    // The key bound to the lawyer stops working, approval included.
    expect((await s.call('GET', '/v1/letter-requests?status=pending_review', { key: lisiKey })).status).toBe(401);
    expect(
      (await s.call('POST', `/v1/letter-requests/${requests[0]}/approve`, { key: lisiKey, body: {} })).status,
    ).toBe(401);

    // Sign-in: the right password learns the account is disabled; a wrong one learns nothing new.
    const refused = await lisi.signIn('lisi');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('此账号已停用');
    expect(refused.headers.getSetCookie().join()).not.toMatch(/hanjian_session=[\w-]{20,}/);
    const wrong = await lisi.signIn('lisi', 'not the password');
    expect(wrong.status).toBe(401);
    const wrongText = await wrong.text();
    expect(wrongText).toContain('登录名或密码不正确');
    expect(wrongText).not.toContain('停用');

    const enabled = await admin.post(
      `/app/settings/users/${ids.lawyer}/enable`,
      new URLSearchParams({ _csrf: await admin.csrf('/app/settings') }),
    );
    expect(enabled.status).toBe(200);
    expect(row(await enabled.text(), 'lisi')).toContain('在用');
    expect((await lisi.signIn('lisi')).status).toBe(303);
    expect((await lisi.get('/app/review')).status).toBe(200);
    expect((await s.call('GET', '/v1/letter-requests?status=pending_review', { key: lisiKey })).status).toBe(200);

    const audit = query<{ actor: string; action: string; subject: string }>(
      "SELECT actor, action, subject FROM audit WHERE action IN ('user.disable', 'user.enable') ORDER BY seq",
    );
    expect(audit).toEqual([
      { actor: `web:${ids.admin}`, action: 'user.disable', subject: ids.lawyer },
      { actor: `web:${ids.admin}`, action: 'user.enable', subject: ids.lawyer },
    ]);
  });

  it('a session that outlives the disabling (opened in a race with it) ends at its next request all the same', async () => {
    const lisi = client();
    expect((await lisi.signIn('lisi')).status).toBe(303);
    const write = (sql: string, ...params: (string | null)[]) => {
      const d = new Database(join(s.dir, 'hanjian.db'));
      try {
        d.prepare(sql).run(...params);
      } finally {
        d.close();
      }
    };
    // Only the status, as if the session row had been written just after disabling deleted the others.
    write('UPDATE users SET disabled_at = ? WHERE id = ?', new Date().toISOString(), ids.lawyer!);
    try {
      expect(
        query<{ n: number }>('SELECT COUNT(*) AS n FROM web_sessions WHERE user_id = ?', ids.lawyer!)[0]!.n,
      ).toBeGreaterThan(0);
      expect((await lisi.get('/app/review')).status).toBe(303);
    } finally {
      write('UPDATE users SET disabled_at = NULL WHERE id = ?', ids.lawyer!);
    }
  });

  it("refuses the admin's own account, another organisation's user, and anyone but an admin", async () => {
    const admin = client();
    await admin.signIn('admin');
    const post = async (c: ReturnType<typeof client>, id: string) =>
      c.post(`/app/settings/users/${id}/disable`, new URLSearchParams({ _csrf: await c.csrf('/app/review') }));
    expect((await post(admin, ids.admin!)).status).toBe(409);
    const foreign = await post(admin, ids.other!);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toContain('没有这个用户');
    const assistant = client();
    await assistant.signIn('zhaoliu');
    expect((await post(assistant, ids.lawyer!)).status).toBe(403);
    expect(query<{ n: number }>('SELECT COUNT(*) AS n FROM users WHERE disabled_at IS NOT NULL')[0]!.n).toBe(0);
  });
});
