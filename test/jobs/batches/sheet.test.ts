/**
 * Issue 15, "JSON lines or XLSX upload": POST /v1/batches with a real XLSX workbook (written by
 * the importer's own writer, the columns of the workspace's template). The sender is the key's
 * organisation, the payment channel and kind come from the query; bad rows land in /errors with
 * their spreadsheet row and contract number — cells that cannot be read on arrival, named by
 * column, and data the letter schema refuses when the row is worked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../../src/app/library.js';
import { writeXlsx } from '../../../src/imports/index.js';
import { todayInShanghai } from '../../../src/pipeline/schema/dates.js';
import { example } from '../../helpers.js';
import { documentedBy } from '../../http/openapi-helpers.js';
import { startTestServer, type TestServer } from '../../http/server-helper.js';
import { readPdf } from '../../pipeline/pdf/extract.js';
import { readArchive, untilFinished } from './fixtures.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = [
  '债务人姓名',
  '身份证号',
  '手机号',
  '合同编号',
  '产品',
  '合同日期',
  '到期日',
  '本金',
  '利息',
  '逾期利息',
];
const ex = example('reminder');
const row = (contractNo: string, over: Partial<Record<string, string>> = {}) => {
  const cells: Record<string, string> = {
    债务人姓名: '张三',
    身份证号: ex.debtor.idNumber,
    手机号: ex.debtor.phone,
    合同编号: contractNo,
    产品: '白条',
    合同日期: '2025/3/15',
    到期日: '2026年11月17日',
    本金: '¥3,200.00',
    利息: '48',
    逾期利息: '4.8',
    ...over,
  };
  return HEADER.map((h) => cells[h]!);
};
/** Spreadsheet rows 2…7: good, good, an amount that is not one, a contract number twice, an ID that fails its checksum, good. */
const SHEET = writeXlsx({
  name: '债务清单',
  header: HEADER,
  rows: [
    row('XL-1'),
    row('XL-2'),
    row('XL-3', { 本金: '三千二' }),
    row('XL-1'),
    row('XL-4', { 身份证号: '310115198511200021' }),
    row('XL-5'),
  ],
});
const CHANNEL = `accountNo=0200001234567890123&bank=${encodeURIComponent('中国工商银行北京某某支行')}&contractType=loan`;

