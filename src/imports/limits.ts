/** The bounds of a spreadsheet import, and its one error type: a file is refused whole, named, never half-read. */
import { HanjianError } from '../shared/errors.js';

export interface SheetLimits {
  /** The uploaded file. */
  maxFileBytes: number;
  /** What the XLSX parts may inflate to, together (the declared sizes, which fflate never exceeds). */
  maxUnzippedBytes: number;
  /** Data rows, not counting the header. */
  maxRows: number;
  maxColumns: number;
  /** Characters in one cell. */
  maxCellChars: number;
}

export const DEFAULT_LIMITS: SheetLimits = {
  maxFileBytes: 5 * 1024 * 1024,
  maxUnzippedBytes: 50 * 1024 * 1024,
  maxRows: 5_000,
  maxColumns: 40,
  maxCellChars: 500,
};

export function importError(code: string, zh: string, en: string): HanjianError {
  return new HanjianError({ code, category: 'invalid_input', path: 'file', zh, en });
}
