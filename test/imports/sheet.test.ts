/** The spreadsheet import module: XLSX (ours and hostile), CSV in UTF-8 and GB18030, cells as clients write them. */

import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readCell } from '../../src/imports/cells.js';
import {
  COLUMNS,
  DEFAULT_LIMITS,
  importTemplateXlsx,
  readSheet,
  rejectedRowsXlsx,
  sheetToRows,
  writeXlsx,
} from '../../src/imports/index.js';

const header = COLUMNS.map((c) => c.header);
const row = (over: Record<string, string> = {}) => COLUMNS.map((c) => over[c.header] ?? c.example);

describe('reading a spreadsheet', () => {
  it('reads back its own template: every column recognised, the example row a letter', () => {
    const sheet = readSheet(importTemplateXlsx());
    expect(sheet.format).toBe('xlsx');
    expect(sheet.columns.size).toBe(COLUMNS.length);
    const [r] = sheetToRows(sheet, { kind: 'lawyer-letter' });
    expect(r!.rowNo).toBe(2);
    expect(r!.problems).toEqual([]);
    expect(r!.letter).toMatchObject({
      debtor: { name: '张三', idNumber: '110105199003071239' },
      debt: { principal: '12000.00' },
      history: { overdueCount12m: 2 },
    });
  });

  it('the template is byte-identical every time', () => {
    expect(Buffer.from(importTemplateXlsx()).equals(Buffer.from(importTemplateXlsx()))).toBe(true);
  });

  it('CSV in UTF-8 with a BOM, and in GB18030 (said so)', () => {
    const csv = [
      header.join(','),
      row({ 地址: '北京市"朝阳区", 某某路' })
        .map((v) => `"${v.replace(/"/g, '""')}"`)
        .join(','),
    ].join('\r\n');
    const utf8 = readSheet(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]));
    expect(utf8.encoding).toBe('UTF-8');
    expect(sheetToRows(utf8, {})[0]!.letter).toMatchObject({ debtor: { address: '北京市"朝阳区", 某某路' } });
    const gbk = readSheet(iconv.encode(csv, 'gbk'));
    expect(gbk.encoding).toBe('GB18030');
    expect(sheetToRows(gbk, {})[0]!.letter).toMatchObject({ debtor: { name: '张三' }, account: { product: '白条' } });
  });

  it('names every bad cell by its column, and repeated contract numbers by the first row', () => {
    const csv = [
      header.join(','),
      row().join(','),
      row({ 本金: '一万', 到期日: '明天', 身份证号: '1.10105E+17' }).join(','),
    ].join('\n');
    const rows = sheetToRows(readSheet(Buffer.from(csv)), {});
    expect(rows[1]!.letter).toBeNull();
    expect(rows[1]!.problems.map((p) => p.column).sort()).toEqual(['合同编号', '到期日', '本金', '身份证号'].sort());
    expect(rows[1]!.problems.find((p) => p.column === '合同编号')!.zh).toContain('第 2 行');
  });

  it('a row with an unreadable cell still shows the problems of its other cells (all at once, one per column)', () => {
    const csv = [header.join(','), row({ 本金: 'abc', 手机号: '1380013800' }).join(',')].join('\n');
    const [r] = sheetToRows(readSheet(Buffer.from(csv)), { kind: 'reminder' });
    expect(r!.letter).toBeNull();
    expect(r!.problems.map((p) => p.column).sort()).toEqual(['手机号', '本金'].sort());
    expect(r!.problems.find((p) => p.column === '本金')!.zh).toContain('abc');
  });

  it('refuses a file without the required columns, naming them', () => {
    expect(() => readSheet(Buffer.from('姓名,备注\n张三,x\n'))).toThrow(/身份证号.*合同编号/);
  });

  it('bounds: rows, columns, file size, and a zip bomb that lies about its size', () => {
    const many = [header.join(','), ...Array.from({ length: 6 }, (_, i) => row({ 合同编号: `C${i}` }).join(','))].join(
      '\n',
    );
    expect(() => readSheet(Buffer.from(many), { ...DEFAULT_LIMITS, maxRows: 5 })).toThrow(/超过 5 行/);
    expect(() => readSheet(Buffer.from(`${header.join(',')}${',x'.repeat(50)}\n`))).toThrow(/列数超过/);
    expect(() => readSheet(new Uint8Array(DEFAULT_LIMITS.maxFileBytes + 1).fill(65))).toThrow(/MB/);
    // 20 MB of zeros that declares itself 1 KB: read as at most what it declares, then refused as not XML.
    const bomb = Buffer.from(zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(20_000_000) }, { level: 1 }));
    for (let i = 0; i < bomb.length - 4; i++)
      if (bomb.readUInt32LE(i) === 0x02014b50) bomb.writeUInt32LE(1000, i + 24);
      else if (bomb.readUInt32LE(i) === 0x04034b50) bomb.writeUInt32LE(1000, i + 22);
    const before = process.memoryUsage().rss;
    expect(() => readSheet(bomb)).toThrow(
      expect.objectContaining({ code: 'XLSX_UNREADABLE', zh: expect.stringContaining('sheet1.xml') }),
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(15_000_000);
    // An honest bomb is refused from its declared size before inflating.
    const honest = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(2_000_000) }, { level: 1 });
    expect(() => readSheet(honest, { ...DEFAULT_LIMITS, maxUnzippedBytes: 1_000_000 })).toThrow(/解压后超过/);
  });

  it('an .xls workbook is refused with what to do', () => {
    expect(() => readSheet(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toThrow(/另存为 .xlsx/);
  });

  it('a PDF, an image or random bytes are refused as not a spreadsheet, not as a CSV missing its columns', () => {
    const random = Uint8Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 2654435761) >>> 24);
    for (const [bytes, what] of [
      [Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'PDF'],
      [Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), '图片'],
      [random, '二进制'],
    ] as const) {
      expect(() => readSheet(bytes)).toThrow(
        expect.objectContaining({ code: 'NOT_A_SPREADSHEET', zh: expect.stringContaining(what) }),
      );
    }
  });

  it('reads shared strings, rich text and numeric cells as Excel writes them', () => {
    const cellOf = (h: string) => String.fromCharCode(65 + header.indexOf(h));
    const sheet = `<worksheet><sheetData><row r="1">${header.map((_, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('')}</row>
      <row r="3"><c r="A3" t="s"><v>${header.length}</v></c><c r="${cellOf('到期日')}3"><v>46282</v></c><c r="${cellOf('本金')}3"><v>12000.000000000002</v></c></row></sheetData></worksheet>`;
    const sst = `<sst>${header.map((h) => `<si><t>${h}</t></si>`).join('')}<si><r><t>张</t></r><r><t>三</t></r><rPh><t>ZS</t></rPh></si></sst>`;
    const xlsx = zipSync({ 'xl/worksheets/sheet1.xml': strToU8(sheet), 'xl/sharedStrings.xml': strToU8(sst) });
    const [r] = sheetToRows(readSheet(xlsx), {});
    expect(r!.rowNo).toBe(3);
    expect(r!.original.债务人姓名).toBe('张三');
    expect(r!.problems.find((p) => p.column === '到期日')).toBeUndefined();
    expect(readCell('date', '46282')).toEqual({ ok: true, value: '2026-09-17' });
    expect(readCell('money', '12000.000000000002')).toEqual({ ok: true, value: '12000.00' });
  });

  it('reads a 邮编 of six digits; five (Excel dropped a zero, or a digit was lost) is refused, never guessed', () => {
    expect(readCell('postcode', ' 100020 ')).toEqual({ ok: true, value: '100020' });
    expect(readCell('postcode', '10002')).toMatchObject({ ok: false, zh: expect.stringContaining('文本') });
    expect(readCell('postcode', '1000201')).toMatchObject({ ok: false });
  });

  it('rejected rows go back with a 问题 column and can be read again', () => {
    const file = rejectedRowsXlsx([
      { rowNo: 7, original: { 债务人姓名: '张三', 本金: '一万' }, problems: [{ column: '本金', zh: '不是金额' }] },
    ]);
    const s = readSheet(writeXlsx({ name: 'x', header: header, rows: [row()] }));
    expect(s.rows).toHaveLength(1);
    expect(() => readSheet(file)).toThrow(/缺少必填列/); // only the columns it had
  });

  it('full-width digits and letters are made half-width, and the change is noted; names keep theirs', () => {
    const s = readSheet(
      writeXlsx({
        name: 'x',
        header,
        rows: [row({ 本金: '１２０００．００', 合同编号: 'ＢＴ２０２５－０００００１', 债务人姓名: '张三' })],
      }),
    );
    const [r] = sheetToRows(s, { kind: 'lawyer-letter' });
    expect(r!.problems).toEqual([]);
    expect(r!.letter).toMatchObject({ debt: { principal: '12000.00' }, account: { contractNo: 'BT2025-000001' } });
    expect(r!.notes).toEqual([
      { column: '合同编号', zh: '全角字符已转为半角：“ＢＴ２０２５－０００００１” → “BT2025-000001”' },
      { column: '本金', zh: '全角字符已转为半角：“１２０００．００” → “12000.00”' },
    ]);
  });

  it('the fix-up sheet keeps dates as date cells and the columns the import ignored; read again, 原行号 and 问题 are not unknown columns', () => {
    const client = [...header, '客户经理', '未还利息(元)'];
    const dateSerial = String(Math.round((Date.parse('2025-06-01T00:00:00Z') - Date.UTC(1899, 11, 30)) / 86_400_000)); // 45809: a date cell as the reader gives it
    const sheet = readSheet(
      writeXlsx({
        name: 'x',
        header: client,
        rows: [[...row({ 本金: '一万', 合同日期: dateSerial }), '王经理', '6.31']],
      }),
    );
    expect(sheet.ignored).toEqual(['客户经理', '未还利息(元)']);
    const rows = sheetToRows(sheet, { kind: 'lawyer-letter' });
    expect(rows[0]!.problems.length).toBeGreaterThan(0);
    expect(rows[0]!.original).toMatchObject({ 客户经理: '王经理', '未还利息(元)': '6.31', 合同日期: dateSerial });
    const fix = rejectedRowsXlsx(rows);
    const xml = strFromU8(unzipSync(fix)['xl/worksheets/sheet1.xml']!);
    // 合同日期 is a date cell (style 4, the serial as a value), not the serial number as text.
    const col = String.fromCharCode(65 + 1 + header.indexOf('合同日期'));
    expect(xml).toContain(`<c r="${col}2" s="4"><v>45809</v></c>`);
    const back = readSheet(fix);
    expect(back.ignored).toEqual(['客户经理', '未还利息(元)']);
    const [again] = sheetToRows(back, { kind: 'lawyer-letter' });
    expect(again!.original).toMatchObject({ 合同日期: '45809', 客户经理: '王经理' });
    expect(again!.problems.map((p) => p.column)).toEqual(rows[0]!.problems.map((p) => p.column));
  });
});

describe('cells', () => {
  it.each([
    ['date', '2025/6/1', '2025-06-01'],
    ['date', '2025年6月1日', '2025-06-01'],
    ['money', '¥12,000.5', '12000.5'],
    ['rate', '18%', '0.18'],
    ['rate', '0.05%', '0.0005'],
    ['rate', '24.5%', '0.245'],
    ['count', '2', 2],
  ] as const)('%s %s → %s', (kind, raw, value) => {
    expect(readCell(kind, raw)).toEqual({ ok: true, value });
  });
  it.each([
    ['money', '-5'],
    ['money', '12.345'],
    ['date', '2025-13'],
    ['id', '1.38001E+10'],
  ] as const)('%s %s is refused', (kind, raw) => {
    expect(readCell(kind, raw).ok).toBe(false);
  });
});
