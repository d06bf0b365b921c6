/**
 * A client's own export in Chromium (issue 29 §3): its 放款日期 instead of 合同日期, an unpaid
 * interest column 未还利息(元) the template does not have, and a 客户经理 column. The import stops
 * at the column mapping step; the assistant maps 未还利息(元) to 逾期利息 and 放款日期 to 合同日期,
 * and leaves 客户经理 out; every row's total includes the unpaid interest. The client's next file
 * goes straight through with the same choices. Screenshots go to test-output/web/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx } from '../../src/imports/index.js';
import { addDays } from '../../src/pipeline/schema/dates.js';
import { ROOT } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { requirePrograms } from '../support/system-programs.js';
import { openBrowser, type TestBrowser } from './browser.js';
import { PASSWORD, setUpFirm, today } from './fixture.js';

const skipped = requirePrograms('chromium');
const SHOTS = join(ROOT, 'test-output', 'web');
let s: TestServer;
let page: Page;
let browser: TestBrowser | undefined;
let base: string;
const ids: Record<string, string> = {};

const HEADER = [
  '客户姓名',
  '身份证号码',
  '手机号码',
  '联系地址',
  '借款合同编号',
  '产品名称',
  '放款日期',
  '到期日',
  '剩余本金',
  '利息',
  '未还利息(元)',
  '近12个月逾期次数',
  '催告函日期',
  '催告函还款期限',
  '催告函已送达',
  '客户经理',
];

/** The client's export: `n` rows from contract number `from`, each with 6.31 of unpaid interest. */
function clientExport(n: number, from: number): Uint8Array {
  const rows = Array.from({ length: n }, (_, i) => [
    ['张三', '李小红', '王建国', '赵敏', '孙悦'][i % 5]!,
    '110105199003071239',
    '13800138000',
    '北京市朝阳区某某街道某某小区3号楼2单元501室',
    `BT2025-${String(from + i).padStart(6, '0')}`,
    '白条',
    addDays(today, -400),
    addDays(today, -60),
    `${12000 + i * 100}.00`,
    '360.00',
    '6.31',
    '2',
    addDays(today, -20),
    addDays(today, -13),
    '是',
    '王经理',
  ]);
  return writeXlsx({ name: '逾期客户明细', header: HEADER, rows });
}

beforeAll(async () => {
  if (skipped) return;
  mkdirSync(SHOTS, { recursive: true });
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
  });
  base = s.url.replace('127.0.0.1', 'localhost');
  browser = await openBrowser();
  ({ page } = browser);
  await page.goto(`${base}/app/signin`);
  await page.fill('input[name=login]', 'zhaoliu');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button.primary');
  await page.waitForURL(/\/app\/import$/);
});

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

async function upload(bytes: Uint8Array, name: string): Promise<void> {
  await page.goto(`${base}/app/import`);
  await page.fill('input[name=bank]', '中国工商银行北京某某支行');
  await page.fill('input[name=accountNo]', '0200001234567890123');
  await page.setInputFiles('input[type=file]', {
    name,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(bytes),
  });
  await page.click('form[enctype] button.primary');
  await page.waitForURL(/\/app\/import\/(columns\/)?[\w-]+$/);
}

const totals = () => page.$$eval('tr.accepted td:nth-child(4)', (tds) => tds.map((td) => td.textContent!.trim()));

describe.skipIf(skipped)("a client's own export through the column mapping step", () => {
  it('stops at the mapping step; the unpaid interest is mapped and every total includes it', async () => {
    await upload(clientExport(5, 1), '某某科技-逾期客户明细.xlsx');
    expect(page.url()).toMatch(/\/app\/import\/columns\/[\w-]+$/);
    expect(await page.textContent('#amount-warning')).toContain('金额列须逐一确认');
    expect(await page.textContent('#missing')).toContain('合同日期');
    const select = (h: string) => `tr[data-header="${h}"] select`;
    // Suggested from the synonyms: 放款日期 fills the missing 合同日期; 客户经理 is not imported unless chosen.
    expect(await page.$eval(select('放款日期'), (e) => (e as HTMLSelectElement).value)).toBe('account.contractDate');
    expect(await page.$eval(select('客户经理'), (e) => (e as HTMLSelectElement).value)).toBe('ignore');
    expect(await page.$eval(select('未还利息(元)'), (e) => (e as HTMLSelectElement).value)).toBe('debt.interest');
    await page.selectOption(select('未还利息(元)'), 'debt.overdueInterest');
    await page.screenshot({ path: join(SHOTS, '10-import-columns.png'), fullPage: true });
    await Promise.all([page.waitForURL(/\/app\/import\/[\w-]{36}$/), page.click('#columns button.primary')]);
    expect(await page.textContent('#mapped')).toContain('未还利息(元) → 逾期利息');
    expect(await page.textContent('#mapped')).toContain('放款日期 → 合同日期');
    expect(await page.textContent('#ignored')).toContain('客户经理');
    // 剩余本金 + 利息 + 未还利息(元): 12000.00 + 360.00 + 6.31, and so on down the rows.
    expect(await totals()).toEqual(['12366.31', '12466.31', '12566.31', '12666.31', '12766.31']);
    await page.screenshot({ path: join(SHOTS, '11-import-mapped-result.png'), fullPage: true });
  });

  it("the client's next file is read with the same mapping, without asking", async () => {
    await upload(clientExport(2, 101), '某某科技-逾期客户明细-第二批.xlsx');
    expect(page.url()).not.toContain('/columns/');
    expect(await page.textContent('#mapped')).toContain('未还利息(元) → 逾期利息');
    expect(await totals()).toEqual(['12366.31', '12466.31']);
  });
});
