/**
 * The fonts, parsed once per process (typesetting.md: re-parsing Noto per document costs
 * ~250 ms). Metrics are cached per code point; the same fontkit objects are handed to pdfkit.
 */
import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import { fontsPath } from '../paths.js';

export type Face = 'regular' | 'bold';

export interface LoadedFont {
  face: Face;
  font: fontkit.Font;
  unitsPerEm: number;
  /** Ascender in 1/1000 em, as pdfkit measures it. */
  ascender: number;
  advanceCache: Map<number, number>;
  /**
   * Code points known to have a glyph: hasGlyphForCodePoint walks the cmap through lazily
   * decoded arrays on every call. Only hits are kept, so the cache is bounded by the font.
   */
  glyphCache: Set<number>;
}

export interface FontSet {
  regular: LoadedFont;
  bold: LoadedFont;
}

export const FONT_FILES: Record<Face, string> = {
  regular: 'NotoSerifCJKsc-Regular.otf',
  bold: 'NotoSerifCJKsc-Bold.otf',
};

function load(face: Face, dir?: string): LoadedFont {
  const file = dir ? `${dir}/${FONT_FILES[face]}` : fontsPath(FONT_FILES[face]);
  const font = fontkit.create(readFileSync(file)) as fontkit.Font;
  return { face, font, unitsPerEm: font.unitsPerEm, ascender: (font.ascent * 1000) / font.unitsPerEm, advanceCache: new Map(), glyphCache: new Set() };
}

let cached: FontSet | undefined;
export function getFonts(): FontSet {
  return (cached ??= { regular: load('regular'), bold: load('bold') });
}

export function hasGlyph(f: LoadedFont, cp: number): boolean {
  if (f.glyphCache.has(cp)) return true;
  const has = f.font.hasGlyphForCodePoint(cp);
  if (has) f.glyphCache.add(cp);
  return has;
}

/** Advance width of a code point in 1/1000 em. */
export function advance(f: LoadedFont, cp: number): number {
  let w = f.advanceCache.get(cp);
  if (w === undefined) {
    w = (f.font.glyphForCodePoint(cp).advanceWidth * 1000) / f.unitsPerEm;
    f.advanceCache.set(cp, w);
  }
  return w;
}

export function textWidth(f: LoadedFont, text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += advance(f, ch.codePointAt(0)!);
  return (w * size) / 1000;
}
