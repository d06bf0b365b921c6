/**
 * Finds forbidden conduct in letter text. A hit is a category pattern that matches inside a
 * sentence and survives two contexts a careful reader applies: negation earlier in its clause
 * ("本公司不会联系您的家人") and a protective sentence that warns the debtor against someone
 * else doing the thing ("如有人以本公司名义联系您的亲友，请拒绝并举报"). Honest reassurance
 * therefore passes, and the vocabulary can stay broad.
 */
import { SeenTwice } from '../../shared/seen-twice.js';
import { CLAUSE_END, type ConductRules } from './conduct-rules.js';
import { foldWidth } from './fold.js';

export interface ConductHit {
  category: string;
  zh: string;
  en: string;
  /** The matched words. */
  match: string;
  /** The sentence it was found in. */
  sentence: string;
  /** 1-based line of the text. */
  line: number;
}

const RHETORICAL = /不[^，,。；;]{0,12}[吗吧][？?]?$/u;
const SENTENCE = /[^。！!？?；;\n]+[。！!？?；;]?/gu;
const CLAUSE_BREAK = new RegExp(`[${CLAUSE_END}]`, 'u');

/** The part of the sentence's clause that comes before `index`. */
function clauseBefore(sentence: string, index: number): string {
  const before = sentence.slice(0, index);
  let start = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    if (CLAUSE_BREAK.test(before[i]!)) {
      start = i + 1;
      break;
    }
  }
  return before.slice(start);
}

export function isProtective(sentence: string, rules: ConductRules): boolean {
  return rules.protectiveActor.test(sentence) && rules.protectiveAdvice.test(sentence);
}

/** Every hit in one sentence, at most one per category (the first that survives its context). */
export function sentenceHits(sentence: string, rules: ConductRules): Omit<ConductHit, 'line'>[] {
  if (isProtective(sentence, rules)) return [];
  // "你不会跟朋友借吗？" (or …吧？) negates nothing: a rhetorical question asserts what it seems to deny.
  const rhetorical = RHETORICAL.test(sentence);
  const out: Omit<ConductHit, 'line'>[] = [];
  // Patterns whose required words are not in the sentence cannot match it: they are not run,
  // and a pattern never run is never compiled (required-text.ts).
  const mayMatch = rules.required?.scan(sentence);
  let index = 0;
  for (const c of rules.categories) {
    const first = index;
    index += c.patterns.length;
    hit: for (const [k, pattern] of c.patterns.entries()) {
      if (mayMatch && !mayMatch(first + k)) continue;
      // exec on the shared global pattern: matchAll would clone (and recompile) it for every sentence.
      pattern.lastIndex = 0;
      for (let m = pattern.exec(sentence); m; m = pattern.exec(sentence)) {
        if (m[0] === '') {
          pattern.lastIndex++;
          continue;
        }
        if (!rhetorical && rules.negation.test(clauseBefore(sentence, m.index))) continue;
        out.push({ category: c.id, zh: c.zh, en: c.en, match: m[0], sentence: sentence.trim() });
        break hit;
      }
    }
  }
  return out;
}

/**
 * Most sentences of a letter are the template's and repeat across letters, so each rule set
 * keeps the hits of the sentences it has seen twice (bounded; a pure function of sentence and
 * rules). A sentence with a name or an amount comes once: kept, it only grew the heap.
 */
const CACHE_LIMIT = 20_000;
const seen = new SeenTwice();
const caches = new WeakMap<ConductRules, Map<string, Omit<ConductHit, 'line'>[]>>();

function cachedSentenceHits(sentence: string, rules: ConductRules): Omit<ConductHit, 'line'>[] {
  let cache = caches.get(rules);
  if (!cache) caches.set(rules, (cache = new Map()));
  let hits = cache.get(sentence);
  if (!hits) {
    hits = sentenceHits(sentence, rules);
    if (!seen.admit(sentence)) return hits;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(sentence, hits);
  }
  return hits;
}

/** Hits in the text with full-width digits and letters read as ASCII (fold.ts): 'Ａlipay' is Alipay. */
export function findConduct(text: string, rules: ConductRules): ConductHit[] {
  const out: ConductHit[] = [];
  foldWidth(text)
    .split('\n')
    .forEach((line, i) => {
      for (const [sentence] of line.matchAll(SENTENCE)) {
        for (const h of cachedSentenceHits(sentence, rules)) out.push({ ...h, line: i + 1 });
      }
    });
  return out;
}
