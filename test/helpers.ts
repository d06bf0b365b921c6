import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fenToYuan, figuresOf, validate } from '../src/pipeline/index.js';

export const ROOT = join(import.meta.dirname, '..');

/** Every built-in template version on disk, as sorted ids (`demand@1` …), optionally of some kinds only. */
export function templateIdsOnDisk(kinds?: string[]): string[] {
  const dir = join(ROOT, 'templates');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && (!kinds || kinds.includes(d.name)))
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .filter((v) => /^\d+$/.test(v))
        .map((v) => `${d.name}@${v}`),
    )
    .sort();
}
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
  return restated(x, day);
}

/**
 * The letter with its amounts stated as of `asOf`: interest and overdue interest as its own
 * terms give them on that day (and the total to match), so that it is issued as it stands — a
 * final letter whose figures do not follow from its terms is refused (issue 27).
 */
export function restated<T extends Record<string, any>>(x: T, asOf: string): T {
  (x as Record<string, any>).asOf = asOf;
  // Only what the figures depend on, as a reminder (a lawyer's letter before review lacks its firm and lawyers).
  const { creditor, debtor, account, debt: stated, terms } = x as Record<string, any>;
  const probe = {
    kind: 'reminder',
    issueDate: asOf,
    asOf,
    creditor,
    debtor,
    account,
    terms,
    debt: { ...stated, total: undefined },
  };
  const r = validate(probe, { today: asOf });
  if (!r.ok) return x; // a deliberately bad input keeps its figures: the test is about something else
  const f = figuresOf(r.value);
  const debt = x.debt as Record<string, unknown>;
  debt.interest = fenToYuan(f.interest);
  debt.overdueInterest = fenToYuan(f.overdueInterest);
  if (debt.total !== undefined) {
    const d = r.value.debt;
    debt.total = fenToYuan(d.principal + f.interest + f.overdueInterest + d.penalty + d.fees - d.paid);
  }
  return x;
}
