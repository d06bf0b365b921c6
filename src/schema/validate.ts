/** validateLetter: parse + normalise + cross-field rules. Never throws on bad input. */
import { invalidInput, makeIssue, type Issue } from '../errors.js';
import { todayInShanghai } from './dates.js';
import { fromZodIssue } from './issues.js';
import { letterSchema, type ParsedLetter } from './letter.js';
import { checkLetterRules } from './rules.js';

/** The normalised letter: money in integer fen, every date filled in, the total computed. */
export type LetterData = Omit<ParsedLetter, 'issueDate' | 'asOf' | 'debt'> & {
  issueDate: string;
  asOf: string;
  debt: Omit<ParsedLetter['debt'], 'total'> & { total: number };
};

export type ValidationResult = { ok: true; value: LetterData } | { ok: false; issues: Issue[] };

export interface ValidateOptions {
  /** "Today" in Asia/Shanghai as YYYY-MM-DD; defaults to the real date. Tests and re-renders pin it. */
  today?: string;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function findForbiddenKeys(value: unknown, path: string[], out: Issue[]): void {
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    const p = [...path, key];
    if (FORBIDDEN_KEYS.has(key)) {
      out.push(makeIssue(p.join('.'), 'FORBIDDEN_KEY', `不允许的字段名“${key}”`, `field name "${key}" is not allowed`));
    } else {
      findForbiddenKeys((value as Record<string, unknown>)[key], p, out);
    }
  }
}

export function validateLetter(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const forbidden: Issue[] = [];
  findForbiddenKeys(input, [], forbidden);
  if (forbidden.length) return { ok: false, issues: forbidden };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, issues: [makeIssue('', 'INVALID_TYPE', '输入必须是 JSON 对象', 'input must be a JSON object')] };
  }

  const parsed = letterSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.flatMap((i) => fromZodIssue(i, input)) };
  }
  const v = parsed.data;
  const today = options.today ?? todayInShanghai();
  const issueDate = v.issueDate ?? today;
  const asOf = v.asOf ?? issueDate;
  const issues = checkLetterRules(v, issueDate, asOf, today);
  if (issues.length) return { ok: false, issues };

  const d = v.debt;
  const total = d.principal + d.interest + d.overdueInterest + d.penalty + d.fees - d.paid;
  return { ok: true, value: { ...v, issueDate, asOf, debt: { ...d, total } } };
}

/** Like validateLetter, but throws a HanjianError (code INVALID_INPUT) listing every issue. */
export function parseLetter(input: unknown, options: ValidateOptions = {}): LetterData {
  const r = validateLetter(input, options);
  if (!r.ok) throw invalidInput(r.issues);
  return r.value;
}
