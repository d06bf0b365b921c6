/**
 * Data is printed literally. Every string that comes from the input is escaped before it
 * meets the template, so a value such as "::pagebreak" or "a | b" can never become markup;
 * the parser turns `\x` back into `x`.
 */
const SPECIAL = /[\\|:]/g;

export function escapeMarkup(s: string): string {
  return s.replace(SPECIAL, (c) => `\\${c}`);
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
    for (const [k, v] of Object.entries(value)) out[k] = escapeDeep(v);
    return out as T;
  }
  return value;
}
