/**
 * Data is printed literally. Every string that comes from the input is escaped before it
 * meets the template, so a value such as "::pagebreak" or "a | b" can never become markup;
 * the parser turns `\x` back into `x`.
 */
const SPECIAL = /[\\|:]/g;
const HAS_SPECIAL = /[\\|:]/;

export function escapeMarkup(s: string): string {
  // Most values have nothing to escape: no replace (and no new string) for them.
  return HAS_SPECIAL.test(s) ? s.replace(SPECIAL, (c) => `\\${c}`) : s;
}

export function unescapeMarkup(s: string): string {
  return s.replace(/\\(.)/gu, '$1');
}

/** Deep-escape every string in a view model (arrays and plain objects; other values pass through). */
export function escapeDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeMarkup(value) as T;
  if (Array.isArray(value)) return value.map((v) => escapeDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = escapeDeep((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}
