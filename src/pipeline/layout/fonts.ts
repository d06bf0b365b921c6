/**
 * The fonts, read once per process (typesetting.md: re-parsing Noto per document costs
 * ~250 ms). Metrics are cached per code point. What a letter needs of a font (cmap, advances,
 * the descriptor's figures, where its tables are) is read from its bytes (sfnt-tables.ts);
 * fontkit, and the dozen modules it loads, only for a font those readers cannot read, on first
 * use (issue 31: loading fontkit was about a sixth of a cold preview).
 */
import { createRequire } from 'node:module';
import type * as fontkit from 'fontkit';
import { fontsPath } from '../../shared/paths.js';
import { FontFileView, openFontFile, type SharedFontFile } from './font-file.js';
import { advanceOf, type FontInfo, glyphIdOf, readFontInfo, readSfntTables, type SfntTables } from './sfnt-tables.js';

export type Face = 'regular' | 'bold';

export interface LoadedFont {
  face: Face;
  /** fontkit's font over the same bytes, made on first use: only where `tables` or `info` came out null. */
  readonly font: fontkit.Font;
  /** The figures of the font's descriptor and where its tables are, from its bytes (or fontkit). */
  info: FontInfo;
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

let fontkitModule: typeof fontkit | undefined;

function openWithFontkit(file: FontFileView): fontkit.Font {
  fontkitModule ??= createRequire(import.meta.url)('fontkit') as typeof fontkit;
  return fontkitModule.create(
    Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
  ) as fontkit.Font;
}

/** fontkit's figures, for a font readFontInfo does not read. */
function infoOf(font: fontkit.Font): FontInfo {
  const f = font as unknown as {
    'OS/2'?: { sFamilyClass: number };
    post: { isFixedPitch: number };
    head: { macStyle: { italic: boolean } };
    directory: { tables: FontInfo['tables'] };
  };
  return {
    postscriptName: font.postscriptName,
    unitsPerEm: font.unitsPerEm,
    ascent: font.ascent,
    descent: font.descent,
    capHeight: font.capHeight,
    xHeight: font.xHeight,
    familyClass: f['OS/2']?.sFamilyClass,
    italicAngle: font.italicAngle,
    isFixedPitch: f.post.isFixedPitch,
    bbox: { minX: font.bbox.minX, minY: font.bbox.minY, maxX: font.bbox.maxX, maxY: font.bbox.maxY },
    italic: f.head.macStyle.italic,
    notdefAdvance: font.getGlyph(0).advanceWidth,
    tables: f.directory.tables,
  };
}

function load(face: Face): LoadedFont {
  const file = new FontFileView(sharedFontBytes()[face]);
  let font: fontkit.Font | undefined;
  const fontkitFont = () => (font ??= openWithFontkit(file));
  const info = readFontInfo(file.bytes) ?? infoOf(fontkitFont());
  return {
    face,
    get font() {
      return fontkitFont();
    },
    info,
    file,
    unitsPerEm: info.unitsPerEm,
    ascender: (info.ascent * 1000) / info.unitsPerEm,
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
    id = `${f.info.postscriptName}:${f.file.bytes.length}:${Buffer.from(directory).toString('base64')}`;
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
