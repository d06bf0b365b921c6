/**
 * Posting a batch in Chromium: from the batch's letters page an assistant downloads the mailing
 * list and the print file, then uploads the carrier's tracking sheet twice (the tracking numbers,
 * then the results), and the counts per state follow. Screenshots go to test-output/web/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, writeXlsx } from '../../src/imports/index.js';
import { readXlsx } from '../../src/imports/xlsx-read.js';
import { ROOT } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { requirePrograms } from '../support/system-programs.js';
import { openBrowser, type TestBrowser } from './browser.js';
import { approveAs, clientSheet, PASSWORD, setUpFirm, today, webClient } from './fixture.js';

const skipped = requirePrograms('chromium');
const SHOTS = join(ROOT, 'test-output', 'web');
let s: TestServer;
let page: Page;
let browser: TestBrowser | undefined;
let base: string;
let batch = '';
const ids: Record<string, string> = {};
const numbers: string[] = [];

beforeAll(async () => {
  if (skipped) return;
  mkdirSync(SHOTS, { recursive: true });
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
  });
  // The import and the approvals as the other tests do them; this file is about what follows.
  const c = webClient(() => s.url);
  await c.signIn('zhaoliu');
  batch = (await c.upload(clientSheet(3), { engagement: ids.eng! })).headers.get('location')!.split('/').pop()!;
  for (const letter of await approveAs(s.dir, ids)) numbers.push(letter.number);
  base = s.url.replace('127.0.0.1', 'localhost');
  browser = await openBrowser();
  ({ page } = browser);
});

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

const count = async (state: string) => Number(await page.textContent(`.state-counts a[data-state="${state}"] .count`));
const download = async (selector: string) => {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return new Uint8Array(readFileSync((await d.path())!));
};
const uploadSheet = async (rows: string[][]) => {
  const file = join(browser!.profile, `tracking-${Date.now()}.xlsx`);
  writeFileSync(
    file,
    writeXlsx({ name: '运单', header: ['函号', '邮件号', '收寄日期', '投递结果', '妥投日期'], rows }),
  );
  await page.click('details.tracking summary');
  await page.setInputFiles('#tracking input[type=file]', file);
  await page.click('#tracking button');
  await page.waitForLoadState();
};

describe.skipIf(skipped)('posting a batch in Chromium', () => {
  it('mailing list, print file, tracking numbers and then results, from the batch page', async () => {
    await page.goto(`${base}/app/signin`);
    await page.fill('input[name=login]', 'zhaoliu');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button.primary');
    await page.waitForLoadState();
    await page.goto(`${base}/app/letters?batch=${batch}`);
    expect(await count('issued')).toBe(3);

    const list = [...readXlsx(await download('#mailing-list'), DEFAULT_LIMITS).values()];
    expect(list.slice(1).map((r) => r[6])).toEqual(numbers);
    const print = await PDFDocument.load(await download('#print-file'));
    expect(print.getPageCount() % 2).toBe(0);
    expect(print.getPageCount()).toBeGreaterThanOrEqual(3);

    await uploadSheet(numbers.map((n, i) => [n, `EA10000000${i}CN`, today, '', '']));
    expect(await page.textContent('#tracked')).toContain('记录 3 项');
    expect(await count('dispatched')).toBe(3);

    const results = ['妥投', '拒收', '未知'];
    await uploadSheet(numbers.map((n, i) => [n, `EA10000000${i}CN`, today, results[i]!, today]));
    expect(await page.textContent('h1')).toContain('运单表未导入');
    expect(await page.textContent('#failures')).toContain('投递结果“未知”无法识别');
    await page.screenshot({ path: join(SHOTS, 'posting-01-tracking-refused.png'), fullPage: true });

    await page.goto(`${base}/app/letters?batch=${batch}`);
    expect(await count('dispatched')).toBe(3);
    await uploadSheet(numbers.map((n, i) => [n, `EA10000000${i}CN`, today, ['妥投', '拒收', '退回'][i]!, today]));
    expect(await count('delivered')).toBe(1);
    expect(await count('refused')).toBe(1);
    expect(await count('returned')).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'posting-02-states.png'), fullPage: true });
  });
});
