/**
 * Every character must have a glyph: pdfkit would silently draw glyph 0 (a box) and lose the
 * character in copy/paste. Checked on the document model, before anything is drawn.
 */
import { HanjianError } from '../errors.js';
import type { Block, LetterDocument } from '../markup/model.js';
import { hasGlyph, type FontSet } from './fonts.js';

function blockTexts(b: Block): { text: string; bold: boolean }[] {
  switch (b.type) {
    case 'letterhead': return [{ text: b.name, bold: true }, ...b.lines.map((text) => ({ text, bold: false }))];
    case 'title':
    case 'heading': return [{ text: b.text, bold: true }];
    case 'number':
    case 'addressee':
    case 'paragraph': return [{ text: b.text, bold: false }];
    case 'item': return [{ text: b.marker + b.text, bold: false }];
    case 'table': return [{ text: b.caption, bold: false }, ...b.rows.flatMap((r) => r.cells.map((text) => ({ text, bold: r.kind !== 'body' })))];
    case 'signature': return b.lines.map((l) => ({ text: l.text, bold: false }));
    case 'attachments': return [b.title, ...b.items].map((text) => ({ text, bold: false }));
    case 'pagebreak': return [];
  }
}

/** Characters drawn by the layout itself (page numbers). */
const FIXED_TEXT = '第页共 0123456789';

export function checkGlyphs(doc: LetterDocument, fonts: FontSet): void {
  const missing = new Map<string, string>(); // char → U+XXXX
  const check = (text: string, bold: boolean) => {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (ch === ' ') continue;
      if (!hasGlyph(fonts.regular, cp) || (bold && !hasGlyph(fonts.bold, cp))) {
        missing.set(ch, `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
      }
    }
  };
  check(FIXED_TEXT, false);
  for (const b of doc.blocks) for (const t of blockTexts(b)) check(t.text, t.bold);
  if (missing.size) {
    const list = [...missing].map(([ch, code]) => `“${ch}”（${code}）`).join('、');
    const listEn = [...missing].map(([ch, code]) => `"${ch}" (${code})`).join(', ');
    throw new HanjianError({
      code: 'GLYPH_MISSING',
      category: 'render',
      zh: `字体中没有以下字符的字形，无法排版：${list}`,
      en: `no font has a glyph for ${listEn}; the letter cannot be typeset`,
    });
  }
}
