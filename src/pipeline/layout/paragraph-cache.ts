/**
 * Broken paragraphs remembered across documents. Why: a template's fixed paragraphs (the
 * articles of law, the notices) come out of every letter of that version identical, and
 * splitting and breaking them again was a third of the layout (issue 16). The result depends
 * only on the text, the font, the size, the measures and the breaker, which make the key, so
 * a hit gives exactly what breaking again would. Bounded: the least recently used paragraph
 * goes first, and a template's fixed paragraphs, used by every letter, stay. A paragraph is
 * kept only when it comes a second time (seen-twice.ts): one with a name or an amount in it
 * never repeats, and keeping it only made old-generation garbage.
 */
import { SeenTwice } from '../../shared/seen-twice.js';
import type { LoadedFont } from './fonts.js';
import type { BrokenParagraph } from './totalfit.js';

export const PARAGRAPH_CACHE_MAX = 256;

const caches = new WeakMap<LoadedFont, WeakMap<object, Map<string, BrokenParagraph>>>();
const seen = new SeenTwice();

export function cachedBreak(
  font: LoadedFont,
  breaker: object,
  key: string,
  compute: () => BrokenParagraph,
): BrokenParagraph {
  let byBreaker = caches.get(font);
  if (!byBreaker) caches.set(font, (byBreaker = new WeakMap()));
  let cache = byBreaker.get(breaker);
  if (!cache) byBreaker.set(breaker, (cache = new Map()));
  let broken = cache.get(key);
  if (broken) {
    cache.delete(key); // most recently used goes last
  } else {
    broken = compute();
    if (!seen.admit(key)) return broken;
    if (cache.size >= PARAGRAPH_CACHE_MAX) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, broken);
  return broken;
}

/** Paragraphs held for `font` and `breaker` (for tests). */
export function cachedParagraphs(font: LoadedFont, breaker: object): number {
  return caches.get(font)?.get(breaker)?.size ?? 0;
}
