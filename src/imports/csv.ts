/**
 * CSV as clients send it: UTF-8 with or without a BOM (Excel's "CSV UTF-8"), or GB18030/GBK
 * (Excel's plain "CSV" on a Chinese Windows). Bytes that are not valid UTF-8 are read as
 * GB18030, a superset of GBK and GB2312, and the caller is told so it can show a note.
 */
import iconv from 'iconv-lite';
import { importError, type SheetLimits } from './limits.js';

export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'UTF-8' | 'GB18030' } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'UTF-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(body), 'gb18030'), encoding: 'GB18030' };
  }
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. Rows by line number of their start (1-based). */
export function parseCsv(text: string, limits: SheetLimits): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let count = 0;
  const endField = () => {
    if (field.length > limits.maxCellChars * 4)
      throw importError(
        'CELL_TOO_LONG',
        `第 ${rowLine} 行有单元格超过 ${limits.maxCellChars} 字`,
        `a cell on line ${rowLine} is too long`,
      );
    row.push(field);
    field = '';
    if (row.length > limits.maxColumns)
      throw importError(
        'TOO_MANY_COLUMNS',
        `列数超过 ${limits.maxColumns} 列`,
        `more than ${limits.maxColumns} columns`,
      );
  };
  const endRow = () => {
    endField();
    if (row.some((c) => c.trim() !== '')) {
      if (++count > limits.maxRows + 1)
        throw importError(
          'TOO_MANY_ROWS',
          `行数超过 ${limits.maxRows} 行，请拆分文件`,
          `more than ${limits.maxRows} rows`,
        );
      rows.set(rowLine, row);
    }
    row = [];
    rowLine = line;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRow();
    } else field += ch;
  }
  if (quoted)
    throw importError('CSV_UNREADABLE', `第 ${rowLine} 行的引号没有闭合`, `an unclosed quote on line ${rowLine}`);
  if (field !== '' || row.length) endRow();
  return rows;
}
