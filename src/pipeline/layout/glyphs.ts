/**
 * Every character must have a glyph: pdfkit would silently draw glyph 0 (a box) and lose the
 * character in copy/paste. Checked on the document model, before anything is drawn.
 */
import { HanjianError, makeIssue } from '../../shared/errors.js';
import type { Block, LetterDocument } from '../markup/model.js';
import { type FontSet, hasGlyph } from './fonts.js';

/** The texts a block draws, each with its face. */
export function blockTexts(b: Block): { text: string; bold: boolean }[] {
  switch (b.type) {
    case 'letterhead':
      return [{ text: b.name, bold: true }, ...b.lines.map((text) => ({ text, bold: false }))];
    case 'title':
    case 'heading':
      return [{ text: b.text, bold: true }];
    case 'number':
    case 'addressee':
    case 'paragraph':
      return [{ text: b.text, bold: false }];
    case 'item':
      return [{ text: b.marker + b.text, bold: false }];
    case 'table':
      return [
        { text: b.caption, bold: false },
        ...b.rows.flatMap((r) => r.cells.map((text) => ({ text, bold: r.kind !== 'body' }))),
      ];
    case 'signature':
      return b.lines.map((l) => ({ text: l.text, bold: false }));
    case 'attachments':
      return [b.title, ...b.items].map((text) => ({ text, bold: false }));
    case 'window':
      return [...[b.from, b.postcode, b.address].map((text) => ({ text, bold: false })), { text: b.name, bold: true }];
    case 'pagebreak':
      return [];
  }
}

/** Characters drawn by the layout itself (page numbers). */
const FIXED_TEXT = '第页共 0123456789';

/** The characters of `texts` that the font (regular, and bold where drawn bold) cannot draw, each once. */
export function missingGlyphs(texts: Iterable<{ text: string; bold: boolean }>, fonts: FontSet): string[] {
  const missing = new Set<string>();
  for (const { text, bold } of texts) {
    for (const ch of text) {
      if (ch === ' ') continue;
      const cp = ch.codePointAt(0)!;
      if (!hasGlyph(fonts.regular, cp) || (bold && !hasGlyph(fonts.bold, cp))) missing.add(ch);
    }
  }
  return [...missing];
}

/** Every character the document (and the page furniture) will draw. */
export function documentMissingGlyphs(doc: LetterDocument, fonts: FontSet): string[] {
  return missingGlyphs([{ text: FIXED_TEXT, bold: false }, ...doc.blocks.flatMap(blockTexts)], fonts);
}

/**
 * GLYPH_MISSING, with one issue per input field that holds a missing character (so it reads
 * like every other 422), or one issue without a path when the character came from elsewhere.
 */
export function glyphMissingError(chars: string[], fields: { path: string; value: string }[] = []): HanjianError {
  const code = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const zhOf = (cs: string[]) =>
    `字体中没有以下字符的字形，无法排版：${cs.map((ch) => `“${ch}”（${code(ch)}）`).join('、')}`;
  const enOf = (cs: string[]) =>
    `no font has a glyph for ${cs.map((ch) => `"${ch}" (${code(ch)})`).join(', ')}; the letter cannot be typeset`;
  const issues = fields.map((f) => {
    const own = chars.filter((ch) => f.value.includes(ch));
    return makeIssue(f.path, 'GLYPH_MISSING', zhOf(own), enOf(own));
  });
  return new HanjianError({
    code: 'GLYPH_MISSING',
    category: 'render',
    path: fields.map((f) => f.path).join(', '),
    zh: zhOf(chars),
    en: enOf(chars),
    ...(issues.length ? { issues } : {}),
  });
}
