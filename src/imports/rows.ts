/**
 * Spreadsheet rows → letter inputs. Each row fills the debtor, account and debt; everything
 * else (the creditor, payment channels, demand period, delivery) comes from the `base` the
 * caller assembles from the engagement and the import form. A row's problems are named by
 * column, so they can be shown in the cell they belong to. No web or storage dependency:
 * the web import and an API upload use the same mapping.
 */

import { validate } from '../pipeline/index.js';
import type { Issue } from '../shared/errors.js';
import { addAmounts, foldFullWidth, readCell } from './cells.js';
import { type Column, columnOfPath } from './columns.js';
import type { SheetLimits } from './limits.js';
import { DEFAULT_LIMITS } from './limits.js';
import { summable } from './mapping.js';
import type { Sheet } from './sheet.js';

export interface CellProblem {
  /** The column header, or '' for a problem of the whole row. */
  column: string;
  zh: string;
}

export interface ImportRow {
  rowNo: number;
  contractNo: string;
  debtorName: string;
  /** The letter input, when every cell could be read. */
  letter: Record<string, unknown> | null;
  problems: CellProblem[];
  /** What was changed on reading and is shown (full-width digits and letters made half-width). */
  notes: CellProblem[];
  /** The row's cells by header, as uploaded: for the file of rejected rows. */
  original: Record<string, string>;
}

/** Sets a field; an amount that several columns fill (利息 and a client's 未还利息(元)) is their sum. */
function setPath(target: Record<string, unknown>, column: Column, value: unknown): void {
  const keys = column.path.split('.');
  let o = target;
  keys.slice(0, -1).forEach((k, i) => {
    o = (o[k] ??= /^\d+$/.test(keys[i + 1]!) ? [] : {}) as Record<string, unknown>;
  });
  const key = keys.at(-1)!;
  const before = o[key];
  o[key] = summable(column) && typeof before === 'string' ? addAmounts(before, value as string) : value;
}

/** The sheet's header for a letter field: the client's own when one of its columns was mapped to it. */
function headerOfPath(sheet: Sheet, path: string): string | undefined {
  const ours = columnOfPath(path);
  if (!ours) return undefined;
  for (const c of sheet.columns.values()) if (c.path === ours.path) return c.header;
  return ours.header;
}

/** The demand columns describe the client's own 逾期催告函: it needs its date to count. */
function completeEarlierDemand(letter: Record<string, unknown>, problems: CellProblem[]): void {
  const sent = (letter.history as { lettersSent?: Record<string, unknown>[] } | undefined)?.lettersSent?.[0];
  if (!sent) return;
  if (!sent.date) problems.push({ column: '催告函日期', zh: '填写了催告函期限或送达情况时，须填写催告函日期' });
  sent.kind = 'demand';
}

/** A deep copy of the base with the row's values set, so rows never share objects. */
export function rowToLetter(
  sheet: Sheet,
  cells: string[],
  base: Record<string, unknown>,
  limits: SheetLimits = DEFAULT_LIMITS,
): {
  letter: Record<string, unknown>;
  problems: CellProblem[];
  notes: CellProblem[];
  original: Record<string, string>;
} {
  const letter = structuredClone(base);
  const problems: CellProblem[] = [];
  const notes: CellProblem[] = [];
  const original: Record<string, string> = {};
  for (const [i, column] of sheet.columns) {
    const raw = cells[i] ?? '';
    original[column.header] = raw;
    if ([...raw].length > limits.maxCellChars) {
      problems.push({ column: column.header, zh: `超过 ${limits.maxCellChars} 字` });
      continue;
    }
    if (raw.trim() === '') {
      if (column.required) problems.push({ column: column.header, zh: '必填，不能为空' });
      continue;
    }
    // Names and addresses keep their characters; numbers, dates, IDs and contract numbers are folded, and said so.
    const folded = column.kind === 'text' ? raw : foldFullWidth(raw);
    if (folded !== raw)
      notes.push({ column: column.header, zh: `全角字符已转为半角：“${raw.trim()}” → “${folded.trim()}”` });
    const r = readCell(column.kind, folded);
    if (r.ok) setPath(letter, column, r.value);
    else problems.push({ column: column.header, zh: r.zh });
  }
  // The columns that are not ours go back into the fix-up sheet as they came (bounded like any cell).
  for (const [i, header] of sheet.extra ?? []) original[header] = (cells[i] ?? '').slice(0, limits.maxCellChars);
  completeEarlierDemand(letter, problems);
  // A client's sheet states its own ledger's figures, without the contract's schedule to compute
  // them from: the letter says they are the creditor's records (issue 27's ledger basis) rather
  // than print a computation it cannot show.
  if (letter.debt && typeof letter.debt === 'object') (letter.debt as Record<string, unknown>).basis ??= 'ledger';
  return { letter, problems, notes, original };
}

export function sheetToRows(
  sheet: Sheet,
  base: Record<string, unknown>,
  limits: SheetLimits = DEFAULT_LIMITS,
): ImportRow[] {
  const seen = new Map<string, number>();
  return sheet.rows.map(({ rowNo, cells }) => {
    const { letter, problems, notes, original } = rowToLetter(sheet, cells, base, limits);
    const contractNo = String((letter.account as { contractNo?: unknown } | undefined)?.contractNo ?? '');
    const debtorName = String((letter.debtor as { name?: unknown } | undefined)?.name ?? '');
    if (contractNo) {
      const first = seen.get(contractNo);
      if (first !== undefined) problems.push({ column: '合同编号', zh: `与第 ${first} 行的合同编号重复` });
      else seen.set(contractNo, rowNo);
    }
    if (problems.length) problems.push(...otherColumnsProblems(sheet, letter, problems));
    return { rowNo, contractNo, debtorName, letter: problems.length ? null : letter, problems, notes, original };
  });
}

/**
 * A row with unreadable cells is not a letter yet, but its other cells can still be wrong (a
 * short phone number beside an amount that is not one): the letter's own validation finds
 * those, so the assistant fixes the row once instead of once per problem.
 */
function otherColumnsProblems(sheet: Sheet, letter: Record<string, unknown>, known: CellProblem[]): CellProblem[] {
  const r = validate(letter);
  if (r.ok) return [];
  const flagged = new Set(known.map((p) => p.column));
  const out: CellProblem[] = [];
  for (const issue of r.issues) {
    const column = headerOfPath(sheet, issue.path.replace(/^letter\./, ''));
    if (!column || flagged.has(column)) continue; // a missing value of a flagged cell, or a problem no cell holds
    out.push({ column, zh: issueInChinese(issue) });
    flagged.add(column);
  }
  return out;
}

/** A problem reported against a letter field (`debtor.idNumber: …`), placed in its column (the sheet's, when given). */
export function problemOfIssue(path: string, zh: string, sheet?: Sheet): CellProblem {
  return {
    column: (sheet ? headerOfPath(sheet, path.replace(/^letter\./, '')) : columnOfPath(path)?.header) ?? '',
    zh,
  };
}

/** "debtor.idNumber: 身份证号校验位错误 / ID number …" → "身份证号校验位错误": the column already names the field. */
export function issueInChinese(issue: Issue): string {
  const m = issue.message.startsWith(`${issue.path}: `) ? issue.message.slice(issue.path.length + 2) : issue.message;
  return m.split(' / ')[0]!;
}
