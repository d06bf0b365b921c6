/** Spreadsheet import: file → rows → letter inputs (no web, storage or HTTP dependency). */
export { COLUMNS, type Column } from './columns.js';
export { DEFAULT_LIMITS, type SheetLimits } from './limits.js';
export { readSheet, type Sheet } from './sheet.js';
export { issueInChinese, problemOfIssue, sheetToRows, type CellProblem, type ImportRow } from './rows.js';
export { importTemplateXlsx, rejectedRowsXlsx } from './template.js';
export { writeXlsx, type SheetSpec } from './xlsx-write.js';
