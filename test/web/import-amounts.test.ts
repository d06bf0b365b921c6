/**
 * A column the import does not recognise is never dropped silently: the upload stops at the
 * column mapping step, where each such column is mapped to a field or explicitly not imported
 * (an amount column has no default); the choice is kept per client and reused on its next file,
 * and a missing required column can be supplied by the client's own (放款日期 → 合同日期).
 * Full-width digits are read, and the change shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS, writeXlsx } from '../../src/imports/index.js';
import { addDays } from '../../src/pipeline/schema/dates.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { setUpFirm, today, webClient } from './fixture.js';

let s: TestServer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
  });
});
afterAll(async () => {
  await s?.close();
});

/** One valid row of ours (without the columns in `drop`), plus the client's own columns. */
function sheet(extra: Record<string, string>, over: Record<string, string> = {}, drop: string[] = []): Uint8Array {
  const v: Record<string, string> = {
    债务人姓名: '张三',
    身份证号: '110105199003071239',
    手机号: '13800138000',
    地址: '北京市朝阳区某某街道某某小区3号楼2单元501室',
    合同编号: 'BT2025-000001',
    产品: '白条',
    合同日期: addDays(today, -400),
    到期日: addDays(today, -60),
    本金: '12000.00',
    利息: '360.00',
    近12个月逾期次数: '2',
    催告函日期: addDays(today, -20),
    催告函还款期限: addDays(today, -13),
    催告函已送达: '是',
    ...over,
  };
  const ours = COLUMNS.filter((c) => !drop.includes(c.header));
  return writeXlsx({
    name: '逾期清单',
    header: [...ours.map((c) => c.header), ...Object.keys(extra)],
    rows: [[...ours.map((c) => v[c.header] ?? ''), ...Object.values(extra)]],
  });
}

