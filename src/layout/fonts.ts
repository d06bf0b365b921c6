/**
 * The fonts, parsed once per process (typesetting.md: re-parsing Noto per document costs
 * ~250 ms). Metrics are cached per code point; the same fontkit objects are handed to pdfkit.
 */
import * as fontkit from 'fontkit';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
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

/**
 * The package's font files in shared memory, read once per process. Why: each render worker
 * thread read its own 60 MB copy of the two files, and a pool of N workers held N copies
 * (issue 16: peak RSS). A pool hands these to its workers (workerData), which adopt them;
 * fontkit and the CFF subsetter only ever read the bytes, so one copy serves every thread.
 */
let sharedBytes: Record<Face, SharedArrayBuffer> | undefined;

export type FontBytes = Record<Face, SharedArrayBuffer>;

/**
 * Heap limits for a render worker thread. A render keeps ~45 MB alive (modules, fonts' parsed
 * tables, caches); left alone, V8 let each worker's heap grow to ~150 MB of garbage before a
 * full collection, and with two workers the process peaked at 330–410 MB (issue 16). A ceiling
 * makes it collect sooner; 192 MB old space is four times what a render needs.
 */
export const RENDER_WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 };

export function sharedFontBytes(): FontBytes {
  return (sharedBytes ??= { regular: readShared(fontsPath(FONT_FILES.regular)), bold: readShared(fontsPath(FONT_FILES.bold)) });
}

/** In a worker: use the bytes the pool shared instead of reading the files again. Before the first render. */
export function adoptFontBytes(bytes: FontBytes): void {
  if (bytes.regular instanceof SharedArrayBuffer && bytes.bold instanceof SharedArrayBuffer) sharedBytes ??= bytes;
}

/** Read straight into shared memory: a Buffer first and a copy after would double the peak. */
function readShared(file: string): SharedArrayBuffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const sab = new SharedArrayBuffer(size);
    const view = new Uint8Array(sab);
    for (let at = 0; at < size;) {
      const n = readSync(fd, view, at, size - at, at);
      if (n === 0) throw new Error(`hanjian: ${file} ended early`);
      at += n;
    }
    return sab;
  } finally {
    closeSync(fd);
  }
}

function load(face: Face, dir?: string): LoadedFont {
  const file = dir ? `${dir}/${FONT_FILES[face]}` : fontsPath(FONT_FILES[face]);
  const bytes = !dir && sharedBytes ? Buffer.from(sharedBytes[face]) : readFileSync(file);
  const font = fontkit.create(bytes) as fontkit.Font;
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
