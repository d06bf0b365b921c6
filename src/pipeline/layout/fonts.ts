/**
 * The fonts, parsed once per process (typesetting.md: re-parsing Noto per document costs
 * ~250 ms). Metrics are cached per code point; the same fontkit objects are handed to pdfkit.
 */
import * as fontkit from 'fontkit';
import { fontsPath } from '../../shared/paths.js';
import { FontFileView, openFontFile, type SharedFontFile } from './font-file.js';
import { advanceOf, glyphIdOf, readSfntTables, type SfntTables } from './sfnt-tables.js';

export type Face = 'regular' | 'bold';

export interface LoadedFont {
  face: Face;
  font: fontkit.Font;
  /**
   * The bytes under `font`. Its charstrings are present only once asked for (`file.ensure`):
   * fontkit reads none of them for metrics and cmap lookups, and the subsetter asks for each.
   */
  file: FontFileView;
  unitsPerEm: number;
  /** Ascender in 1/1000 em, as pdfkit measures it. */
  ascender: number;
  advanceCache: Map<number, number>;
  /**
   * Code points known to have a glyph: hasGlyphForCodePoint walks the cmap through lazily
   * decoded arrays on every call. Only hits are kept, so the cache is bounded by the font.
   */
  glyphCache: Set<number>;
  /** The cmap and advances read from the bytes (sfnt-tables.ts), or null to ask fontkit. */
  tables: SfntTables | null;
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
 * The package's font files in shared memory, opened once per process. Why shared: each render
 * worker thread read its own 60 MB copy of the two files, and a pool of N workers held N copies
 * (issue 16: peak RSS). A pool hands these to its workers (workerData), which adopt them;
 * fontkit and the CFF subsetter only ever read the bytes, so one copy serves every thread, and
 * the charstrings are read on first use (font-file.ts), so most of the 60 MB is never resident.
 */
let sharedFiles: FontBytes | undefined;

export type FontBytes = Record<Face, SharedFontFile>;

/**
 * Heap limits for a render worker thread. A render keeps ~45 MB alive (modules, fonts' parsed
 * tables, caches); left alone, V8 let each worker's heap grow to ~150 MB of garbage before a
 * full collection, and with two workers the process peaked at 330–410 MB (issue 16). A ceiling
 * makes it collect sooner; 96 MB old space is twice what a render needs.
 */
export const RENDER_WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 };

export function sharedFontBytes(): FontBytes {
  return (sharedFiles ??= {
    regular: openFontFile(fontsPath(FONT_FILES.regular)),
    bold: openFontFile(fontsPath(FONT_FILES.bold)),
  });
}

const isSharedFile = (f: SharedFontFile | undefined): boolean =>
  f?.bytes instanceof SharedArrayBuffer && f.present instanceof SharedArrayBuffer && Number.isInteger(f.fd);

/** In a worker: use the files the pool shared instead of opening them again. Before the first render. */
export function adoptFontBytes(files: FontBytes): void {
  if (isSharedFile(files.regular) && isSharedFile(files.bold)) sharedFiles ??= files;
}

function load(face: Face): LoadedFont {
  const file = new FontFileView(sharedFontBytes()[face]);
  const font = fontkit.create(
    Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
  ) as fontkit.Font;
  return {
    face,
    font,
    file,
    unitsPerEm: font.unitsPerEm,
    ascender: (font.ascent * 1000) / font.unitsPerEm,
    advanceCache: new Map(),
    glyphCache: new Set(),
    tables: readSfntTables(file.bytes),
  };
}

let cached: FontSet | undefined;
export function getFonts(): FontSet {
  return (cached ??= { regular: load('regular'), bold: load('bold') });
}

const identities = new WeakMap<LoadedFont, string>();

/**
 * What names a font's content for the disk cache, cheaply: its table directory (sfnt header
 * and one record per table, each with the table's checksum), so any change to any table, the
 * outlines included, gives another identity, without hashing the 30 MB file.
 */
export function fontIdentity(f: LoadedFont): string {
  let id = identities.get(f);
  if (!id) {
    const tables = (f.file.bytes[4]! << 8) | f.file.bytes[5]!;
    const directory = f.file.bytes.subarray(0, 12 + 16 * tables);
    id = `${f.font.postscriptName}:${f.file.bytes.length}:${Buffer.from(directory).toString('base64')}`;
    identities.set(f, id);
  }
  return id;
}

export function hasGlyph(f: LoadedFont, cp: number): boolean {
  if (f.glyphCache.has(cp)) return true;
  const has = f.tables ? glyphIdOf(f.tables, cp) !== 0 : f.font.hasGlyphForCodePoint(cp);
  if (has) f.glyphCache.add(cp);
  return has;
}

/** The glyph id of a code point and its advance in 1/1000 em (0, .notdef, for none). */
export function glyphFor(f: LoadedFont, cp: number): { gid: number; width: number } {
  if (f.tables) {
    const gid = glyphIdOf(f.tables, cp);
    return { gid, width: (advanceOf(f.tables, gid) * 1000) / f.unitsPerEm };
  }
  const glyph = f.font.glyphForCodePoint(cp);
  return { gid: glyph.id, width: (glyph.advanceWidth * 1000) / f.unitsPerEm };
}

/** Advance width of a code point in 1/1000 em. */
export function advance(f: LoadedFont, cp: number): number {
  let w = f.advanceCache.get(cp);
  if (w === undefined) {
    w = glyphFor(f, cp).width;
    f.advanceCache.set(cp, w);
  }
  return w;
}

export function textWidth(f: LoadedFont, text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += advance(f, ch.codePointAt(0)!);
  return (w * size) / 1000;
}
