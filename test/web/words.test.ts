import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateArabic } from '../../src/pipeline/facts/format.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { approveAs, clientSheet, setUpFirm, today, webClient } from './fixture.js';

let s: TestServer;
const ids: Record<string, string> = {};
const ISO_DAY = /(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])/;
/** The page's visible text: tags, and the attributes in them, left out. */
const visible = (html: string) =>
  html
    .slice(html.indexOf('<main'))
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ');

beforeAll(async () => {
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
  });
});
afterAll(async () => {
  await s?.close();
});

describe('workspace words', () => {
  const c = webClient(() => s.url);
  let batch = '';

  it('import result and review queue: Chinese reasons, the high-risk condition that held, dates as 年月日', async () => {
    await c.signIn('zhaoliu');
    const r = await c.upload(clientSheet(2), { engagement: ids.eng! });
    batch = r.headers.get('location')!.split('/').pop()!;
    const result = visible(await (await c.get(`/app/import/${batch}`)).text());
    expect(result).toMatch(/\d{4}年\d{1,2}月\d{1,2}日\s*履行期限/);
    expect(result).not.toMatch(ISO_DAY);
    // 2 overdue episodes (the threshold) and 12,000.00 owed (below 20,000.00): only the count is named.
    expect(result).toContain('高风险账户（近 12 个月逾期 2 次（≥ 2 次））');
    expect(result).not.toContain('欠款 ≥');
    expect(result).not.toMatch(/lawyer|high-risk| \/ /);

    const lawyer = webClient(() => s.url);
    await lawyer.signIn('lisi');
    const queue = visible(await (await lawyer.get('/app/review')).text());
    expect(queue).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    expect(queue).not.toMatch(ISO_DAY);
    expect(queue).not.toMatch(/lawyer|high-risk| \/ /);
    const first = /href="\/app\/review\/([\w-]{36})"/.exec(await (await lawyer.get('/app/review')).text())![1]!;
    const detail = visible(await (await lawyer.get(`/app/review/${first}`)).text());
    expect(detail).toContain(dateArabic(today).slice(0, 5)); // the year, as 2026年
    expect(detail).not.toMatch(ISO_DAY);
    expect(detail).not.toMatch(/ \/ [A-Za-z]/);
  });

  it('letters: issue dates and the history as 年月日, times in Beijing time', async () => {
    const [letter] = await approveAs(s.dir, ids, { first: 1 });
    const letterId = letter!.id;
    const list = visible(await (await c.get('/app/letters')).text());
    expect(list).toContain(dateArabic(today));
    expect(list).not.toMatch(ISO_DAY);
    const page = visible(await (await c.get(`/app/letters/${letterId}`)).text());
    expect(page).toMatch(new RegExp(`出具日\\s+${dateArabic(today)}`));
    expect(page).not.toMatch(ISO_DAY);
  });

  it('settings and templates: scopes explained in words, no environment variable names, dates as 年月日', async () => {
    const admin = webClient(() => s.url);
    await admin.signIn('admin');
    const html = await (await admin.get('/app/settings')).text();
    const settings = visible(html);
    expect(settings).toContain('查询 ：查看本机构的函件');
    expect(settings).toContain('作废函件 ：作废已出具的函件');
    expect(html).toContain('name="scopes" value="issue:reminder"');
    expect(settings).not.toMatch(/HANJIAN_|issue:reminder/);
    expect(settings).not.toMatch(ISO_DAY);
    expect(settings).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 至 长期/);
    const templates = visible(await (await admin.get('/app/templates')).text());
    expect(templates).not.toMatch(/HANJIAN_/);
    expect(templates).toContain('请运维人员在服务器配置中为本机构指定一个模板文件夹');
    expect(templates).not.toMatch(ISO_DAY);
  });
});
