/** Spreadsheet import: file → rows → letter inputs (no web, storage or HTTP dependency). */
export { COLUMNS, type Column } from './columns.js';
export { DEFAULT_BUDGET, type ReadBudget, readSheetInWorker, readTableInWorker } from './in-worker.js';
export { DEFAULT_LIMITS, type SheetLimits } from './limits.js';
export {
  type ColumnMapping,
  type ColumnPlan,
  columnOfTarget,
  headerKey,
  IGNORE,
  looksLikeAmount,
  type MappingTarget,
  planColumns,
  suggestColumn,
  summable,
  type UnknownColumn,
} from './mapping.js';
export { type CellProblem, type ImportRow, issueInChinese, problemOfIssue, sheetToRows } from './rows.js';
export { FIXUP_COLUMNS, headerOf, readSheet, readTable, type Sheet, sheetOfTable, type Table } from './sheet.js';
export { importTemplateXlsx, rejectedRowsXlsx } from './template.js';
export { type SheetSpec, writeXlsx } from './xlsx-write.js';
