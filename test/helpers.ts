import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const TODAY = '2026-11-28';

export function example(
  kind: 'reminder' | 'demand' | 'lawyer-letter' | 'plan-confirmation',
  version = 1,
): Record<string, any> {
  return JSON.parse(readFileSync(join(ROOT, 'templates', kind, String(version), 'example.json'), 'utf8'));
}

/** Deep clone and apply a mutation, for table-driven bad-input tests. */
export function variant<T>(base: T, mutate: (draft: any) => void): T {
  const copy = structuredClone(base);
  mutate(copy);
  return copy;
}

/** An example dated `day` (issue date and as-of date): a final letter is dated the day it is issued. */
export function dated(kind: 'reminder' | 'demand' | 'lawyer-letter', day: string = TODAY): Record<string, any> {
  const x = example(kind);
  delete x.letterNo;
  x.issueDate = day;
  x.asOf = day;
  return x;
}
