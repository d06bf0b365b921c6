/**
 * Reading the first worksheet of an XLSX file into rows of strings, bounded: the archive's
 * declared sizes are checked before anything is inflated, and fflate never inflates past a
 * declared size, so a zip bomb (a lie about sizes included) costs at most the limits below.
 * Only what a table needs is read: shared strings, inline strings, numbers, booleans.
 *
 * Each part is read in one pass by a strict tokenizer (xml-scan.ts), so the cost is linear in
 * its size whatever it holds (issue 32: a regex rescan per row made 100,000 unclosed rows cost
 * 20 s). What SpreadsheetML puts where is checked as it goes — a <row> directly in
 * <sheetData>, a <c> in a <row>, rows in ascending order — so a row left open is refused at the
 * next one, naming the part and its line; a bad reference in a cell names the cell.
 */
import { unzipSync } from 'fflate';
import type { HanjianError } from '../shared/errors.js';
import { importError, type SheetLimits } from './limits.js';
import { lineAt, scanXml, type XmlAttr, XmlError, type XmlHandler } from './xml-scan.js';

const WANTED = /^(xl\/workbook\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/sharedStrings\.xml|xl\/worksheets\/[^/]+\.xml)$/;
/** SpreadsheetML nests a handful of elements (worksheet, sheetData, row, c, is, r, t); extensions a few more. */
const MAX_DEPTH = 32;

function unzipBounded(bytes: Uint8Array, limits: SheetLimits): Record<string, Uint8Array> {
  let total = 0;
  let entries = 0;
  try {
    return unzipSync(bytes, {
      filter: (f) => {
        if (++entries > 1000)
          throw importError(
            'XLSX_TOO_COMPLEX',
            '文件中的部件过多，不像正常的电子表格',
            'the archive has too many entries',
          );
        if (!WANTED.test(f.name)) return false;
        total += f.originalSize;
        if (f.originalSize > limits.maxUnzippedBytes || total > limits.maxUnzippedBytes) {
          throw importError(
            'XLSX_TOO_LARGE',
            `解压后超过 ${Math.round(limits.maxUnzippedBytes / 1e6)} MB，请拆分文件`,
            `the unzipped sheet exceeds ${limits.maxUnzippedBytes} bytes`,
          );
        }
        return true;
      },
    });
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith?.('XLSX_')) throw e;
    throw importError(
      'XLSX_UNREADABLE',
      '无法读取该 XLSX 文件（不是有效的 Excel 工作簿）',
      'not a readable XLSX workbook',
    );
  }
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const attr = (attrs: XmlAttr[], name: string) => attrs.find((a) => a.name === name)?.value;

/** A part that is not well-formed, named with its line: refused whole. */
function partError(part: string, bytes: Uint8Array, e: XmlError): HanjianError {
  const line = lineAt(bytes, e.at);
  return importError('XLSX_UNREADABLE', `${part} 第 ${line} 行：${e.zh}`, `${part} line ${line}: ${e.en}`);
}

/** Runs the tokenizer over one part; its faults become a refusal naming the part. */
function scanPart(part: string, bytes: Uint8Array, handler: XmlHandler): void {
  try {
    scanXml(bytes, handler, { maxDepth: MAX_DEPTH });
  } catch (e) {
    if (e instanceof XmlError) throw partError(part, bytes, e);
    throw e;
  }
}

const ignore = () => {};

/** A shared string, or why it cannot be shown: the cell that uses it is named when refused. */
type Shared = string | { bad: XmlError } | { tooLong: true };

