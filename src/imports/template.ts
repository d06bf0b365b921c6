/** The downloadable import template and the file of rejected rows, both from the column list. */
import { COLUMNS } from './columns.js';
import type { ImportRow } from './rows.js';
import { writeXlsx } from './xlsx-write.js';

export function importTemplateXlsx(): Uint8Array {
  return writeXlsx({
    name: '债务清单',
    header: COLUMNS.map((c) => (c.required ? `${c.header}*` : c.header)),
    rows: [COLUMNS.map((c) => c.example)],
    widths: COLUMNS.map((c) => Math.max(12, [...c.example].length + 4, [...c.header].length * 2 + 4)),
  });
}

/** The rows that were not accepted, as uploaded, with a 问题 column: fix and upload again. */
export function rejectedRowsXlsx(rows: Pick<ImportRow, 'rowNo' | 'original' | 'problems'>[]): Uint8Array {
  const used = COLUMNS.filter((c) => rows.some((r) => c.header in r.original));
  return writeXlsx({
    name: '未通过的行',
    header: ['原行号', ...used.map((c) => c.header), '问题'],
    rows: rows.map((r) => [
      String(r.rowNo),
      ...used.map((c) => r.original[c.header] ?? ''),
      r.problems.map((p) => (p.column ? `${p.column}：${p.zh}` : p.zh)).join('；'),
    ]),
    widths: [8, ...used.map((c) => Math.max(12, [...c.header].length * 2 + 4)), 60],
  });
}
