/**
 * The partner's workspace in a real browser (Debian's Chromium through playwright-core): sign
 * in, import a client's spreadsheet of 14 accounts with 3 bad rows, approve the 11 as the
 * assigned lawyer after opening one, download the batch ZIP, void a letter and see the public
 * verification page say so, and a POST without the form's CSRF token refused; the batch approval
 * runs behind a progress page; an admin uploads the seal and previews it on a specimen letter.
 * Screenshots of each page go to test-output/web/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSheet } from '../../src/imports/index.js';
import { DEFAULT_LIMITS } from '../../src/imports/limits.js';
import { readXlsx } from '../../src/imports/xlsx-read.js';
import { sealPng } from '../fixtures/png.js';
import { ROOT } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { readPdf } from '../pipeline/pdf/extract.js';
import { requirePrograms } from '../support/system-programs.js';
import { openBrowser, type TestBrowser } from './browser.js';
import { clientSheet, PASSWORD, setUpFirm } from './fixture.js';

const skipped = requirePrograms('chromium');
const SHOTS = join(ROOT, 'test-output', 'web');
const BAD = { 5: { 身份证号: '110105199003071238' }, 9: { 本金: '一万二' }, 14: { 合同日期: '' } };

let s: TestServer;
let context: BrowserContext;
let page: Page;
let browser: TestBrowser | undefined;
let base: string;
const ids: Record<string, string> = {};

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(login: string, password = PASSWORD): Promise<void> {
  await page.goto(`${base}/app/signin`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await page.click('button.primary');
  await page.waitForLoadState();
}

beforeAll(async () => {
  if (skipped) return;
  mkdirSync(SHOTS, { recursive: true });
  // A generous render timeout: the 11 approvals render one after another on a shared 2-core machine.
  s = await startTestServer({ renderTimeoutMs: 60_000 }, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
  });
  // localhost, not 127.0.0.1: the address a person types, and a secure context for the browser.
  base = s.url.replace('127.0.0.1', 'localhost');
  browser = await openBrowser();
  ({ context, page } = browser);
  page.on('dialog', (d) => void d.accept());
});

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe.skipIf(skipped)('the partner workspace in Chromium', () => {
  it('refuses a wrong password, then signs in; the session cookie is HttpOnly and SameSite=Strict', async () => {
    await page.goto(`${base}/app`);
    expect(page.url()).toContain('/app/signin');
    await shot('01-signin');
    await signIn('zhaoliu', 'wrong password');
    expect(await page.textContent('.alert.bad')).toContain('登录名或密码不正确');
    await signIn('zhaoliu');
    expect(page.url()).toMatch(/\/app\/import$/);
    const cookie = (await context.cookies()).find((c) => c.name === 'hanjian_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const r = await context.request.get(`${base}/app/import`);
    expect(r.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers()['x-frame-options']).toBe('SAMEORIGIN');
  });

  let batchUrl = '';
  it('imports 14 rows, 3 bad: exactly those 3 are shown with their problems, in their cells', async () => {
    await shot('02-import');
    await page.fill('input[name=bank]', '中国工商银行北京某某支行');
    await page.fill('input[name=accountNo]', '0200001234567890123');
    await page.setInputFiles('input[type=file]', {
      name: '某某科技-逾期清单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(clientSheet(14, BAD)),
    });
    await page.click('form[enctype] button.primary');
    await page.waitForURL(/\/app\/import\/[\w-]+$/);
    batchUrl = page.url();
    await shot('03-import-result');
    const rejected = await page.$$eval('tr.rejected', (rows) =>
      rows.map((r) => ({
        row: r.getAttribute('data-row'),
        text: r.querySelector('.problems')!.textContent!.replace(/\s+/g, ' '),
      })),
    );
    expect(rejected.map((r) => r.row)).toEqual(['5', '9', '14']);
    expect(rejected[0]!.text).toMatch(/身份证号.*校验/);
    expect(rejected[1]!.text).toMatch(/本金.*不是金额/);
    expect(rejected[2]!.text).toMatch(/合同日期.*必填/);
    expect(await page.$$('tr.accepted')).toHaveLength(11);
    await shot('03-import-result');
    const file = await context.request.get(`${batchUrl}/rejected.xlsx`);
    const back = readSheet(await file.body());
    expect(back.rows.map((r) => r.cells[0])).toEqual(['5', '9', '14']);
    // The fix-up sheet's own columns are not reported as unknown when it comes back (issue 29).
    expect(back.ignored).toEqual([]);
  });

  it('the review queue: the assistant cannot approve; the lawyer opens one draft, then approves the batch of 11', async () => {
    await page.goto(`${base}/app/review`);
    expect(await page.$('button.primary')).toBeNull();
    await page.click('.who button');
    await signIn('lisi');
    expect(page.url()).toMatch(/\/app\/review$/);
    expect(await page.textContent('.batch')).toContain('请先打开至少一封草稿');
    await shot('04-review-queue');
    // A draft counts as opened once the review page's viewer has fetched it to show it.
    const [draft] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/draft.pdf')),
      page.click('.batch table a'),
    ]);
    await page.waitForURL(/\/app\/review\/[\w-]+$/);
    expect(draft.headers()['content-type']).toBe('application/pdf');
    expect(await page.textContent('.facts')).toContain('履行期限');
    await shot('05-review-detail');
    await page.goto(`${base}/app/review`);
    expect(await page.textContent('.batch .muted')).toContain('已打开 1 封');
    // The batch approval states the count and the total, and asks for the password again.
    await page.click('details.approve-batch summary');
    expect(await page.textContent('.batch-count')).toBe('11');
    expect(await page.textContent('.batch-total')).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
    await page.fill('details.approve-batch input[name=password]', 'not my password');
    await page.click('details.approve-batch button.primary');
    await page.waitForLoadState();
    expect(await page.textContent('main')).toContain('密码不正确，本批次未出具');
    await page.goto(`${base}/app/review`);
    await page.click('details.approve-batch summary');
    await page.fill('details.approve-batch input[name=password]', PASSWORD);
    await shot('04-review-queue-opened');
    // The approval answers at once with the task's progress page; the page refreshes itself until the 11 are issued.
    await Promise.all([page.waitForURL(/\/app\/tasks\/[\w-]+$/), page.click('details.approve-batch button.primary')]);
    await shot('06-approve-progress');
    await page.waitForSelector('#task[data-status="finished"]', { timeout: 380_000 });
    expect(await page.textContent('#done')).toBe('11');
    await shot('06-approve-done');
    await page.click('#task a.button.primary');
    await page.waitForURL(/\/app\/letters\?batch=/);
    expect(await page.$$('#letters tbody tr')).toHaveLength(11);
    await shot('06-letters');
  }, 400_000);

  it('the batch ZIP holds the 11 PDFs and an index of them', async () => {
    const zipUrl = await page.getAttribute('a[href$="letters.zip"]', 'href');
    const zip = unzipSync(new Uint8Array(await (await context.request.get(`${base}${zipUrl}`)).body()));
    const pdfs = Object.keys(zip).filter((n) => n.endsWith('.pdf'));
    expect(pdfs).toHaveLength(11);
    const index = [...readXlsx(zip['函件清单.xlsx']!, DEFAULT_LIMITS).values()];
    expect(index[0]).toEqual(['函号', '合同编号', '债务人', '金额合计（元）', '履行期限', '核验码', '状态']);
    expect(index).toHaveLength(12);
    const first = index[1]!;
    expect(first[2]).toMatch(/^\S\*+\S?$/);
    expect(first[4]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const text = (await readPdf(Buffer.from(zip[`${first[0]!.replace(/[\\/:*?"<>|]/g, '_')}.pdf`]!))).lines
      .map((l) => l.text)
      .join('');
    expect(text).toContain('律师函');
    expect(text).toContain(first[1]!);
    ids.number = first[0]!;
    ids.code = first[5]!;
  });

  it('voids a letter with a reason; the public verification page says 作废', async () => {
    await page.goto(`${base}/app/letters?q=${encodeURIComponent(ids.number!)}`);
    await page.click('details.void summary');
    await page.fill('details.void input[name=reason]', '债务人已于出具当日全额还款');
    await page.click('details.void button');
    await page.waitForLoadState();
    expect(await page.textContent('#letters')).toContain('已作废');
    await page.goto(
      `${base}/v1/verify?number=${encodeURIComponent(ids.number!)}&code=${encodeURIComponent(ids.code!)}`,
    );
    expect(await page.textContent('body')).toContain('作废');
    await shot('07-verify-void');
  });

  it('refuses a POST without the CSRF token (403), and shows nothing of another organisation', async () => {
    const letterId = (await (await context.request.get(`${base}/app/letters`)).text()).match(
      /\/app\/letters\/([\w-]+)\/pdf/,
    )![1]!;
    const r = await context.request.post(`${base}/app/letters/${letterId}/void`, {
      form: { reason: '没有令牌的请求' },
    });
    expect(r.status()).toBe(403);
    expect(await r.text()).toContain('CSRF');
    const batch = await context.request.post(`${base}/app/review/batch/x/approve`, { form: {} });
    expect(batch.status()).toBe(403);
    await page.goto(`${base}/app/letters`);
    await page.click('.who button');
    await signIn('other');
    await page.goto(`${base}/app/letters`);
    expect(await page.$$('#letters tbody tr')).toHaveLength(0);
    expect((await context.request.get(`${base}/app/letters/${letterId}/pdf`)).status()).toBe(404);
    expect((await context.request.get(`${batchUrl}`)).status()).toBe(404);
  });

  it('settings: an admin adds a key, shown once', async () => {
    await page.goto(`${base}/app/letters`);
    await page.click('.who button');
    await signIn('admin');
    await page.goto(`${base}/app/settings`);
    await page.click('text=新建密钥');
    await page.check('input[name=scopes][value=read]');
    await page.click('form[action="/app/settings/keys"] button');
    await page.waitForLoadState();
    expect(await page.textContent('#new-key')).toMatch(/^hj_/);
    await shot('08-settings');
    await page.goto(`${base}/app/settings`);
    expect(await page.$('#new-key')).toBeNull();
  });

  it('settings: an admin uploads the seal, sees it on a specimen letter marked 样本, and a non-PNG is refused in Chinese', async () => {
    await page.goto(`${base}/app/settings#seal`);
    await page.setInputFiles('input[name=seal]', {
      name: '印章.jpg',
      mimeType: 'image/png',
      buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]),
    });
    await page.click('form[action="/app/settings/seal"] button.primary');
    await page.waitForLoadState();
    expect(await page.textContent('#seal .alert.bad')).toContain('不是 PNG');
    await page.setInputFiles('input[name=seal]', {
      name: '本所公章.png',
      mimeType: 'image/png',
      buffer: sealPng(480, 10),
    });
    await page.click('form[action="/app/settings/seal"] button.primary');
    await page.waitForLoadState();
    expect(await page.textContent('#seal .alert.ok')).toContain('印章已上传');
    expect(await page.$eval('img.seal-img', (img) => (img as HTMLImageElement).naturalWidth)).toBe(480);
    const specimenUrl = await page.getAttribute('.specimen object', 'data');
    const specimen = await context.request.get(`${base}${specimenUrl}`);
    const text = (await readPdf(Buffer.from(await specimen.body()))).lines.map((l) => l.text).join('');
    expect(text).toContain('印章预览');
    expect(text).toContain('北京某某律师事务所');
    await page.$eval('#seal', (el) => el.scrollIntoView());
    await shot('09-settings-seal');
  });
});
