import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const TODAY = '2026-11-28';

export function example(kind: 'reminder' | 'demand' | 'lawyer-letter', version = 1): Record<string, any> {
  return JSON.parse(readFileSync(join(ROOT, 'templates', kind, String(version), 'example.json'), 'utf8'));
}

/** Deep clone and apply a mutation, for table-driven bad-input tests. */
export function variant<T>(base: T, mutate: (draft: any) => void): T {
  const copy = structuredClone(base);
  mutate(copy);
  return copy;
}
