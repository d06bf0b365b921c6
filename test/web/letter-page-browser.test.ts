/**
 * A letter's life in Chromium, as an assistant does it: the 函件 list with states and counts,
 * a letter's page, dispatch with a tracking number, refusal, a payment, the list filtered by
 * state, the evidence package downloaded. Screenshots go to test-output/web/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { requirePrograms } from '../support/system-programs.js';
import { openBrowser, type TestBrowser } from './browser.js';
import { approveAs, PASSWORD, pendingRequests, setUpFirm } from './fixture.js';

const skipped = requirePrograms('chromium');
const SHOTS = join(ROOT, 'test-output', 'web');
let s: TestServer;
let page: Page;
let browser: TestBrowser | undefined;
let base: string;
const ids: Record<string, string> = {};
const numbers: string[] = [];

beforeAll(async () => {
  if (skipped) return;
  mkdirSync(SHOTS, { recursive: true });
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
    const requestIds = await pendingRequests(dir, ids, 2);
    for (const letter of await approveAs(dir, ids, { requestIds })) numbers.push(letter.number);
  });
  base = s.url.replace('127.0.0.1', 'localhost');
  browser = await openBrowser();
  ({ page } = browser);
});

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

const count = async (state: string) => Number(await page.textContent(`.state-counts a[data-state="${state}"] .count`));

describe.skipIf(skipped)("a letter's life in Chromium", () => {
  it('an assistant dispatches, records a refusal and a payment from the letter page; the list shows the states', async () => {
    await page.goto(`${base}/app/signin`);
    await page.fill('input[name=login]', 'zhaoliu');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button.primary');
    await page.waitForLoadState();
    await page.goto(`${base}/app/letters`);
    expect(await count('issued')).toBe(2);
    expect(await count('refused')).toBe(0);
    await page.click(`tr[data-number="${numbers[0]}"] a:has-text("${numbers[0]}")`);
    await page.waitForLoadState();
    expect(await page.textContent('#state')).toBe('已出具');
    await page.screenshot({ path: join(SHOTS, 'letter-01-issued.png'), fullPage: true });

    await page.selectOption('#dispatch select[name=channel]', 'ems');
    await page.fill('#dispatch input[name=trackingNo]', 'EA123456789CN');
    await page.click('#dispatch button');
    await page.waitForLoadState();
    expect(await page.textContent('#state')).toBe('已交寄');
    expect(await page.textContent('#events')).toContain('运单号 EA123456789CN');

    await page.selectOption('#arrival select[name=type]', 'refused');
    await page.fill('#arrival input[name=note]', '收件人拒收');
    await page.click('#arrival button');
    await page.waitForLoadState();
    expect(await page.textContent('#state')).toBe('拒收');

    await page.fill('#payment input[name=amount]', '50.00');
    await page.click('#payment button');
    await page.waitForLoadState();
    expect(await page.textContent('#paid')).toContain('50.00');
    expect(await page.textContent('#events')).toContain('还款：50.00 元');
    await page.screenshot({ path: join(SHOTS, 'letter-02-refused-paid.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#evidence')]);
    const files = Object.keys(unzipSync(new Uint8Array(readFileSync((await download.path())!))));
    expect(files.some((f) => f.endsWith('.pdf'))).toBe(true);

    await page.goto(`${base}/app/letters`);
    expect(await count('refused')).toBe(1);
    expect(await count('issued')).toBe(1);
    expect(await page.textContent(`tr[data-number="${numbers[0]}"]`)).toContain('拒收');
    await page.click('.state-counts a[data-state="refused"]');
    await page.waitForLoadState();
    expect(await page.locator('table#letters tbody tr').count()).toBe(1);
    expect(page.url()).toContain('state=refused');
    await page.screenshot({ path: join(SHOTS, 'letter-03-list-refused.png'), fullPage: true });
  });
});
