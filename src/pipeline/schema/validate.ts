/** validateLetter: bounds → parse + normalise → cross-field rules. Never throws on bad input. */
import { type Issue, invalidInput, makeIssue } from '../../shared/errors.js';
import { checkInputBounds } from './bounds.js';
import { checkContentRules } from './content-rules.js';
import { todayInShanghai } from './dates.js';
import { fromZodIssue } from './issues.js';
import { letterSchema, type ParsedLetter } from './letter.js';
import { fieldsOfRaw } from './partial.js';
import { checkPlanRules } from './plan-rules.js';
import { checkLetterRules, fieldsOfParsed } from './rules.js';
import { checkSaleRules } from './sale-rules.js';

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

export function validateLetter(input: unknown, options: ValidateOptions = {}): ValidationResult {
  // Depth, size and prototype keys first: nothing below may see input that could overflow a recursive walk.
  const bounds = checkInputBounds(input);
  if (bounds.length) return { ok: false, issues: bounds };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return {
      ok: false,
      issues: [makeIssue('', 'INVALID_TYPE', '输入必须是 JSON 对象', 'input must be a JSON object')],
    };
  }

  const today = options.today ?? todayInShanghai();
  const parsed = letterSchema.safeParse(input);
  if (!parsed.success) {
    const shape = parsed.error.issues.flatMap((i) => fromZodIssue(i, input));
    const rules = checkLetterRules(fieldsOfRaw(input as Record<string, unknown>, today), today);
    return { ok: false, issues: dedupe([...shape, ...rules]) };
  }
  const v = parsed.data;
  const issueDate = v.issueDate ?? today;
  const asOf = v.asOf ?? issueDate;
  // Content rules (letter numbers, engagement, clauses) need the whole parsed letter.
  const d = v.debt;
  const total = d.principal + d.interest + d.overdueInterest + d.penalty + d.fees - d.paid;
  const issues = [
    ...checkLetterRules(fieldsOfParsed(v, issueDate, asOf), today),
    ...checkContentRules(v, issueDate),
    ...checkPlanRules(v, issueDate, total),
    ...checkSaleRules(v, issueDate),
  ];
  if (issues.length) return { ok: false, issues };

  return { ok: true, value: { ...v, issueDate, asOf, debt: { ...d, total } } };
}

/** "demand.days REQUIRED" can come from both passes; report it once. */
function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Like validateLetter, but throws a HanjianError (code INVALID_INPUT) listing every issue. */
export function parseLetter(input: unknown, options: ValidateOptions = {}): LetterData {
  const r = validateLetter(input, options);
  if (!r.ok) throw invalidInput(r.issues);
  return r.value;
}
