/**
 * The debtor's pages as a person meets them: the dispute form takes the 500 characters it
 * promises, every 413 states the limit of its own route, errors come back to a browser as a
 * Chinese page with a link back (problem+json stays for API clients), the pages run under a
 * strict CSP, and a void letter's number is not wrapped in a second pair of brackets.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated } from '../helpers.js';
import { startTestServer, type TestServer } from './server-helper.js';

let s: TestServer;
// A public rate low enough to reach in the test, high enough for the steps before it.
beforeAll(async () => {
  s = await startTestServer({ publicRatePerMinute: 25 });
});
afterAll(async () => {
  await s.close();
});

const today = todayInShanghai();
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const post = (path: string, fields: Record<string, string>, accept: string, cookie?: string) =>
  s.call('POST', path, {
    key: null,
    raw: new URLSearchParams(fields).toString(),
    type: 'application/x-www-form-urlencoded',
    headers: { accept, ...(cookie ? { cookie } : {}) },
  });

async function issueAndOpen(contractNo: string, key: string) {
  const demand = dated('demand', today);
  demand.account.contractNo = contractNo;
  const issued = (await (
    await s.call('POST', '/v1/letters', { body: demand, headers: { 'idempotency-key': key } })
  ).json()) as { id: string; number: string; verifyCode: string };
  const page = await s.call('GET', `/v1/verify?number=${encodeURIComponent(issued.number)}&code=${issued.verifyCode}`, {
    key: null,
    headers: { accept: BROWSER },
  });
  const html = await page.text();
  return {
    issued,
    page,
    html,
    csrf: /name="csrf" value="([^"]+)"/.exec(html)![1]!,
    cookie: page.headers.get('set-cookie')!.split(';')[0]!,
  };
}

describe("the debtor's pages", () => {
  it('take the 500 characters the form allows; 413s name their own limit; errors are pages for a browser and problem+json for a client', async () => {
    const { issued, csrf, cookie } = await issueAndOpen('PAGES-001', 'p-1');
    const fields = {
      number: issued.number,
      code: issued.verifyCode,
      type: 'dispute',
      contact: '联系电话一三八零零一三八零零零',
      csrf,
    };
    const back = `/v1/verify?${new URLSearchParams({ number: issued.number, code: issued.verifyCode }).toString().replace(/&/g, '&amp;')}`;

    // Errors first (a filed dispute would be the end of the form): an expired form, as a page with the way back.
    const expired = await post('/v1/verify/responses', { ...fields, text: '金额有误', csrf: 'stale' }, BROWSER, cookie);
    expect(expired.status).toBe(403);
    expect(expired.headers.get('content-type')).toMatch(/^text\/html/);
    const expiredHtml = await expired.text();
    expect(expiredHtml).toContain('表单已过期，请重新打开核验页面后提交');
    expect(expiredHtml).toContain(`href="${back}"`);
    expect(expiredHtml).not.toContain('the form has expired');
    // The same error for an API client stays problem+json.
    const json = await post(
      '/v1/verify/responses',
      { ...fields, text: '金额有误', csrf: 'stale' },
      'application/json',
      cookie,
    );
    expect(json.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json.json()).toMatchObject({ code: 'CSRF' });
    // 501 characters: a 422 page saying what is wrong with the text.
    const long = await post('/v1/verify/responses', { ...fields, text: '很'.repeat(501) }, BROWSER, cookie);
    expect(long.status).toBe(422);
    expect(await long.text()).toContain('请填写说明（1–500 字，不含控制字符）');
    // Over the form's limit: the page and the problem both state 8192 bytes, not the JSON limit.
    const huge = await post('/v1/verify/responses', { ...fields, text: '很'.repeat(1000) }, BROWSER, cookie);
    expect(huge.status).toBe(413);
    const hugeHtml = await huge.text();
    expect(hugeHtml).toContain('请求体超过 8192 字节（8 KB）');
    expect(hugeHtml).not.toContain('65536');
    expect(hugeHtml).toContain('href="/v1/verify"');
    const hugeJson = await post(
      '/v1/verify/responses',
      { ...fields, text: '很'.repeat(1000) },
      'application/json',
      cookie,
    );
    expect(((await hugeJson.json()) as { detail: string }).detail).toBe(
      '请求体超过 8192 字节（8 KB） / the body exceeds 8192 bytes (8 KB)',
    );
    // The plan form (this demand offers no plan): an expired form is a page too.
    const plan = await post(
      '/v1/verify/plans',
      { number: issued.number, code: issued.verifyCode, terms: '3', csrf: 'stale' },
      BROWSER,
      cookie,
    );
    expect([plan.status, plan.headers.get('content-type')?.split(';')[0]]).toEqual([403, 'text/html']);

    // 500 CJK characters, the most the page allows, are accepted (URL-encoded they are 4.5 KB).
    const ok = await post('/v1/verify/responses', { ...fields, text: '很'.repeat(500) }, BROWSER, cookie);
    expect(ok.status).toBe(201);
    expect(await ok.text()).toContain('已提交给债权人');

    // A proof file over 5 MB: its own limit is stated.
    const proof = Buffer.alloc(6 * 1024 * 1024, 0x20);
    proof.write('%PDF-1.4', 0);
    const big = await s.call('POST', `/v1/letters/${issued.id}/proofs`, { raw: proof, type: 'application/pdf' });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { detail: string }).detail).toBe(
      '请求体超过 5242880 字节（5 MB） / the body exceeds 5242880 bytes (5 MB)',
    );
    // The JSON routes keep theirs.
    const bigJson = await s.call('POST', '/v1/validate', { raw: `{"x":"${'y'.repeat(70_000)}"}` });
    expect(((await bigJson.json()) as { detail: string }).detail).toContain('65536 字节');
  });

  it('run under a strict CSP (the one style sheet allowed by its hash), say a void letter is void without doubled brackets, and answer 429 as a page', async () => {
    const { issued, page, html } = await issueAndOpen('PAGES-002', 'p-2');
    const csp = page.headers.get('content-security-policy')!;
    const style = /<style>([^<]*)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/ style="/); // no inline style attribute (a hash does not allow those)
    expect(html).not.toMatch(/<script/);

    expect((await s.call('POST', `/v1/letters/${issued.id}/void`, { body: { reason: '发错对象' } })).status).toBe(200);
    const voidPage = await (
      await s.call('GET', `/v1/verify?number=${encodeURIComponent(issued.number)}&code=${issued.verifyCode}`, {
        key: null,
        headers: { accept: BROWSER },
      })
    ).text();
    expect(voidPage).toContain(`函号为 ${issued.number} 的函件已于`);
    expect(voidPage).not.toContain('（（');

    let limited: Response | null = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const r = await s.call(
        'GET',
        `/v1/verify?number=${encodeURIComponent(issued.number)}&code=${issued.verifyCode}`,
        { key: null, headers: { accept: BROWSER } },
      );
      if (r.status === 429) limited = r;
      else await r.arrayBuffer();
    }
    expect(limited).not.toBeNull();
    expect(limited!.headers.get('content-type')).toMatch(/^text\/html/);
    expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited!.text()).toContain('请求过于频繁，请稍后再试');
  });
});
