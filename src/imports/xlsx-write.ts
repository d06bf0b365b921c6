/**
 * A one-sheet XLSX workbook: the import template, the rejected rows, a batch's index, the
 * mailing list. A string cell is an inline string in a text-formatted column (style "@"), so ID
 * and phone numbers typed into the template stay text instead of turning into 1.1E+17; a number
 * cell is a number (Excel sums and sorts it); a `{ date }` cell is a date (an Excel serial with a
 * date format), so a date typed back into the sheet stays one. Written with a fixed timestamp:
 * the same rows give the same bytes.
 */
import { strToU8, zipSync } from 'fflate';

/** A cell: text, a number, or a calendar day (YYYY-MM-DD). */
export type CellValue = string | number | { date: string };

export interface SheetSpec {
  name: string;
  header: string[];
  rows: CellValue[][];
  /** Column widths in characters (default: from the header). */
  widths?: number[];
}

const esc = (s: string) =>
  s
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
    // Characters XML 1.0 cannot hold are dropped rather than producing a file Excel refuses to open.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

function ref(col: number, row: number): string {
  let s = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return `${s}${row}`;
}

function sheetXml(spec: SheetSpec): string {
  const widths = spec.header.map((h, i) => spec.widths?.[i] ?? Math.max(10, [...h].length * 2 + 2));
  const cols = widths
    .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" style="2" customWidth="1"/>`)
    .join('');
  const cell = (v: CellValue, c: number, r: number, style: number) => {
    if (typeof v === 'number' && Number.isFinite(v)) return `<c r="${ref(c, r)}" s="3"><v>${v}</v></c>`;
    if (typeof v === 'object' && /^\d{4}-\d{2}-\d{2}$/.test(v.date)) {
      // Days since 1899-12-30: Excel's serial (its 1900 leap-year bug lies before any date we write).
      const serial = Math.round((Date.parse(`${v.date}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
      return `<c r="${ref(c, r)}" s="4"><v>${serial}</v></c>`;
    }
    const text = typeof v === 'object' ? v.date : String(v);
    return `<c r="${ref(c, r)}" s="${style}" t="inlineStr"><is><t xml:space="preserve">${esc(text)}</t></is></c>`;
  };
  const row = (cells: CellValue[], r: number, style: number) =>
    `<row r="${r}">${cells.map((v, c) => cell(v, c, r, style)).join('')}</row>`;
  const rows = [row(spec.header, 1, 1), ...spec.rows.map((r, i) => row(r, i + 2, 2))].join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>${cols}</cols><sheetData>${rows}</sheetData></worksheet>`;
}

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF6"/></patternFill></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="5"><xf/><xf fontId="1" fillId="2" numFmtId="49" applyFont="1" applyFill="1" applyNumberFormat="1"/><xf numFmtId="49" applyNumberFormat="1"/><xf numFmtId="0" applyNumberFormat="1"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`;

export function writeXlsx(spec: SheetSpec): Uint8Array {
  const mtime = new Date('2026-01-01T00:00:00Z');
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`),
    '_rels/.rels': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    'xl/workbook.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${esc(spec.name)}" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`),
    'xl/styles.xml': strToU8(STYLES),
    'xl/worksheets/sheet1.xml': strToU8(sheetXml(spec)),
  };
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [v, { mtime }]])), { level: 6 });
}