describe('the column mapping step', () => {
  const c = webClient(() => s.url);
  const upload = (bytes: Uint8Array, fields: Record<string, string> = {}) =>
    c.upload(bytes, { engagement: ids.eng!, ...fields }, 'client.xlsx');
  const choose = async (url: string, choices: Record<string, string>) => {
    const html = await (await c.get(url)).text();
    const body = new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]! });
    for (const [header, target] of Object.entries(choices)) {
      const m = new RegExp(`data-header="${header.replace(/[()]/g, '\\$&')}"[\\s\\S]*?name="(col\\.\\d+)"`).exec(html);
      body.set(m![1]!, target);
    }
    return c.post(url, body);
  };

  it('stops at the mapping step for unknown columns; an amount without a suggestion must be chosen; the total includes the mapped one', async () => {
    expect((await c.signIn('zhaoliu')).status).toBe(303);
    const cols = { '未还利息(元)': '6.31', '代偿金额(元)': '100.00', 客户经理: '王经理' };
    const r = await upload(sheet(cols, {}, ['逾期利息']));
    expect(r.status).toBe(303);
    const url = r.headers.get('location')!;
    expect(url).toMatch(/^\/app\/import\/columns\/[\w-]+$/);
    const html = await (await c.get(url)).text();
    expect(html).toContain('其中 2 列看起来是金额');
    // Suggested from the synonyms: 未还利息 is the 利息 still owed (added to the sheet's 利息 column).
    expect(html).toMatch(
      /data-header="未还利息\(元\)"[\s\S]*?value="debt.interest" selected>利息（与表中“利息”列相加）/,
    );
    // An amount nothing suggests has no default; 客户经理 defaults to 不导入.
    expect(html).toMatch(/data-header="代偿金额\(元\)"[\s\S]*?<option value="" selected>请选择…<\/option>/);
    expect(html).toMatch(/data-header="客户经理"[\s\S]*?<option value="ignore" selected>/);
    const unchosen = await choose(url, {
      '未还利息(元)': 'debt.overdueInterest',
      '代偿金额(元)': '',
      客户经理: 'ignore',
    });
    expect(unchosen.status).toBe(422);
    expect(await unchosen.text()).toContain('请为“代偿金额(元)”选择对应的字段');
    const done = await choose(url, {
      '未还利息(元)': 'debt.overdueInterest',
      '代偿金额(元)': 'ignore',
      客户经理: 'ignore',
    });
    expect(done.status).toBe(303);
    const page = await (await c.get(done.headers.get('location')!)).text();
    expect(page).toContain('按列对应读入：未还利息(元) → 逾期利息');
    expect(page).toContain('以下列按列对应不导入（不计入函件）：代偿金额(元)、客户经理');
    expect(page).toMatch(/class="accepted"/);
    expect(page).toContain('12366.31'); // 12000.00 + 360.00 + 6.31
    // The upload waiting for the mapping is gone once imported.
    expect((await c.get(url)).status).toBe(404);
  });

  it("the client's next file is imported with the same choices without asking", async () => {
    const r = await upload(
      sheet({ '未还利息(元)': '10.00', '代偿金额(元)': '0', 客户经理: '李经理' }, { 合同编号: 'BT2025-000002' }, [
        '逾期利息',
      ]),
    );
    expect(r.headers.get('location')).toMatch(/^\/app\/import\/[\w-]+$/);
    const page = await (await c.get(r.headers.get('location')!)).text();
    expect(page).toContain('按列对应读入：未还利息(元) → 逾期利息');
    expect(page).toContain('12370.00');
    // …unless the user asks to see the mapping again: the saved choices come preselected.
    const again = await upload(
      sheet({ '未还利息(元)': '10.00', 客户经理: '李经理' }, { 合同编号: 'BT2025-000003' }, ['逾期利息']),
      { remap: 'on' },
    );
    const html = await (await c.get(again.headers.get('location')!)).text();
    expect(html).toMatch(
      /data-header="未还利息\(元\)"[\s\S]*?上次：逾期利息[\s\S]*?value="debt.overdueInterest" selected/,
    );
  });

  it('a column added to an amount already in the sheet is summed; a field that takes one column refuses a second', async () => {
    const r = await upload(sheet({ 未还罚息: '1.50', 放款日期: addDays(today, -400) }, { 合同编号: 'BT2025-000004' }));
    const url = r.headers.get('location')!;
    const html = await (await c.get(url)).text();
    // 逾期利息 is in the sheet: mapping 未还罚息 to it adds the two; 合同日期 is there too, so it cannot take 放款日期.
    expect(html).toContain('与表中“逾期利息”列相加');
    expect(html).toMatch(/value="account.contractDate" disabled>合同日期（表中已有此列）/);
    const twice = await choose(url, { 未还罚息: 'debt.overdueInterest', 放款日期: 'account.contractDate' });
    expect(twice.status).toBe(422);
    expect(await twice.text()).toContain('该字段只能取一列');
    const done = await choose(url, { 未还罚息: 'debt.overdueInterest', 放款日期: 'ignore' });
    const page = await (await c.get(done.headers.get('location')!)).text();
    expect(page).toContain('12361.50');
  });

  it('a missing required column is supplied by the client’s own: 放款日期 → 合同日期', async () => {
    const r = await upload(sheet({ 放款日期: addDays(today, -400) }, { 合同编号: 'BT2025-000005' }, ['合同日期']));
    const url = r.headers.get('location')!;
    const html = await (await c.get(url)).text();
    expect(html).toContain('表中没有必填列：合同日期');
    // The synonym suggests it.
    expect(html).toMatch(/data-header="放款日期"[\s\S]*?value="account.contractDate" selected/);
    const ignored = await choose(url, { 放款日期: 'ignore' });
    expect(ignored.status).toBe(422);
    expect(await ignored.text()).toContain('还缺少必填字段：合同日期');
    const done = await choose(url, { 放款日期: 'account.contractDate' });
    const page = await (await c.get(done.headers.get('location')!)).text();
    expect(page).toMatch(/class="accepted"/);
  });

  it('another user cannot open an upload waiting for its mapping', async () => {
    const r = await upload(sheet({ 备注: 'x' }, { 合同编号: 'BT2025-000006' }));
    const url = r.headers.get('location')!;
    const other = webClient(() => s.url);
    await other.signIn('admin');
    expect((await other.get(url)).status).toBe(404);
  });

  it('full-width digits are read, and the change shown', async () => {
    const r = await upload(sheet({}, { 本金: '１２０００．００', 合同编号: 'BT2025-000007' }));
    expect(r.status).toBe(303);
    const page = await (await c.get(r.headers.get('location')!)).text();
    expect(page).toContain('全角字符已转为半角：“１２０００．００” → “12000.00”');
    expect(page).toMatch(/class="accepted"/);
  });
});
