/**
 * The letter as text for a terminal, laid out from the same blocks as the PDF (layout/blocks.ts):
 * paragraphs indented two characters on the first line only, headings indented, numbered items
 * with the marker at two characters and the text hanging after it, the number and signature on
 * the right, the table in columns. CJK characters count as two columns.
 */
import type { Block } from '../pipeline/index.js';

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd) ||
    cp === 0x2014 ||
    cp === 0x2026 ||
    (cp >= 0x201c && cp <= 0x201d)
  );
}

/** Tokens that are never split: a run of Latin letters, digits and separators (numbers, IDs, URLs), else one character. */
const TOKENS = /[A-Za-z0-9][A-Za-z0-9.,:/\-_%*]*|[\s\S]/gu;

/** clreq's line-start and line-end prohibitions (typesetting.md), as the PDF applies them. */
const NO_START = new Set('，。、；：？！）］｝〕〉》」』】”’…—％‰℃·,.;:?!)]}%');
const NO_END = new Set('（［｛〔〈《「『【“‘([{¥$');

/**
 * Wraps to `width` columns; the first line starts after `first` spaces, the others after `rest`.
 * A closing mark never starts a line and an opening one never ends it: the previous line's last
 * token moves down with it instead (as the PDF does, without the PDF's justification).
 */
export function flow(text: string, width: number, first = 0, rest = 0): string[] {
  const lines: string[][] = [];
  let cur: string[] = [];
  let indent = first;
  const used = () => indent + displayWidth(cur.join(''));
  for (const tok of text.match(TOKENS) ?? []) {
    if (cur.length && used() + displayWidth(tok) > width) {
      const carry: string[] = [];
      // Pull tokens down while the break would put a closing mark first or leave an opening mark last.
      while (cur.length > 1 && (NO_START.has((carry[0] ?? tok)[0]!) || NO_END.has(cur.at(-1)!)))
        carry.unshift(cur.pop()!);
      lines.push(cur);
      cur = carry;
      indent = rest;
      if (!carry.length && tok.trim() === '') continue; // a space where the line breaks is not carried to the next line
    }
    cur.push(tok);
  }
  if (cur.length || lines.length === 0) lines.push(cur);
  return lines.map((l, i) => (' '.repeat(i === 0 ? first : rest) + l.join('')).trimEnd());
}

/** Plain wrapping without indents (the plan table's reasons). */
export const wrap = (text: string, width: number): string[] => flow(text, width);

const centre = (s: string, w: number) => ' '.repeat(Math.max(0, Math.floor((w - displayWidth(s)) / 2))) + s;
const right = (s: string, w: number, margin = 0) => ' '.repeat(Math.max(0, w - margin - displayWidth(s))) + s;

/** Two full-width characters: the first-line indent of a paragraph in the PDF (2 em). */
const INDENT = 4;

export function formatBlocks(blocks: Block[], width: number): string {
  const w = Math.max(30, Math.min(width, 100));
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'letterhead':
        out.push(
          centre(b.name, w),
          ...b.lines.flatMap((l) => flow(l, w)).map((l) => centre(l.trim(), w)),
          '─'.repeat(w),
        );
        break;
      case 'window': {
        // The envelope window's block, where the PDF has it: at the left, about 40 columns wide.
        const box = Math.min(w, 40);
        out.push('', ...flow(b.from, box, 2, 2));
        if (b.postcode) out.push(`  ${b.postcode}`);
        out.push(...flow(b.address, box, 2, 2), `  ${b.name}`);
        break;
      }
      case 'title':
        out.push('', centre(b.text, w), '');
        break;
      case 'number':
        out.push(right(b.text, w));
        break;
      case 'addressee':
        out.push(...flow(b.text, w));
        break;
      case 'heading':
        out.push(...flow(b.text, w, INDENT, INDENT));
        break;
      case 'paragraph':
        out.push(...flow(b.text, w, INDENT, 0));
        break;
      case 'item': {
        const hang = INDENT + displayWidth(b.marker);
        const [head = '', ...more] = flow(b.text, w, hang, hang);
        out.push(' '.repeat(INDENT) + b.marker + head.slice(hang), ...more);
        break;
      }
      case 'table':
        out.push(...tableLines(b, w));
        break;
      case 'signature':
        out.push(
          '',
          ...signatureLines(
            b.lines.map((l) => l.text),
            w,
          ),
        );
        break;
      case 'attachments': {
        const hang = displayWidth(b.title);
        out.push('', ...flow(b.title, w));
        for (const item of b.items) out.push(...flow(item, w, hang, hang));
        break;
      }
      case 'pagebreak':
        break;
    }
  }
  return out.join('\n');
}

/** First column left, the amounts right-aligned under each other, the table centred like the PDF's. */
function tableLines(b: Extract<Block, { type: 'table' }>, w: number): string[] {
  const cols = Math.max(...b.rows.map((r) => r.cells.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(...b.rows.map((r) => displayWidth(r.cells[i] ?? ''))));
  const gap = 4;
  const total = widths.reduce((a, x) => a + x, 0) + gap * (cols - 1);
  const pad = ' '.repeat(Math.max(0, Math.floor((w - total) / 2)));
  const row = (cells: string[]) =>
    pad +
    cells
      .map((c, i) => (i === 0 ? c + ' '.repeat(widths[0]! - displayWidth(c)) : right(c, widths[i]!)))
      .join(' '.repeat(gap));
  const lines = b.caption ? [centre(b.caption, w)] : [];
  for (const r of b.rows) {
    if (r.kind === 'total') lines.push(pad + '─'.repeat(total));
    lines.push(row(r.cells).trimEnd());
    if (r.kind === 'header') lines.push(pad + '─'.repeat(total));
  }
  return lines;
}

/** As GB/T 9704 and the PDF: the date stands four characters from the right, the other lines centred over it. */
function signatureLines(lines: string[], w: number): string[] {
  const margin = 2 * INDENT;
  const date = lines.at(-1) ?? '';
  const mid = w - margin - displayWidth(date) / 2;
  return lines.map((l) => {
    const start = Math.min(Math.round(mid - displayWidth(l) / 2), w - displayWidth(l));
    return ' '.repeat(Math.max(0, start)) + l;
  });
}
