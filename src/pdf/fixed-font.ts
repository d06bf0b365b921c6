/**
 * A template's fixed characters embedded from a subset made once per process (issue 16).
 * Why: subsetting Noto's CFF and deflating it for every letter was about half of a render,
 * yet nine in ten characters of a letter come from its template's own text. Those are drawn
 * with a font whose subset — the fixed characters the letter uses, in code-point order — is
 * encoded and compressed once per distinct set and written into each PDF as it is; only a
 * letter's variable characters (names, addresses, banks) go through pdfkit's per-document
 * subsetting.
 *
 * Which characters are fixed depends only on the template's source and FIXED_EXTRA, both
 * unchanging for a released template version under one layout engine, and the cache changes
 * only speed, never bytes: output stays byte-identical.
 */
import { deflateSync } from 'node:zlib';
import type { LoadedFont } from '../layout/fonts.js';

/** Characters nearly every letter draws outside its template text: figures, amounts in capitals, dates, page numbers. */
const FIXED_EXTRA = '0123456789,.-:/% 年月日第页共';

export interface FixedSubset {
  /** Code points drawn with this font. */
  codePoints: Set<number>;
  /** Original glyph id → CID in the subset. */
  cidOf: Map<number, number>;
  /** Per CID, in 1/1000 em (pdfkit's `widths`), and the code points for ToUnicode. */
  widths: number[];
  unicode: number[][];
  /** The subset CFF, deflated. */
  cffDeflated: Buffer;
}

const cache = new WeakMap<LoadedFont, Map<string, FixedSubset>>();
const faces = new WeakMap<LoadedFont, LoadedFont>();

/**
 * The same font under another PostScript name: pdfkit reuses an embedded font with an equal
 * name, and the fixed and per-document subsets must be two fonts in the PDF. Made once, so
 * per-font caches keyed by it keep working.
 */
export function fixedFace(f: LoadedFont): LoadedFont {
  let face = faces.get(f);
  if (!face) {
    const font = Object.create(f.font, { postscriptName: { value: `${f.font.postscriptName}-Fixed` } }) as typeof f.font;
    faces.set(f, (face = { ...f, font }));
  }
  return face;
}

/** The non-ASCII characters of a template's source plus FIXED_EXTRA that the font can draw. */
export function fixedCharacters(templateSource: string, f: LoadedFont): number[] {
  const cps = new Set<number>();
  for (const ch of templateSource + FIXED_EXTRA) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0x20 && cp < 0x7f) || cp > 0x7f) cps.add(cp);
  }
  return [...cps].filter((cp) => f.font.hasGlyphForCodePoint(cp)).sort((a, b) => a - b);
}

/** Subsets kept per font (~100 KB each): a template's letters share few distinct fixed sets (its conditional sections, which figures occur). */
const MAX_CACHED = 128;
const candidates = new Map<string, Set<number>>();
const stats = { documents: 0, built: 0 };

/** How often a document found its fixed subset ready (for the benchmark). */
export function fixedSubsetStats(): { documents: number; built: number } {
  return { ...stats };
}

/** Forget every cached subset (tests: a cold cache must give the same bytes as a warm one). */
export function clearFixedSubsets(): void {
  candidates.clear();
  for (const perFont of allCaches) perFont.clear();
}
const allCaches = new Set<Map<string, FixedSubset>>();

/**
 * The subset of the template's fixed characters this document uses. Only used glyphs are
 * embedded (an unused one would cost bytes in every PDF); the letters of one template share
 * few distinct sets, so the subset is made once per set and reused.
 */
export function fixedSubset(f: LoadedFont, templateSource: string, used: Iterable<number>): FixedSubset | null {
  let fixed = candidates.get(templateSource);
  if (!fixed) {
    if (candidates.size >= MAX_CACHED) candidates.delete(candidates.keys().next().value!);
    candidates.set(templateSource, (fixed = new Set(fixedCharacters(templateSource, f))));
  }
  const cps = [...new Set(used)].filter((cp) => fixed.has(cp)).sort((a, b) => a - b);
  if (!cps.length) return null;
  let perFont = cache.get(f);
  if (!perFont) {
    cache.set(f, (perFont = new Map()));
    allCaches.add(perFont);
  }
  const key = cps.join(',');
  stats.documents++;
  let s = perFont.get(key);
  if (!s) {
    if (perFont.size >= MAX_CACHED) perFont.delete(perFont.keys().next().value!);
    s = buildSubset(f, cps);
    stats.built++;
    perFont.set(key, s);
  }
  return s;
}

function buildSubset(f: LoadedFont, cps: number[]): FixedSubset {
  const subset = f.font.createSubset() as unknown as { includeGlyph: (id: number) => number; encode: () => Uint8Array };
  const scale = 1000 / f.unitsPerEm;
  const widths: number[] = [f.font.getGlyph(0).advanceWidth * scale];
  const unicode: number[][] = [[0]];
  const cidOf = new Map<number, number>();
  const codePoints = new Set<number>();
  for (const cp of cps) {
    const g = f.font.glyphForCodePoint(cp);
    codePoints.add(cp);
    if (cidOf.has(g.id)) continue;
    const cid = subset.includeGlyph(g.id);
    cidOf.set(g.id, cid);
    widths[cid] = g.advanceWidth * scale;
    unicode[cid] = [cp];
  }
  return { codePoints, cidOf, widths, unicode, cffDeflated: deflateSync(subset.encode(), { level: 9 }) };
}

interface EmbeddedFontInternals {
  subset: unknown;
  widths: number[];
  unicode: number[][];
  embed: () => void;
}
interface DocRefs { ref: (data?: Record<string, unknown>) => { data: Record<string, unknown> } }

/**
 * Make the embedded font registered in `doc` under the current font draw from `s`: glyphs map
 * to the fixed CIDs, and pdfkit's own embed() writes the cached, already deflated CFF.
 */
export function useFixedSubset(doc: PDFKit.PDFDocument, s: FixedSubset): void {
  const ef = (doc as unknown as { _font: EmbeddedFontInternals })._font;
  ef.widths = s.widths.slice();
  ef.unicode = s.unicode.slice();
  ef.subset = {
    cff: true,
    includeGlyph: (id: number) => {
      const cid = s.cidOf.get(id);
      if (cid === undefined) throw new Error(`glyph ${id} is not in the fixed subset`);
      return cid;
    },
    encode: () => s.cffDeflated,
  };
  const embed = ef.embed.bind(ef);
  ef.embed = () => {
    // pdfkit's embed() creates the font file stream with its first ref() and deflates it on
    // end(); a stream created with a Filter already set is written as it is.
    const d = doc as unknown as DocRefs;
    const ref = d.ref;
    let fontFile: { data: Record<string, unknown> } | undefined;
    d.ref = (data?: Record<string, unknown>) => {
      if (fontFile) return ref.call(doc, data);
      fontFile = ref.call(doc, { ...data, Filter: 'FlateDecode' });
      return fontFile;
    };
    try {
      embed();
    } finally {
      d.ref = ref;
    }
    if (fontFile?.data.Subtype !== 'CIDFontType0C') throw new Error('pdfkit embedded the fixed font differently than expected');
  };
}
