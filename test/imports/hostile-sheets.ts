/** Workbooks built to hurt (issue 32), shared by the reader's unit tests and the upload tests over HTTP. */
import { strToU8, zipSync } from 'fflate';
import { COLUMNS } from '../../src/imports/index.js';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** A workbook of one sheet whose XML is given as it is (and, optionally, its shared strings). */
export function workbookOf(sheetXml: string | Uint8Array, sharedStringsXml?: string, level: 0 | 6 | 9 = 6): Uint8Array {
  return zipSync(
    {
      'xl/worksheets/sheet1.xml': typeof sheetXml === 'string' ? strToU8(sheetXml) : sheetXml,
      ...(sharedStringsXml ? { 'xl/sharedStrings.xml': strToU8(sharedStringsXml) } : {}),
    },
    { level },
  );
}

/** The audit's file: `n` rows opened and never closed (100,000 of them zip to about 2.4–3.5 KB). */
export function unclosedRows(n = 100_000): Uint8Array {
  return workbookOf(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${'<row r="1">'.repeat(n)}`,
    undefined,
    9,
  );
}

/** The header row of the import template as inline strings, then one data row whose cell `at` (e.g. "B2") holds `raw` as written. */
export function sheetWithCell(raw: string, at = 'B2', how: 'inline' | 'shared' = 'inline'): Uint8Array {
  const letters = (i: number) => String.fromCharCode(65 + i);
  const header = COLUMNS.map((c, i) => `<c r="${letters(i)}1" t="inlineStr"><is><t>${c.header}</t></is></c>`).join('');
  const cell =
    how === 'inline' ? `<c r="${at}" t="inlineStr"><is><t>${raw}</t></is></c>` : `<c r="${at}" t="s"><v>0</v></c>`;
  return workbookOf(
    `<worksheet xmlns="${NS}"><sheetData><row r="1">${header}</row><row r="2">${cell}</row></sheetData></worksheet>`,
    how === 'shared' ? `<sst xmlns="${NS}"><si><t>${raw}</t></si></sst>` : undefined,
  );
}
