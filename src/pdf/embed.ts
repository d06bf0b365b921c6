/**
 * Per-document font objects for pdfkit, with the shaping replaced by a per-code-point glyph
 * lookup shared across documents. Why: pdfkit lays out each text run through fontkit's GSUB
 * per document (typesetting.md: the single largest cost after font parsing). Chinese body text
 * needs no shaping beyond the SC face's cmap, and the gaps of inter-character justification
 * are applied here as per-glyph advances, which pdfkit writes as one TJ array per line.
 */
import type PDFDocument from 'pdfkit';
import type { LoadedFont } from '../layout/fonts.js';

interface FontkitGlyph { id: number; advanceWidth: number; codePoints: number[] }
interface Position { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number }
interface EmbeddedFontInternals {
  subset: { includeGlyph: (id: number) => number };
  widths: number[];
  unicode: number[][];
  scale: number;
  layout: (text: string, features?: unknown, onlyWidth?: boolean) => { glyphs: FontkitGlyph[] | null; positions: Position[] | null; advanceWidth: number };
  encode: (text: string, features?: unknown) => [string[], Position[]];
}

/** Gaps are passed through pdfkit's `features` option, which reaches encode() untouched. */
export interface GapFeatures { hanjianGaps: number[] }

const glyphCaches = new WeakMap<LoadedFont, Map<number, FontkitGlyph>>();

function glyphFor(f: LoadedFont, cp: number): FontkitGlyph {
  let cache = glyphCaches.get(f);
  if (!cache) glyphCaches.set(f, (cache = new Map()));
  let g = cache.get(cp);
  if (!g) {
    g = f.font.glyphForCodePoint(cp) as unknown as FontkitGlyph;
    cache.set(cp, g);
  }
  return g;
}

/** Register `f` in the document under `name` and patch its embedded font object. */
export function registerFont(doc: PDFKit.PDFDocument, name: string, f: LoadedFont): void {
  doc.registerFont(name, f.font as unknown as string);
  doc.font(name);
  const ef = (doc as unknown as { _font: EmbeddedFontInternals })._font;
  const scale = ef.scale;

  ef.layout = (text: string, _features?: unknown, onlyWidth?: boolean) => {
    let advanceWidth = 0;
    const glyphs: FontkitGlyph[] = [];
    for (const ch of text) {
      const g = glyphFor(f, ch.codePointAt(0)!);
      advanceWidth += g.advanceWidth * scale;
      if (!onlyWidth) glyphs.push(g);
    }
    return { glyphs: onlyWidth ? null : glyphs, positions: null, advanceWidth };
  };

  ef.encode = (text: string, features?: unknown) => {
    const gaps = (features as GapFeatures | undefined)?.hanjianGaps;
    const res: string[] = [];
    const positions: Position[] = [];
    let i = 0;
    for (const ch of text) {
      const g = glyphFor(f, ch.codePointAt(0)!);
      const gid = ef.subset.includeGlyph(g.id);
      res.push(`0000${gid.toString(16)}`.slice(-4));
      if (ef.widths[gid] == null) ef.widths[gid] = g.advanceWidth * scale;
      if (ef.unicode[gid] == null) ef.unicode[gid] = g.codePoints;
      const advanceWidth = g.advanceWidth * scale;
      positions.push({ xAdvance: advanceWidth + (gaps?.[i] ?? 0), yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth });
      i++;
    }
    return [res, positions];
  };
}

export type { PDFDocument };
