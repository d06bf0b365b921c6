/** The CLI's one table from error to exit code (documented in `hanjian --help`). */
import { HanjianError } from '../shared/errors.js';

export const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 3, unavailable: 4, interrupted: 130 } as const;

/** An outside service the letter depends on failed: nothing was issued, and the same command may succeed later. */
const OUTSIDE_FAILURES = new Set(['TSA_UNAVAILABLE', 'TSA_REPLY_INVALID']);

export class UsageError extends Error {}

export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.usage;
  if (e instanceof HanjianError) {
    // The operator's configuration is input to fix, not an internal failure.
    if (e.code === 'CONFIG_INVALID') return EXIT.invalid;
    if (OUTSIDE_FAILURES.has(e.code)) return EXIT.unavailable;
    switch (e.category) {
      case 'invalid_input':
      case 'compliance':
      case 'render':
      case 'not_found':
      case 'conflict':
      case 'forbidden':
        return EXIT.invalid;
      default:
        return EXIT.internal;
    }
  }
  return EXIT.internal;
}
