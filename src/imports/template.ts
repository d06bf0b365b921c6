/** The downloadable import template and the file of rejected rows, both from the column list. */
import { readCell } from './cells.js';
import { COLUMNS, type Column } from './columns.js';
import { columnOfTarget } from './mapping.js';
import type { ImportRow } from './rows.js';
import { FIXUP_COLUMNS } from './sheet.js';
import { type CellValue, writeXlsx } from './xlsx-write.js';

export function importTemplateXlsx(): Uint8Array {
  return writeXlsx({
    name: '债务清单',
    header: COLUMNS.map((c) => (c.required ? `${c.header}*` : c.header)),
    rows: [COLUMNS.map((c) => c.example)],
    widths: COLUMNS.map((c) => Math.max(12, [...c.example].length + 4, [...c.header].length * 2 + 4)),
  });
}

/**
 * The rows that were not accepted, as uploaded, with a 问题 column: fix and upload again. Dates
 * that read as dates are date cells (not the serial number as text), the columns the import did
 * not use are kept after ours, and 原行号 and 问题 are recognised when the sheet comes back.
 */
export function rejectedRowsXlsx(
  rows: Pick<ImportRow, 'rowNo' | 'original' | 'problems'>[],
  /** The client's own columns that were mapped to a field (a date among them is written as a date too). */
  mapped: { header: string; path: string }[] = [],
): Uint8Array {
  const used = COLUMNS.filter((c) => rows.some((r) => c.header in r.original));
  const ours = new Set(COLUMNS.map((c) => c.header));
  const extra = [...new Set(rows.flatMap((r) => Object.keys(r.original).filter((h) => !ours.has(h))))];
  const kindOf = new Map(mapped.map((m) => [m.header, columnOfTarget(m.path)?.kind]));
  const cell = (kind: Column['kind'] | undefined, raw: string): CellValue => {
    if (kind !== 'date' || !raw.trim()) return raw;
    const r = readCell('date', raw);
    return r.ok ? { date: r.value as string } : raw;
  };
  return writeXlsx({
    name: '未通过的行',
    header: [FIXUP_COLUMNS[0]!, ...used.map((c) => c.header), ...extra, FIXUP_COLUMNS[1]!],
    rows: rows.map((r) => [
      r.rowNo,
      ...used.map((c) => cell(c.kind, r.original[c.header] ?? '')),
      ...extra.map((h) => cell(kindOf.get(h), r.original[h] ?? '')),
      r.problems.map((p) => (p.column ? `${p.column}：${p.zh}` : p.zh)).join('；'),
    ]),
    widths: [
      8,
      ...used.map((c) => Math.max(12, [...c.header].length * 2 + 4)),
      ...extra.map((h) => Math.max(12, [...h].length * 2 + 4)),
      60,
    ],
  });
}
