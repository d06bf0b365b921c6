/**
 * Loads rules/compliance.json: forbidden conduct as categories built from vocabulary. The
 * file holds data only; this module turns `{name}` and `{gap}` into regular expressions once,
 * and refuses a file that names an unknown list or does not compile, at load time.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { rulesPath } from '../../shared/paths.js';
import { cacheKey, readEntry, writeEntry } from '../templates/disk-cache.js';
import { ANALYSIS, RequiredText, type Requirement, requiredText } from './required-text.js';

const fileSchema = z.strictObject({
  version: z.number().int().min(1),
  description: z.string(),
  gapMax: z.number().int().min(0).max(30),
  vocabulary: z.record(z.string(), z.array(z.string().min(1)).min(1)),
  categories: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z-]+$/),
        zh: z.string().min(1),
        en: z.string().min(1),
        patterns: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
});

export interface ConductCategory {
  id: string;
  zh: string;
  en: string;
  patterns: RegExp[];
}

export interface ConductRules {
  version: number;
  categories: ConductCategory[];
  /** A negation word anywhere in the clause before a hit voids it. */
  negation: RegExp;
  /** A sentence with both an actor other than the sender and advice to refuse or report is protective. */
  protectiveActor: RegExp;
  protectiveAdvice: RegExp;
  /**
   * What each pattern cannot match without, in the order of `categories` and their `patterns`
   * (required-text.ts): a sentence without it skips the pattern. Absent: every pattern runs.
   */
  required?: RequiredText;
}

/** Punctuation that ends a clause: intervening words never reach across it. */
export const CLAUSE_END = '，,。．！!？?；;：:\\n';

const REQUIRED_LISTS = ['negation', 'protectiveActor', 'protectiveAdvice'] as const;

export function parseConductRules(raw: unknown, file = 'rules/compliance.json'): ConductRules {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const r = parsed.data;
  for (const name of REQUIRED_LISTS)
    if (!r.vocabulary[name]) throw new Error(`${file}: vocabulary.${name} is required`);

  const alternation = (name: string): string => {
    const words = r.vocabulary[name];
    if (!words) throw new Error(`${file}: unknown vocabulary list {${name}}`);
    return `(?:${words.join('|')})`;
  };
  const negation = alternation('negation');
  // Intervening words: up to gapMax characters of one clause, none of them starting a negation.
  const gap = `(?:(?!${negation})[^${CLAUSE_END}]){0,${r.gapMax}}?`;
  const expand = (pattern: string, where: string): RegExp => {
    const source = pattern.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => (name === 'gap' ? gap : alternation(name)));
    try {
      return new RegExp(source, 'gu');
    } catch (e) {
      throw new Error(`${file}: ${where} does not compile: ${(e as Error).message}`);
    }
  };

  const categories = r.categories.map((c) => ({
    id: c.id,
    zh: c.zh,
    en: c.en,
    patterns: c.patterns.map((p, i) => expand(p, `categories.${c.id}.patterns.${i}`)),
  }));
  return {
    version: r.version,
    categories,
    negation: new RegExp(negation, 'u'),
    protectiveActor: new RegExp(alternation('protectiveActor'), 'u'),
    protectiveAdvice: new RegExp(alternation('protectiveAdvice'), 'u'),
    required: new RequiredText(requirementsOf(categories.flatMap((c) => c.patterns))),
  };
}

/**
 * What each pattern needs (required-text.ts), found once per machine: kept in the disk cache
 * under the patterns themselves and the analysis's own source, like a compiled template.
 */
function requirementsOf(patterns: RegExp[]): Requirement[] {
  const key = cacheKey('conduct-required-1', ANALYSIS(), ...patterns.map((p) => `/${p.source}/${p.flags}`));
  const hit = readEntry('rules', key);
  if (hit) {
    try {
      const found = JSON.parse(hit.toString('utf8')) as unknown;
      const isSet = (s: unknown) => Array.isArray(s) && s.length > 0 && s.every((x) => typeof x === 'string' && x);
      if (
        Array.isArray(found) &&
        found.length === patterns.length &&
        found.every((r) => Array.isArray(r) && r.every(isSet))
      )
        return found as Requirement[];
    } catch {
      // A damaged entry: found again below.
    }
  }
  const found = patterns.map(requiredText);
  writeEntry('rules', key, Buffer.from(JSON.stringify(found), 'utf8'));
  return found;
}

export function loadConductRules(file = rulesPath('compliance.json')): ConductRules {
  return parseConductRules(JSON.parse(readFileSync(file, 'utf8')), file);
}

let cached: ConductRules | undefined;
export const getConductRules = (): ConductRules => (cached ??= loadConductRules());
