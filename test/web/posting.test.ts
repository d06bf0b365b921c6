/**
 * Posting a batch from the workspace over plain HTTP: the mailing list (交寄清单) as XLSX with
 * 序号 as numbers, the print file (every letter from an odd page, in the mailing list's order),
 * and the carrier's tracking sheet imported twice — first the tracking numbers, then the results
 * with dates — all or nothing, with the problems of each row.
 */
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { printFile } from '../../src/delivery/posting.js';
import { sheetMoment } from '../../src/delivery/tracking.js';
import { DEFAULT_LIMITS, writeXlsx } from '../../src/imports/index.js';
import { readXlsx } from '../../src/imports/xlsx-read.js';
import { postcodeOf } from '../../src/pipeline/facts/envelope.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { approveAs, clientSheet, PASSWORD, setUpFirm, today, webClient } from './fixture.js';

let s: TestServer;
const ids: Record<string, string> = {};
let batch = '';
const numbers: string[] = [];

beforeAll(async () => {
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
  });
  const assistant = webClient(() => s.url);
  expect((await assistant.signIn('zhaoliu')).status).toBe(303);
  const up = await assistant.upload(clientSheet(3), { engagement: ids.eng! });
  expect(up.status, await up.clone().text()).toBe(303);
  batch = up.headers.get('location')!.split('/').pop()!;
  // The batch's order: the rows of the sheet.
  for (const letter of await approveAs(s.dir, ids)) numbers.push(letter.number);
});
afterAll(async () => {
  await s?.close();
});

const tracking = (rows: string[][]) =>
  writeXlsx({ name: '运单', header: ['函号', '运单号', '交寄日期', '投递结果', '结果日期'], rows });

