/**
 * Admission to a cache on the second sighting. Why: the process-wide caches (broken
 * paragraphs, the conduct rules' sentence hits) pay off for a template's fixed text, which
 * every letter repeats; a paragraph or sentence that carries a debtor's name or an amount is
 * seen once. Cached on first sight, those entries lived until evicted — long enough to be
 * promoted to the old generation, whose garbage grew the heap (and peak RSS) by tens of MB
 * over 2,000 letters (issue 16). Only a 32-bit hash of each key is remembered here, so a
 * collision merely admits an entry a little early; the caches still compare whole keys.
 */
export class SeenTwice {
  private readonly seen = new Set<number>();

  /** `max`: hashes held before they are forgotten all at once (a fixed text is seen again long before). */
  constructor(private readonly max = 4096) {}

  /** True when `key` was offered before (since the hashes were last forgotten). */
  admit(key: string): boolean {
    const h = fnv1a(key);
    if (this.seen.has(h)) return true;
    if (this.seen.size >= this.max) this.seen.clear();
    this.seen.add(h);
    return false;
  }
}

/** FNV-1a over UTF-16 code units: fast, and good enough to tell paragraphs apart. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
