/**
 * Issue 18 in the workspace, over plain HTTP: the firm's catalogue page lists its draft with
 * origin and status, the diff page shows the reworded line as removed and added rendered text,
 * a lawyer of the firm releases the draft (lock and audit written by release.ts) and the list
 * says so, then retires it with a reason; an assistant is refused with a page message, a POST without the CSRF token is
 * refused, and another organisation never sees the firm's versions.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { copyVersion, NEW_SENTENCE, OLD_SENTENCE } from '../fixtures/firm-catalog.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { setUpFirm, webClient } from './fixture.js';

const FIRM = '北京某某律师事务所';
let s: TestServer;
let root: string;
const ids: Record<string, string> = {};

/** The shared cookie-jar client, whose sign-in must succeed here. */
function client() {
  const c = webClient(() => s.url);
  const signIn = async (login: string) => expect((await c.signIn(login)).status).toBe(303);
  return { ...c, signIn };
}

/** The table row of one version on the list page. */
const rowOf = (html: string, id: string) => new RegExp(`<tr data-template="${id}">([\\s\\S]*?)</tr>`).exec(html)?.[1];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hanjian-web-templates-'));
  copyVersion(root, 'lawyer-letter', 2, 3, { hbs: (t) => t.replace(OLD_SENTENCE, NEW_SENTENCE) });
  s = await startTestServer({ templates: { [FIRM]: root } }, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
  });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('the templates page', () => {
  it("lists the firm's draft version first, with origin, status and effective date, and the built-in ones after it", async () => {
    const c = client();
    await c.signIn('zhaoliu');
    const r = await c.get('/app/templates');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('href="/app/templates"');
    expect(html).not.toMatch(/<script>|style=/);
    const row = rowOf(html, 'firm:lawyer-letter@3')!;
    expect(row).toContain('本机构');
    expect(row).toContain('草稿');
    // Dates as the letters write them (issue 29 §4), not ISO.
    expect(row).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(row).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(html.indexOf('firm:lawyer-letter@3')).toBeLessThan(html.indexOf('data-template="lawyer-letter@2"'));
    expect(rowOf(html, 'lawyer-letter@2')).toContain('内置');
    // Built-in versions: one in force per kind (现行); a version whose effective date is still ahead says when it starts.
    const today = todayInShanghai();
    for (const kind of ['reminder', 'demand', 'lawyer-letter']) {
      const rows = [...html.matchAll(new RegExp(`<tr data-template="(${kind}@\\d+)">([\\s\\S]*?)</tr>`, 'g'))];
      expect(
        rows.filter((m) => m[2]!.includes('现行')),
        kind,
      ).toHaveLength(1);
      for (const [, id, cells] of rows) {
        const [, y, m, d] = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(cells!)!;
        const effective = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
        if (effective > today) expect(cells, id).toContain(`${y}年${m}月${d}日起生效`);
      }
    }
    // An assistant is shown no release button.
    expect(html).not.toContain('/app/templates/firm:lawyer-letter@3/release');
  });

  it('shows the wording difference as rendered text, the new line marked added and the old one removed', async () => {
    const c = client();
    await c.signIn('lisi');
    const r = await c.get(`/app/templates/diff?from=lawyer-letter@2&to=${encodeURIComponent('firm:lawyer-letter@3')}`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toMatch(new RegExp(`<li class="diff-add">[^]*?${NEW_SENTENCE.slice(0, 20)}`));
    expect(html).toMatch(new RegExp(`<li class="diff-del">[^]*?${OLD_SENTENCE.slice(0, 10)}`));
    expect(html.match(/class="diff-add"/g)).toHaveLength(1);
    // The source diff beside the rendered one (issue 32): the changed line of letter.hbs.
    expect(html).toMatch(
      new RegExp(`模板源文件（letter.hbs）差异[^]*?<li class="src diff-add">[^]*?${NEW_SENTENCE.slice(0, 20)}`),
    );
    expect(html).not.toMatch(/style=/);
    // A malformed reference or versions of different kinds are a message on the page, not a 500.
    const bad = await c.get('/app/templates/diff?from=../../etc/passwd&to=lawyer-letter@2');
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('模板引用格式');
    const kinds = await c.get('/app/templates/diff?from=reminder@2&to=lawyer-letter@2');
    expect(kinds.status).toBe(422);
  });

  it('refuses an assistant (a page message) and a POST without the CSRF token', async () => {
    const assistant = client();
    await assistant.signIn('zhaoliu');
    const refused = await assistant.post(
      '/app/templates/firm:lawyer-letter@3/release',
      new URLSearchParams({ _csrf: await assistant.csrf('/app/templates') }),
    );
    expect(refused.status).toBe(403);
    const html = await refused.text();
    expect(html).toContain('只有本所律师可以发布');
    expect(rowOf(html, 'firm:lawyer-letter@3')).toContain('草稿');
    const lawyer = client();
    await lawyer.signIn('lisi');
    const bare = await lawyer.post('/app/templates/firm:lawyer-letter@3/release', new URLSearchParams({}));
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain('CSRF');
    expect(rowOf(await (await lawyer.get('/app/templates')).text(), 'firm:lawyer-letter@3')).toContain('草稿');
  });

  it('a lawyer of the firm releases the draft: the list says released, by whom, and the audit has template-release', async () => {
    const c = client();
    await c.signIn('lisi');
    const list = await (await c.get('/app/templates')).text();
    expect(list).toContain('action="/app/templates/firm:lawyer-letter@3/release"');
    const r = await c.post(
      '/app/templates/firm:lawyer-letter@3/release',
      new URLSearchParams({ _csrf: await c.csrf('/app/templates') }),
    );
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('已发布 firm:lawyer-letter@3');
    expect(rowOf(html, 'firm:lawyer-letter@3')).toContain('已发布');
    expect(rowOf(html, 'firm:lawyer-letter@3')).toContain('李四');
    expect(rowOf(await (await c.get('/app/templates')).text(), 'firm:lawyer-letter@3')).toContain('已发布');
    // Releasing again is a conflict shown on the page.
    const again = await c.post(
      '/app/templates/firm:lawyer-letter@3/release',
      new URLSearchParams({ _csrf: await c.csrf('/app/templates') }),
    );
    expect(again.status).toBe(409);
    // Retiring needs a reason.
    const noReason = await c.post(
      '/app/templates/firm:lawyer-letter@3/retire',
      new URLSearchParams({ _csrf: await c.csrf('/app/templates'), reason: ' ' }),
    );
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('停用须说明理由');
    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    const rows = await reg.audit.rows({ subject: 'firm:lawyer-letter@3' });
    await reg.close();
    expect(rows.map((x) => x.action)).toEqual(['template.release']);
    expect(rows[0]).toMatchObject({ orgId: ids.firm, actor: `web:${ids.lawyer}` });
  });

  it('a lawyer retires the released version with a reason: the list says retired, and the audit has template-retire', async () => {
    const c = client();
    await c.signIn('lisi');
    const r = await c.post(
      '/app/templates/firm:lawyer-letter@3/retire',
      new URLSearchParams({ _csrf: await c.csrf('/app/templates'), reason: '措辞已由新版本取代' }),
    );
    expect(r.status).toBe(200);
    const row = rowOf(await r.text(), 'firm:lawyer-letter@3')!;
    expect(row).toContain('已停用');
    expect(row).toContain('措辞已由新版本取代');
    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    const rows = await reg.audit.rows({ subject: 'firm:lawyer-letter@3' });
    await reg.close();
    expect(rows.map((x) => x.action)).toEqual(['template.release', 'template.retire']);
  });

  it("another organisation does not see the firm's versions and cannot diff or release them", async () => {
    const c = client();
    await c.signIn('other');
    const html = await (await c.get('/app/templates')).text();
    expect(html).not.toContain('firm:');
    expect(html).toContain('data-template="lawyer-letter@2"');
    const diff = await c.get(
      `/app/templates/diff?from=lawyer-letter@2&to=${encodeURIComponent('firm:lawyer-letter@3')}`,
    );
    expect(diff.status).toBe(404);
    expect(await diff.text()).not.toContain(NEW_SENTENCE);
    const release = await c.post(
      '/app/templates/firm:lawyer-letter@3/release',
      new URLSearchParams({ _csrf: await c.csrf('/app/templates') }),
    );
    expect([403, 404]).toContain(release.status);
  });
});
