/**
 * The characters a template version always or often draws itself (its wording, not the data),
 * split by the face they are set in. The PDF stage embeds one font subset per template for
 * them, built once per process and shared by every letter of that version, and subsets only
 * the remaining characters (names, addresses, amounts in capitals) per letter (issue 16).
 *
 * Derived from the template's own source (letter.hbs) only, so the set — and with it every
 * PDF's bytes — never depends on which letters a process rendered before. Only text outside
 * every block helper ({{#if}}, {{#each}}, …) counts: that text is in every letter of the
 * version, so the shared subset carries no glyph a letter does not draw (an unused glyph
 * would cost its bytes in every PDF). Conditional text, optional clauses and data go to the
 * per-letter subset.
 */
import type { TemplateVersion } from './catalog.js';

export interface FixedText {
  regular: string;
  bold: string;
}

/** Markup lines set in the bold face (markup/parse: title, headings, table header and total rows). */
const BOLD_LINE = /^(::title |::heading |\|#|\|=)/;

const cache = new WeakMap<TemplateVersion, FixedText>();

export function fixedTextOf(template: TemplateVersion): FixedText {
  let fixed = cache.get(template);
  if (!fixed) {
    fixed = collect(template);
    cache.set(template, fixed);
  }
  return fixed;
}

function collect(template: TemplateVersion): FixedText {
  const regular = new Set<string>();
  const bold = new Set<string>();
  const lines = unconditionalText(template.source).split('\n');
  for (const line of lines) {
    const into = BOLD_LINE.test(line) ? bold : regular;
    for (const ch of line.replace(/^::\w+ /, '')) if (!isMarkupSyntax(ch)) into.add(ch);
  }
  return { regular: sorted(regular), bold: sorted(bold) };
}

/** The source with comments, expressions and everything inside block helpers removed. */
export function unconditionalText(source: string): string {
  let depth = 0;
  let out = '';
  const tokens = source.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, '').split(/(\{\{[\s\S]*?\}\})/);
  for (const t of tokens) {
    if (t.startsWith('{{')) {
      const inner = t.replace(/^\{\{~?\s*/, '');
      if (inner.startsWith('#')) depth++;
      else if (inner.startsWith('/')) depth = Math.max(0, depth - 1);
    } else if (depth === 0) {
      out += t;
    }
  }
  return out;
}

/** ASCII letters and markup punctuation are syntax or data more often than wording. */
function isMarkupSyntax(ch: string): boolean {
  return ch <= ' ' || /[A-Za-z|#=:{}]/.test(ch);
}

function sorted(chars: Set<string>): string {
  return [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!).join('');
}