/** The text of every <t> of each <si> (a shared string may be rich text: several runs). Phonetic runs (<rPh>) are not text. */
function sharedStrings(bytes: Uint8Array | undefined, limits: SheetLimits): Shared[] {
  if (!bytes) return [];
  const out: Shared[] = [];
  // A table holds at most this many distinct strings; a part with more is not a table of ours.
  const most = (limits.maxRows + 1) * limits.maxColumns;
  const cap = limits.maxCellChars * 4;
  let current: Shared | null = null;
  let inT = 0;
  let inPhonetic = 0;
  scanPart('xl/sharedStrings.xml', bytes, {
    open(name, _attrs, selfClosing) {
      const n = localName(name);
      if (n === 'si') {
        if (out.length >= most)
          throw importError(
            'XLSX_TOO_COMPLEX',
            `共享字符串超过 ${most} 个，不像正常的债务清单`,
            `more than ${most} shared strings`,
          );
        if (selfClosing) out.push('');
        else current = '';
      } else if (!selfClosing && current !== null) {
        if (n === 't') inT++;
        else if (n === 'rPh') inPhonetic++;
      }
    },
    close(name) {
      const n = localName(name);
      if (n === 'si' && current !== null) {
        out.push(current);
        current = null;
      } else if (n === 't' && inT) inT--;
      else if (n === 'rPh' && inPhonetic) inPhonetic--;
    },
    text(text) {
      if (typeof current !== 'string' || !inT || inPhonetic) return;
      current += text;
      if (current.length > cap) current = { tooLong: true };
    },
    badText(error) {
      if (current === null) throw error;
      if (typeof current === 'string' || 'tooLong' in current) current = { bad: error };
    },
  });
  return out;
}

/** "BC12" → 54 (0-based column 54). */
function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The worksheet of the workbook's first sheet (not necessarily sheet1.xml). */
function firstSheetPath(files: Record<string, Uint8Array>): string | null {
  let rid: string | undefined;
  const wb = files['xl/workbook.xml'];
  if (wb)
    scanPart('xl/workbook.xml', wb, {
      open(name, attrs) {
        if (rid !== undefined || localName(name) !== 'sheet') return;
        // r:id, whatever the relationships namespace's prefix; a bare id as some writers put it.
        rid = attrs.find((a) => a.name.endsWith(':id'))?.value ?? attr(attrs, 'id');
      },
      close: ignore,
      text: ignore,
    });
  let target: string | undefined;
  const rels = files['xl/_rels/workbook.xml.rels'];
  if (rid !== undefined && rels)
    scanPart('xl/_rels/workbook.xml.rels', rels, {
      open(name, attrs) {
        if (target === undefined && localName(name) === 'Relationship' && attr(attrs, 'Id') === rid)
          target = attr(attrs, 'Target');
      },
      close: ignore,
      text: ignore,
    });
  if (target) {
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
    if (files[path]) return path;
  }
  return (
    Object.keys(files)
      .filter((k) => k.startsWith('xl/worksheets/'))
      .sort()[0] ?? null
  );
}

interface CellState {
  ref: string;
  col: number;
  type: string | undefined;
  /** The <v> text, or null when the cell has none. */
  v: string | null;
  inline: string;
}

