/**
 * The one rule for background work (batch rows and workspace tasks alike): which failures a
 * later attempt may not meet. A refusal of the data or of the caller (invalid input, a
 * compliance or template refusal, not found, forbidden, a conflict) is final — trying again
 * cannot change it. Anything else (a busy registry, a full render queue, a timed-out render,
 * an unreachable timestamp authority, an unexpected error) may pass, and is tried again, with a
 * growing delay, until the attempts run out.
 */
import { type HanjianError, isHanjianError } from '../shared/errors.js';

const FINAL_CATEGORIES = new Set<HanjianError['category']>([
  'invalid_input',
  'compliance',
  'template',
  'render',
  'not_found',
  'forbidden',
  'conflict',
]);

/** True when trying the same work again later may succeed. */
export function mayPass(e: unknown): boolean {
  return !(isHanjianError(e) && FINAL_CATEGORIES.has(e.category));
}

/** Attempts of one piece of work before a failure that may pass is recorded as its failure. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The wait before the next attempt: doubled per attempt from `firstMs`, at most a minute. */
export const retryDelay = (firstMs: number, attempt: number): number =>
  Math.min(firstMs * 2 ** Math.max(0, attempt - 1), 60_000);
