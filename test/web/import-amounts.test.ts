/**
 * An amount column the import does not recognise (未还利息(元)) is never dropped silently: the
 * upload is refused naming it, unless the user ticks that such columns are not part of the debt;
 * an unrecognised column that is not money (客户经理) is only reported, as before.
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

/** One valid row of ours, plus the client's own columns. */
function sheet(extra: Record<string, string>, over: Record<string, string> = {}): Uint8Array {
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
  return writeXlsx({
    name: '逾期清单',
    header: [...COLUMNS.map((c) => c.header), ...Object.keys(extra)],
    rows: [[...COLUMNS.map((c) => v[c.header] ?? ''), ...Object.values(extra)]],
  });
}

describe('unrecognised amount columns', () => {
  const c = webClient(() => s.url);
  const upload = async (bytes: Uint8Array, fields: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({
      _csrf: await c.csrf('/app/import'),
      engagement: ids.eng!,
      online: '某某APP—我的—立即还款',
      demandDays: '7',
      delivery: 'ems',
      contractType: 'loan',
      ...fields,
    }))
      form.append(k, v);
    form.append('file', new Blob([new Uint8Array(bytes)]), 'client.xlsx');
    return c.post('/app/import', form);
  };

  it('refuses the file naming the amount column; accepts it once the user says it is not part of the debt', async () => {
    expect((await c.signIn('zhaoliu')).status).toBe(303);
    const refused = await upload(sheet({ '未还利息(元)': '6.31', 客户经理: '王经理' }));
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('表中有未识别的金额列：未还利息(元)');
    expect(html).not.toContain('金额列：未还利息(元)、客户经理');
    const ticked = await upload(sheet({ '未还利息(元)': '6.31' }), { ignoreAmounts: 'on' });
    expect(ticked.status).toBe(303);
    const page = await (await c.get(ticked.headers.get('location')!)).text();
    expect(page).toContain('以下列未识别，已忽略：未还利息(元)');
  });

  it('a column that is not money is only reported; full-width digits are read, and the change shown', async () => {
    const r = await upload(sheet({ 客户经理: '王经理' }, { 本金: '１２０００．００', 合同编号: 'BT2025-000002' }));
    expect(r.status).toBe(303);
    const page = await (await c.get(r.headers.get('location')!)).text();
    expect(page).toContain('全角字符已转为半角：“１２０００．００” → “12000.00”');
    expect(page).toMatch(/class="accepted"/);
  });
});
