/**
 * The codes a problem+json answer can carry, with their HTTP status: the error catalogue
 * (shared/error-catalogue.ts) less the codes raised only at start-up or by the CLI. This is a
 * view of that one table, published in the OpenAPI document; a test checks that every code the
 * service can raise is in the catalogue.
 */
import { ERROR_CATALOGUE, type ErrorCode } from '../shared/error-catalogue.js';

type LocalCode = {
  [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C] extends { local: true } ? C : never;
}[ErrorCode];

export type ProblemCode = Exclude<ErrorCode, LocalCode>;

export const PROBLEM_CODES = Object.fromEntries(
  Object.entries(ERROR_CATALOGUE)
    .filter(([, e]) => !('local' in e))
    .map(([code, e]) => [code, { status: e.status, about: e.en }]),
) as Record<ProblemCode, { status: number; about: string }>;

export function codesWithStatus(status: number): ProblemCode[] {
  return (Object.keys(PROBLEM_CODES) as ProblemCode[]).filter((c) => PROBLEM_CODES[c].status === status);
}
