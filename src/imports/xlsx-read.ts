/**
 * Reading the first worksheet of an XLSX file into rows of strings, bounded: the archive's
 * declared sizes are checked before anything is inflated, and fflate never inflates past a
 * declared size, so a zip bomb (a lie about sizes included) costs at most the limits below.
 * Only what a table needs is read: shared strings, inline strings, numbers, booleans.
 */
import { strFromU8, unzipSync } from 'fflate';
import { importError, type SheetLimits } from './limits.js';

const WANTED = /^(xl\/workbook\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/sharedStrings\.xml|xl\/worksheets\/[^/]+\.xml)$/;

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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
      : ENTITIES[e]!,
  );
}

/** The text of every <t> in a fragment (a shared string may be rich text: several runs). Phonetic runs (<rPh>) are not text. */
function textOf(fragment: string): string {
  const plain = fragment.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  for (const m of plain.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)) out += unescapeXml(m[1] ?? '');
  return out;
}

function sharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)].map((m) => textOf(m[1] ?? ''));
}

/** "BC12" → 54 (0-based column 54). */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** The worksheet of the workbook's first sheet (not necessarily sheet1.xml). */
function firstSheetPath(files: Record<string, Uint8Array>): string | null {
  const wb = files['xl/workbook.xml'] ? strFromU8(files['xl/workbook.xml']) : '';
  const rels = files['xl/_rels/workbook.xml.rels'] ? strFromU8(files['xl/_rels/workbook.xml.rels']) : '';
  const rid = /<sheet\b[^>]*\br:id="([^"]+)"/.exec(wb)?.[1] ?? /<sheet\b[^>]*\bid="([^"]+)"/.exec(wb)?.[1];
  const target = rid
    ? (new RegExp(`<Relationship\\b[^>]*\\bId="${rid}"[^>]*\\bTarget="([^"]+)"`).exec(rels)?.[1] ??
      new RegExp(`<Relationship\\b[^>]*\\bTarget="([^"]+)"[^>]*\\bId="${rid}"`).exec(rels)?.[1])
    : undefined;
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

/** Rows of cell strings, indexed by spreadsheet row number (1-based); empty rows are absent. */
export function readXlsx(bytes: Uint8Array, limits: SheetLimits): Map<number, string[]> {
  const files = unzipBounded(bytes, limits);
  const path = firstSheetPath(files);
  if (!path) throw importError('XLSX_UNREADABLE', '工作簿中没有工作表', 'the workbook has no worksheet');
  const strings = sharedStrings(files['xl/sharedStrings.xml'] ? strFromU8(files['xl/sharedStrings.xml']) : undefined);
  const xml = strFromU8(files[path]!);
  const rows = new Map<number, string[]>();
  let implicitRow = 0;
  for (const rm of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const rowNo = Number(/\br="(\d+)"/.exec(rm[1]!)?.[1] ?? implicitRow + 1);
    implicitRow = rowNo;
    if (rowNo > limits.maxRows + 1)
      throw importError(
        'TOO_MANY_ROWS',
        `行数超过 ${limits.maxRows} 行，请拆分文件`,
        `more than ${limits.maxRows} rows`,
      );
    const cells: string[] = [];
    let implicitCol = -1;
    for (const cm of (rm[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cm[1]!;
      const ref = /\br="([A-Z]+)\d*"/.exec(attrs)?.[1];
      const col = ref ? columnIndex(ref) : implicitCol + 1;
      implicitCol = col;
      if (col >= limits.maxColumns)
        throw importError(
          'TOO_MANY_COLUMNS',
          `列数超过 ${limits.maxColumns} 列`,
          `more than ${limits.maxColumns} columns`,
        );
      const type = /\bt="(\w+)"/.exec(attrs)?.[1];
      const body = cm[2] ?? '';
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value = '';
      if (type === 's') value = strings[Number(v)] ?? '';
      else if (type === 'inlineStr') value = textOf(/<is>([\s\S]*?)<\/is>/.exec(body)?.[1] ?? '');
      else if (type === 'b') value = v === '1' ? 'TRUE' : 'FALSE';
      else if (v !== undefined) value = unescapeXml(v);
      cells[col] = value;
    }
    if (cells.some((c) => c !== undefined && c.trim() !== ''))
      rows.set(
        rowNo,
        Array.from(cells, (c) => c ?? ''),
      );
  }
  return rows;
}