/** Rows of cell strings, indexed by spreadsheet row number (1-based); empty rows are absent. */
export function readXlsx(bytes: Uint8Array, limits: SheetLimits): Map<number, string[]> {
  const files = unzipBounded(bytes, limits);
  const path = firstSheetPath(files);
  if (!path) throw importError('XLSX_UNREADABLE', '工作簿中没有工作表', 'the workbook has no worksheet');
  const strings = sharedStrings(files['xl/sharedStrings.xml'], limits);
  const xml = files[path]!;
  const cap = limits.maxCellChars * 4;
  const rows = new Map<number, string[]>();
  const open: string[] = [];
  let rowNo = 0;
  let cells: string[] | null = null;
  let cell: CellState | null = null;
  let inV = false;
  let inT = 0;
  let inPhonetic = 0;

  const malformed = (at: number, zh: string, en: string): never => {
    throw partError(path, xml, new XmlError(zh, en, at));
  };
  const cellError = (code: string, zh: string, en: string) =>
    importError(code, `单元格 ${cell!.ref} ${zh}（${path}）`, `cell ${cell!.ref} ${en} (${path})`);
  const cellText = (text: string, add: string): string => {
    if (text.length + add.length > cap)
      throw cellError(
        'CELL_TOO_LONG',
        `超过 ${limits.maxCellChars} 字`,
        `is longer than ${limits.maxCellChars} characters`,
      );
    return text + add;
  };

  const startRow = (attrs: XmlAttr[], at: number) => {
    const parent = open.at(-1);
    if (parent !== 'sheetData')
      malformed(
        at,
        parent === 'row' ? `第 ${rowNo} 行的 <row> 没有闭合` : '<row> 只能位于 <sheetData> 中',
        parent === 'row' ? `the <row> of row ${rowNo} is not closed` : '<row> outside <sheetData>',
      );
    const r = attr(attrs, 'r');
    if (r !== undefined && !/^[1-9]\d{0,6}$/.test(r))
      malformed(at, `行号 r="${r.slice(0, 20)}" 无效`, `an invalid row number r="${r.slice(0, 20)}"`);
    const no = r === undefined ? rowNo + 1 : Number(r);
    if (no <= rowNo)
      malformed(
        at,
        `行号 ${no} 不在第 ${rowNo} 行之后（行须按顺序）`,
        `row ${no} comes after row ${rowNo} (rows go in order)`,
      );
    if (no > limits.maxRows + 1)
      throw importError(
        'TOO_MANY_ROWS',
        `行数超过 ${limits.maxRows} 行，请拆分文件`,
        `more than ${limits.maxRows} rows`,
      );
    rowNo = no;
    cells = [];
  };
  const startCell = (attrs: XmlAttr[], at: number) => {
    if (open.at(-1) !== 'row') malformed(at, '<c> 只能位于 <row> 中', '<c> outside <row>');
    const r = attr(attrs, 'r');
    const m = r === undefined ? null : /^([A-Z]{1,3})\d{1,7}$/.exec(r);
    if (r !== undefined && !m)
      malformed(at, `单元格引用 r="${r.slice(0, 20)}" 无效`, `an invalid cell reference r="${r.slice(0, 20)}"`);
    const col = m ? columnIndex(m[1]!) : cells!.length;
    if (col >= limits.maxColumns)
      throw importError(
        'TOO_MANY_COLUMNS',
        `列数超过 ${limits.maxColumns} 列`,
        `more than ${limits.maxColumns} columns`,
      );
    cell = { ref: r ?? `${columnLetters(col)}${rowNo}`, col, type: attr(attrs, 't'), v: null, inline: '' };
  };
  const endCell = () => {
    const c = cell!;
    let value = '';
    if (c.type === 's' && c.v !== null) {
      const shared = /^\d{1,9}$/.test(c.v?.trim() ?? '') ? strings[Number(c.v)] : undefined;
      if (shared === undefined)
        throw cellError(
          'XLSX_UNREADABLE',
          `引用的共享字符串“${(c.v ?? '').slice(0, 20)}”不存在`,
          `refers to a shared string "${(c.v ?? '').slice(0, 20)}" that does not exist`,
        );
      if (typeof shared !== 'string') {
        if ('tooLong' in shared)
          throw cellError(
            'CELL_TOO_LONG',
            `超过 ${limits.maxCellChars} 字`,
            `is longer than ${limits.maxCellChars} characters`,
          );
        throw cellError('XLSX_UNREADABLE', shared.bad.zh, shared.bad.en);
      }
      value = shared;
    } else if (c.type === 'inlineStr') value = c.inline;
    else if (c.type === 'b') value = c.v === '1' ? 'TRUE' : 'FALSE';
    else value = c.v ?? '';
    cells![c.col] = value;
    cell = null;
  };

  const endRow = () => {
    const row = cells!;
    if (row.some((c) => c !== undefined && c.trim() !== ''))
      rows.set(
        rowNo,
        Array.from(row, (c) => c ?? ''),
      );
    cells = null;
  };

  scanPart(path, xml, {
    open(name, attrs, selfClosing, at) {
      const n = localName(name);
      if (n === 'row') startRow(attrs, at);
      else if (n === 'c') startCell(attrs, at);
      else if (cell && !selfClosing) {
        if (n === 'v' && open.at(-1) === 'c') inV = true;
        else if (n === 't' && open.includes('is')) inT++;
        else if (n === 'rPh') inPhonetic++;
      }
      if (!selfClosing) open.push(n);
      else if (n === 'c') endCell();
      else if (n === 'row') endRow();
    },
    close() {
      const n = open.pop();
      if (n === 'c') endCell();
      else if (n === 'row') endRow();
      else if (n === 'v') inV = false;
      else if (n === 't' && inT) inT--;
      else if (n === 'rPh' && inPhonetic) inPhonetic--;
    },
    text(text) {
      if (!cell) return;
      if (inV) cell.v = cellText(cell.v ?? '', text);
      else if (inT && !inPhonetic) cell.inline = cellText(cell.inline, text);
    },
    badText(error) {
      if (cell) throw cellError('XLSX_UNREADABLE', error.zh, error.en);
      throw error;
    },
  });

  return rows;
}

/** 0 → A, 26 → AA: the reference of a cell written without one, for messages. */
function columnLetters(col: number): string {
  let s = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
