/**
 * An uploaded spreadsheet, XLSX or CSV, as a header and data rows with their spreadsheet row
 * numbers, within the limits; the file is recognised by its bytes, not by its name.
 */

import type { Column } from './columns.js';
import { decodeCsv, parseCsv } from './csv.js';
import { DEFAULT_LIMITS, importError, type SheetLimits } from './limits.js';
import { type ColumnMapping, planColumns } from './mapping.js';
import { readXlsx } from './xlsx-read.js';

export interface Sheet {
  format: 'xlsx' | 'csv';
  /** Set when a CSV was not UTF-8 and was read as GB18030 (GBK). */
  encoding: 'UTF-8' | 'GB18030' | null;
  /** Spreadsheet column index → the column it holds. */
  columns: Map<number, Column>;
  /** Headers that are not one of ours and were not mapped to one: not imported, and said so. */
  ignored: string[];
  /** The client's own columns read into a field by the mapping (their header as in the file). */
  mapped?: { header: string; path: string }[];
  /** Those columns by index, with their header: their cells go back into the fix-up sheet as they came. */
  extra: Map<number, string>;
  rows: { rowNo: number; cells: string[] }[];
}

/** The columns the fix-up sheet adds around the client's: 原行号 before, 问题 after. */
export const FIXUP_COLUMNS = ['原行号', '问题'];

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** What a wrong file usually is, by its first bytes; anything with a NUL byte early on is not text either. */
function binaryKind(b: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'PDF 文件';
  if (starts(0x89, 0x50, 0x4e, 0x47) || starts(0xff, 0xd8, 0xff) || starts(0x47, 0x49, 0x46)) return '图片';
  return b.subarray(0, 8192).includes(0) ? '二进制文件' : null;
}

/** What a file holds before its header is read: the format, and the rows by spreadsheet row number. */
export interface Table {
  format: Sheet['format'];
  encoding: Sheet['encoding'];
  rows: Map<number, string[]>;
}

/** The size checks that cost nothing: made again on the main thread before a worker is started for the file. */
export function checkFileSize(bytes: Uint8Array, limits: SheetLimits): void {
  if (bytes.length === 0) throw importError('FILE_EMPTY', '文件是空的', 'the file is empty');
  if (bytes.length > limits.maxFileBytes)
    throw importError(
      'FILE_TOO_LARGE',
      `文件超过 ${Math.round(limits.maxFileBytes / 1024 / 1024)} MB，请拆分`,
      `the file exceeds ${limits.maxFileBytes} bytes`,
    );
}

/** The file's rows, XLSX or CSV: the part of reading that grows with the file (run in a worker by readSheetInWorker). */
export function readTable(bytes: Uint8Array, limits: SheetLimits = DEFAULT_LIMITS): Table {
  checkFileSize(bytes, limits);
  if (isZip(bytes)) return { format: 'xlsx', encoding: null, rows: readXlsx(bytes, limits) };
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf)
    throw importError(
      'XLS_NOT_SUPPORTED',
      '这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后上传',
      'an old .xls workbook: save it as .xlsx',
    );
  const binary = binaryKind(bytes);
  if (binary)
    throw importError(
      'NOT_A_SPREADSHEET',
      `上传的是${binary}，不是 XLSX 或 CSV 表格：请上传债务清单（可下载模板）`,
      'the file is not an XLSX or CSV spreadsheet',
    );
  const decoded = decodeCsv(bytes);
  return { format: 'csv', encoding: decoded.encoding, rows: parseCsv(decoded.text, limits) };
}

export function readSheet(bytes: Uint8Array, limits: SheetLimits = DEFAULT_LIMITS): Sheet {
  return sheetOfTable(readTable(bytes, limits), limits);
}

/** The header row of a table, and the rows under it. */
export function headerOf(t: Table): string[] {
  let first = Number.POSITIVE_INFINITY;
  for (const k of t.rows.keys()) first = Math.min(first, k);
  const header = t.rows.get(first);
  if (!header) throw importError('FILE_EMPTY', '文件中没有表头', 'the file has no header row');
  return header;
}

/**
 * The header mapped to our columns — and to the fields a client's own columns were mapped to
 * (`mapping`, see mapping.ts) — and the data rows under it (linear in the rows: fine on the main thread).
 */
export function sheetOfTable(t: Table, limits: SheetLimits = DEFAULT_LIMITS, mapping?: ColumnMapping): Sheet {
  const { format, encoding } = t;
  const table = t.rows;
  const entries = [...table.entries()].sort((a, b) => a[0] - b[0]);
  const header = entries.shift();
  if (!header) throw importError('FILE_EMPTY', '文件中没有表头', 'the file has no header row');
  // The fix-up sheet's own columns (rejectedRowsXlsx) are read back without being reported as unknown.
  const plan = planColumns(header[1], mapping, FIXUP_COLUMNS);
  if (plan.duplicate)
    throw importError(
      'DUPLICATE_COLUMN',
      `“${plan.duplicate.header}”列出现了两次`,
      `the column ${plan.duplicate.header} appears twice`,
    );
  if (plan.missing.length)
    throw importError(
      'COLUMNS_MISSING',
      `缺少必填列：${plan.missing.map((c) => c.header).join('、')}（请使用下载的模板）`,
      `required columns are missing: ${plan.missing.map((c) => c.header).join(', ')}`,
    );
  if (entries.length > limits.maxRows)
    throw importError('TOO_MANY_ROWS', `数据超过 ${limits.maxRows} 行，请拆分文件`, `more than ${limits.maxRows} rows`);
  if (!entries.length) throw importError('FILE_EMPTY', '表头下没有数据行', 'no data rows under the header');
  return {
    format,
    encoding,
    columns: plan.columns,
    ignored: plan.ignored,
    extra: plan.extra,
    mapped: plan.mapped,
    rows: entries.map(([rowNo, cells]) => ({ rowNo, cells })),
  };
}