let s: TestServer;
let key = '';
beforeAll(async () => {
  s = await startTestServer({ production: false }, async (dir) => {
    const reg = openRegistry({ db: `${dir}/hanjian.db` });
    const org = await reg.orgs.addOrg(
      {
        kind: 'creditor',
        name: ex.creditor.name,
        creditCode: ex.creditor.creditCode,
        address: ex.creditor.address,
        phone: ex.creditor.phone,
      },
      'test',
    );
    key = (await reg.orgs.addKey({ orgId: org.id, scopes: ['read', 'issue:reminder'] }, 'test')).key;
    await reg.close();
  });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

let checked: ReturnType<typeof documentedBy> | undefined;
const documented = (operationId: string, r: Response) => (checked ??= documentedBy(s))(operationId, r);
const upload = (bytes: Uint8Array, query: string) =>
  s.call('POST', `/v1/batches?${query}`, { raw: bytes, type: XLSX, key });

describe('POST /v1/batches with an XLSX sheet', () => {
  it('issues a letter per good row; bad rows are in /errors with their spreadsheet row, contract number and column', async () => {
    const r = await upload(SHEET, `kind=reminder&${CHANNEL}&demandDays=10`);
    expect(r.status, await r.clone().text()).toBe(202);
    const { id, total } = (await documented('createBatch', r)) as { id: string; total: number };
    expect(total).toBe(6);
    const p = await untilFinished(() => s.call('GET', `/v1/batches/${id}`, { key }));
    expect(p).toMatchObject({ status: 'finished', done: 3, failed: 3 });

    const { errors } = (await documented(
      'listBatchErrors',
      await s.call('GET', `/v1/batches/${id}/errors`, { key }),
    )) as {
      errors: {
        row: number;
        contractNo: string;
        problem: { code: string; detail: string; issues: { path: string; message: string }[] };
      }[];
    };
    expect(errors.map((e) => [e.row, e.contractNo, e.problem.code])).toEqual([
      [4, 'XL-3', 'INVALID_INPUT'],
      [5, 'XL-1', 'INVALID_INPUT'],
      [6, 'XL-4', 'INVALID_INPUT'],
    ]);
    expect(errors[0]!.problem.issues).toEqual([
      expect.objectContaining({ path: '本金', message: expect.stringContaining('不是金额') }),
    ]);
    expect(errors[0]!.problem.detail).toContain('第 4 行（合同编号 XL-3）');
    expect(errors[1]!.problem.issues).toEqual([
      expect.objectContaining({ path: '合同编号', message: '与第 2 行的合同编号重复' }),
    ]);
    // Read fine, refused by the letter schema when worked: the letter field is named.
    expect(errors[2]!.problem.issues!.map((i) => i.path)).toContain('debtor.idNumber');

    const { files, index } = readArchive(
      new Uint8Array(await (await s.call('GET', `/v1/batches/${id}/archive`, { key })).arrayBuffer()),
    );
    const issued = index.filter((x) => x.status === 'issued');
    expect(issued.map((x) => [x.row, x.contract_no])).toEqual([
      ['2', 'XL-1'],
      ['3', 'XL-2'],
      ['7', 'XL-5'],
    ]);
    // The sheet's cells as the letter prints them: Excel-style dates and money read, the sender and channel from the request.
    const text = (await readPdf(Buffer.from(files[issued[0]!.file]!))).lines.map((l) => l.text).join('');
    for (const expected of [
      issued[0]!.number,
      'XL-1',
      '张三',
      '3,200.00',
      ex.creditor.name,
      '0200001234567890123',
      todayInShanghai().slice(0, 4),
    ])
      expect(text).toContain(expected);
  }, 240_000);

  it('refuses, naming the parameter or the file: no kind, a kind this mode cannot issue, no payment channel, bad days; not a workbook; missing columns', async () => {
    expect(await documented('createBatch', await upload(SHEET, CHANNEL))).toMatchObject({
      status: 422,
      code: 'INVALID_INPUT',
      issues: [{ path: 'kind' }],
    });
    expect(await documented('createBatch', await upload(SHEET, `kind=lawyer-letter&${CHANNEL}`))).toMatchObject({
      status: 422,
      issues: [{ path: 'kind' }],
    });
    expect(await documented('createBatch', await upload(SHEET, 'kind=demand&online=app'))).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await documented('createBatch', await upload(SHEET, 'kind=reminder'))).toMatchObject({
      status: 422,
      issues: [{ path: 'accountNo' }],
    });
    expect(await documented('createBatch', await upload(SHEET, `kind=reminder&${CHANNEL}&demandDays=0`))).toMatchObject(
      { status: 422, issues: [{ path: 'demandDays' }] },
    );
    expect(
      await documented(
        'createBatch',
        await upload(new TextEncoder().encode('债务人姓名,合同编号\n张三,X\n'), `kind=reminder&${CHANNEL}`),
      ),
    ).toMatchObject({ status: 422, code: 'XLSX_UNREADABLE' });
    const partial = writeXlsx({ name: 'x', header: ['债务人姓名', '合同编号'], rows: [['张三', 'X-1']] });
    const missing = await documented('createBatch', await upload(partial, `kind=reminder&${CHANNEL}`));
    expect(missing).toMatchObject({ status: 422, code: 'COLUMNS_MISSING' });
    expect(missing.detail).toContain('身份证号');
    // mode=request names its engagement.
    expect(
      await documented(
        'createBatch',
        await s.call('POST', `/v1/batches?mode=request&${CHANNEL}`, { raw: SHEET, type: XLSX }),
      ),
    ).toMatchObject({ status: 422, issues: [{ path: 'engagement' }] });
  });

  it("never drops an unrecognised amount column silently: refused naming it until the columns parameter maps or ignores it; a mapped one adds to the letter's total", async () => {
    const header = [...HEADER, '未还利息(元)', '客户经理'];
    // A contract of its own per upload: a second reminder for one contract on one day is refused.
    const sheetOf = (contractNo: string) =>
      writeXlsx({ name: '客户导出', header, rows: [[...row(contractNo), '6.31', '王经理']] });
    const sheet = sheetOf('XL-M1');
    const refused = await documented('createBatch', await upload(sheet, `kind=reminder&${CHANNEL}`));
    expect(refused).toMatchObject({ status: 422, code: 'COLUMNS_UNDECIDED', issues: [{ path: 'columns' }] });
    expect(refused.detail).toContain('未还利息(元)');
    expect(refused.detail).not.toContain('客户经理'); // not an amount: left out as before
    const bad = await upload(
      sheet,
      `kind=reminder&${CHANNEL}&columns=${encodeURIComponent('{"未还利息(元)":"debt.nothing"}')}`,
    );
    expect(await documented('createBatch', bad)).toMatchObject({ status: 422, issues: [{ path: 'columns' }] });
    expect(await documented('createBatch', await upload(sheet, `kind=reminder&${CHANNEL}&columns=%5B`))).toMatchObject({
      status: 422,
      issues: [{ path: 'columns' }],
    });

    const ignored = await upload(
      sheet,
      `kind=reminder&${CHANNEL}&columns=${encodeURIComponent('{"未还利息(元)":"ignore"}')}`,
    );
    expect(ignored.status, await ignored.clone().text()).toBe(202);

    const mapped = await upload(
      sheetOf('XL-M2'),
      `kind=reminder&${CHANNEL}&columns=${encodeURIComponent('{"未还利息（元）":"debt.interest"}')}`,
    );
    expect(mapped.status, await mapped.clone().text()).toBe(202);
    const { id } = (await mapped.json()) as { id: string };
    const finished = await untilFinished(() => s.call('GET', `/v1/batches/${id}`, { key }));
    const errors = await (await s.call('GET', `/v1/batches/${id}/errors`, { key })).text();
    expect(finished, errors).toMatchObject({ done: 1, failed: 0 });
    const { files, index } = readArchive(
      new Uint8Array(await (await s.call('GET', `/v1/batches/${id}/archive`, { key })).arrayBuffer()),
    );
    const text = (await readPdf(Buffer.from(files[index[0]!.file]!))).lines.map((l) => l.text).join('');
    // 3,200.00 + 48.00 + 6.31 (the client's own interest column, added to 利息) + 4.80.
    expect(text).toContain('3,259.11');
  }, 240_000);
});
