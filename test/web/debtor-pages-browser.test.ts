/**
 * The debtor's pages in Chromium on a phone (360 × 740, issue 29 §4): the verification page of
 * a signed letter that offers plans, the page to type the one-time code on, the confirmation,
 * a dispute's receipt, the page that asks for the number and code, and an unknown letter. On
 * every one: no horizontal scroll (the page is no wider than the screen), inputs at 16 px or
 * more, no Latin words among the visible text; hashes and certificate names only once the
 * reader opens 技术细节, collapsed at first. The receipt number is one a person can read out.
 * Screenshots go to test-output/debtor/ (gitignored). The style sheet's colours and fonts are
 * the workspace's.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { WORKSPACE_TOKENS } from '../../src/http/debtor-style.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated, ROOT } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { makeFirmP12, P12_PASSWORD, signingConfig } from '../signing/signing-certs.js';
import { lastCode } from '../support/sms.js';
import { requirePrograms } from '../support/system-programs.js';
import { openBrowser, type TestBrowser } from './browser.js';

const skipped = requirePrograms('chromium', 'openssl');
const SHOTS = join(ROOT, 'test-output', 'debtor');
const WIDTH = 360;
const CREDITOR = '北京某某科技有限公司';
let s: TestServer;
let browser: TestBrowser | undefined;
let page: Page;
const letters: Record<'plan' | 'dispute', { number: string; verifyCode: string; pdfSha256: string }> = {} as never;
const hadPassword = process.env.TEST_P12_PASSWORD;

beforeAll(async () => {
  if (skipped) return;
  mkdirSync(SHOTS, { recursive: true });
  process.env.TEST_P12_PASSWORD = P12_PASSWORD;
  const certs = makeFirmP12();
  s = await startTestServer(
    { signingFile: signingConfig(mkdtempSync(join(tmpdir(), 'hanjian-debtor-sign-')), CREDITOR, certs.p12) },
    async (dir) => {
      const reg = openRegistry({ db: join(dir, 'hanjian.db') });
      try {
        await reg.stores.plans.saveSettings({
          orgId: 'default',
          terms: [3, 6, 12],
          firstDueDays: 15,
          minInstalment: 0,
          graceDays: 10,
          updatedAt: new Date().toISOString(),
          updatedBy: 'test',
        });
      } finally {
        await reg.close();
      }
    },
  );
  const today = todayInShanghai();
  for (const [name, template] of [
    ['plan', 'demand@3'],
    ['dispute', 'demand@1'],
  ] as const) {
    const demand: Record<string, any> = { ...dated('demand', today), template };
    demand.account.contractNo = `MOBILE-${name}`;
    const r = await s.call('POST', '/v1/letters', { body: demand, headers: { 'idempotency-key': `m-${name}` } });
    expect(r.status, await r.clone().text()).toBe(201);
    letters[name] = (await r.json()) as (typeof letters)['plan'];
  }
  browser = await openBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: WIDTH, height: 740 });
});

afterAll(async () => {
  await browser?.close();
  await s?.close();
  if (hadPassword === undefined) delete process.env.TEST_P12_PASSWORD;
  else process.env.TEST_P12_PASSWORD = hadPassword;
});

const verifyUrl = (l: { number: string; verifyCode: string }) =>
  `${s.url}/v1/verify?${new URLSearchParams({ number: l.number, code: l.verifyCode })}`;

/** What a phone's screen must hold: the page no wider than the screen, every input at 16 px or more, Chinese only. */
async function fitsThePhone(shot: string): Promise<string> {
  await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
  const m = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
      .slice(0, 5),
    fonts: [...document.querySelectorAll('input:not([type=hidden]):not([type=radio]), textarea')].map((e) =>
      Number.parseFloat(getComputedStyle(e).fontSize),
    ),
    // biome-ignore lint/performance/useDomNodeTextContent: the text on the screen, without what a closed <details> hides
    text: document.body.innerText,
  }));
  expect({ shot, scrollWidth: m.scrollWidth, wide: m.wide }).toEqual({ shot, scrollWidth: WIDTH, wide: [] });
  for (const size of m.fonts) expect(size, shot).toBeGreaterThanOrEqual(16);
  // Chinese only: no Latin word on the screen (hashes, certificate names and English stay behind 技术细节 or out).
  expect(m.text.match(/[A-Za-z]{2,}/g) ?? [], shot).toEqual([]);
  return m.text;
}