describe('posting a batch', () => {
  const c = webClient(() => s.url);
  const upload = async (bytes: Uint8Array) => {
    const form = new FormData();
    form.append('_csrf', await c.csrf('/app/letters'));
    form.append('batch', batch);
    form.append('file', new Blob([new Uint8Array(bytes)]), 'tracking.xlsx');
    return c.post('/app/letters/tracking', form);
  };

  it('the mailing list: 序号 as numbers, the full addressee, 内件 and 函号 in the batch order', async () => {
    expect((await c.signIn('zhaoliu')).status).toBe(303);
    const page = await (await c.get(`/app/letters?batch=${batch}`)).text();
    expect(page).toContain(`/app/batches/${batch}/print.pdf`);
    expect(page).toContain(`/app/batches/${batch}/mailing-list.xlsx`);
    // The import's result page leads to the batch's letters (print file, mailing list, tracking sheet).
    expect(await (await c.get(`/app/import/${batch}`)).text()).toContain(`href="/app/letters?batch=${batch}"`);
    // The page says which envelope the letters go in: these are of versions before the window block.
    expect(page).toMatch(/\d+ 封未印窗口地址/);
    expect(page).not.toContain('适用DL');
    const r = await c.get(`/app/batches/${batch}/mailing-list.xlsx`);
    expect(r.status).toBe(200);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const rows = [...readXlsx(bytes, DEFAULT_LIMITS).values()];
    expect(rows[0]).toEqual(['序号', '收件人', '地址', '邮编', '电话', '内件', '函号']);
    expect(rows.slice(1).map((x) => x[6])).toEqual(numbers);
    expect(rows[1]!.slice(0, 2)).toEqual(['1', '张三']);
    expect(rows[1]![2]).toContain('北京市朝阳区');
    expect(rows[1]![4]).toBe('13800138000');
    expect(rows[1]![5]).toBe('律师函');
    // 序号 is a number cell (no t="inlineStr"), the phone a text cell.
    const xml = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']!);
    expect(xml).toMatch(/<c r="A2" s="3"><v>1<\/v><\/c>/);
    expect(xml).toMatch(/<c r="E2" s="2" t="inlineStr">/);
  });

  it('the print file: the letters in the mailing order, each from an odd page', async () => {
    const r = await c.get(`/app/batches/${batch}/print.pdf`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/pdf');
    const merged = await PDFDocument.load(new Uint8Array(await r.arrayBuffer()));
    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    let expected = 0;
    try {
      for (const n of numbers) {
        const [rec] = await reg.letters.byNumber(n);
        const { pdf } = await reg.letters.pdf(rec!.id, ids.firm);
        const pages = (await PDFDocument.load(new Uint8Array(pdf))).getPageCount();
        expected += pages + (pages % 2);
      }
    } finally {
      await reg.close();
    }
    expect(merged.getPageCount()).toBe(expected);
    expect(merged.getPageCount() % 2).toBe(0);
  });

  it('a tracking sheet with one bad row records nothing and names every bad row', async () => {
    const r = await upload(
      tracking([
        [numbers[0]!, 'EA000000001CN', today, '', ''],
        [numbers[1]!, '运单', today, '', ''],
        ['（2026）京某律函字第9999号', 'EA000000009CN', '', '', ''],
      ]),
    );
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toMatch(/data-row="3"[\s\S]*运单号“运单”/);
    expect(html).toMatch(/data-row="4"[\s\S]*没有出具过函号/);
    expect(html).not.toContain('data-row="2"');
    const list = await (await c.get('/app/letters')).text();
    expect(list).toMatch(/data-state="dispatched"[^>]*>[^<]*<span class="count">0</);
  });

  it('records the tracking numbers, then the results with dates; the same sheet again changes nothing', async () => {
    const first = tracking(numbers.map((n, i) => [n, `EA00000000${i}CN`, today, '', '']));
    let r = await upload(first);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toContain('tracked=3');
    let list = await (await c.get(`/app/letters?batch=${batch}`)).text();
    expect(list).toMatch(/data-state="dispatched"[^>]*>[^<]*<span class="count">3</);
    const results = ['妥投', '拒收', '退回'];
    const second = tracking(numbers.map((n, i) => [n, `EA00000000${i}CN`, today, results[i]!, today]));
    r = await upload(second);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toContain('tracked=3');
    expect(r.headers.get('location')).toContain('unchanged=3');
    list = await (await c.get(`/app/letters?batch=${batch}`)).text();
    for (const st of ['delivered', 'refused', 'returned'])
      expect(list).toMatch(new RegExp(`data-state="${st}"[^>]*>[^<]*<span class="count">1<`));
    r = await upload(second);
    expect(r.headers.get('location')).toContain('tracked=0');
    const page = await (await c.get(`/app/letters?batch=${batch}&tracked=0&unchanged=6`)).text();
    expect(page).toContain('运单表已导入');
  });

  it('a letter of an odd number of pages is followed by a blank page of its size; the next starts on an odd page', async () => {
    const make = async (pages: number, size: [number, number]) => {
      const d = await PDFDocument.create();
      for (let i = 0; i < pages; i++) d.addPage(size);
      return d.save();
    };
    const a4: [number, number] = [595.28, 841.89];
    const { pdf, starts } = await printFile([await make(1, a4), await make(3, a4), await make(2, [500, 700])]);
    expect(starts).toEqual([1, 3, 7]);
    const merged = await PDFDocument.load(pdf);
    expect(merged.getPageCount()).toBe(8);
    expect(merged.getPage(1).getSize()).toEqual({ width: 595.28, height: 841.89 });
    expect(merged.getPage(7).getSize()).toEqual({ width: 500, height: 700 });
  });

  it('reads dates as people and Excel write them; a postcode from the address', () => {
    const now = new Date('2026-12-31T00:00:00+08:00');
    expect(sheetMoment('2026-12-07', now)).toBe('2026-12-07T12:00:00+08:00');
    expect(sheetMoment('2026/12/7', now)).toBe('2026-12-07T12:00:00+08:00');
    expect(sheetMoment('2026年12月7日', now)).toBe('2026-12-07T12:00:00+08:00');
    expect(sheetMoment('2026-12-07 09:30', now)).toBe('2026-12-07T09:30:00+08:00');
    expect(sheetMoment('46363', now)).toBe('2026-12-07T12:00:00+08:00');
    expect(sheetMoment('2026-02-30', now)).toBeNull();
    expect(sheetMoment('下周', now)).toBeNull();
    expect(postcodeOf('北京市朝阳区某某路88号 邮编100020')).toBe('100020');
    expect(postcodeOf('北京市朝阳区某某小区3号楼2单元501室')).toBe('');
  });

  it('another organisation gets neither the print file nor the mailing list', async () => {
    const other = webClient(() => s.url);
    await other.signIn('other', PASSWORD);
    expect((await other.get(`/app/batches/${batch}/print.pdf`)).status).toBe(404);
    expect((await other.get(`/app/batches/${batch}/mailing-list.xlsx`)).status).toBe(404);
  });
});