describe.skipIf(skipped)("the debtor's pages on a phone (360 px)", () => {
  it('the verification page: facts in Chinese, 技术细节 collapsed until opened, then the hash and the certificate', async () => {
    await page.goto(verifyUrl(letters.plan));
    const text = await fitsThePhone('01-verify');
    expect(text).toContain('该函件由本系统出具');
    expect(text).toContain('欠款合计');
    expect(text).toContain('有（出具方已加电子签名）');
    for (const hidden of ['SHA-256', '证书', '时间戳', letters.plan.pdfSha256.slice(0, 16)])
      expect(text).not.toContain(hidden);
    expect(await page.$eval('details.tech', (d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.isVisible('details.tech dl')).toBe(false);
    // Styled like the workspace: its navy bar and its sans-serif CJK fonts, no browser defaults.
    expect(await page.$eval('.bar', (e) => getComputedStyle(e).backgroundColor)).toBe('rgb(20, 33, 61)');
    expect(await page.$eval('body', (e) => getComputedStyle(e).fontFamily)).toContain('Noto Sans CJK SC');

    await page.click('details.tech summary');
    expect(await page.isVisible('details.tech dl')).toBe(true);
    const open = await page.textContent('details.tech');
    expect(open).toContain('SHA-256');
    expect(open).toContain(letters.plan.pdfSha256);
    expect(open).toContain('CN=北京某某律师事务所');
    await page.screenshot({ path: join(SHOTS, '02-verify-technical.png'), fullPage: true });
    // Open, the 64-character hash still wraps within the screen.
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBe(WIDTH);
  });

  it('a plan: choose, the code page, a wrong code shown on the same page, the right one confirms', async () => {
    await page.goto(verifyUrl(letters.plan));
    await page.check('input[name=terms][value="6"]');
    await page.click('#plan button.primary');
    await page.waitForLoadState();
    const codeText = await fitsThePhone('03-code');
    expect(codeText).toContain('验证码已通过短信发送至合同预留的手机号 136****5432');
    expect(codeText).toContain('分 6 期');

    await page.fill('input[name=smsCode]', String((Number(lastCode(s.dir)) + 1) % 1_000_000).padStart(6, '0'));
    await page.click('form[action="/v1/verify/plans"] button.primary');
    await page.waitForLoadState();
    expect(await fitsThePhone('04-code-wrong')).toContain('验证码不正确，还可再试 4 次');

    await page.fill('input[name=smsCode]', lastCode(s.dir));
    await page.click('form[action="/v1/verify/plans"] button.primary');
    await page.waitForLoadState();
    const done = await fitsThePhone('05-plan-accepted');
    expect(done).toContain('您已选择分 6 期还款');
    expect(done).toContain('查看还款计划确认函');
  });

  it('a dispute: the receipt is a nine-digit number in three groups, not an id', async () => {
    await page.goto(verifyUrl(letters.dispute));
    await page.check('input[name=type][value=dispute]');
    await page.fill('textarea[name=text]', '我已于上月还清本金，金额有误，请核实。');
    await page.fill('input[name=contact]', '13698765432');
    await page.click('#respond button.primary');
    await page.waitForLoadState();
    const text = await fitsThePhone('06-dispute-receipt');
    expect(text).toContain('已收到');
    const receipt = (await page.textContent('.receipt-no'))!.trim();
    expect(receipt).toMatch(/^\d{3}-\d{3}-\d{3}$/);
    // Large enough to read out: the number on one line, at 24 px or more.
    expect(
      Number.parseFloat(await page.$eval('.receipt-no', (e) => getComputedStyle(e).fontSize)),
    ).toBeGreaterThanOrEqual(24);
  });

  it('the page that asks for the number and code, and an unknown letter', async () => {
    await page.goto(`${s.url}/v1/verify`);
    await fitsThePhone('07-ask');
    await page.fill('input[name=number]', letters.plan.number);
    await page.fill('input[name=code]', 'WRONG-CODE');
    await page.click('button.primary');
    await page.waitForLoadState();
    expect(await fitsThePhone('08-not-found')).toContain('未找到与该函号和核验码相符的函件');
  });
});

describe("the debtor's style sheet", () => {
  it("repeats the workspace's colour and font tokens word for word", () => {
    const css = readFileSync(join(ROOT, 'web', 'static', 'app.css'), 'utf8');
    const root = /:root\s*\{[^}]*\}/.exec(css)![0];
    const tokens = (t: string) => [...t.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
    expect(tokens(WORKSPACE_TOKENS)).toEqual(tokens(root));
    expect(tokens(root).length).toBeGreaterThan(10);
  });
});
