/**
 * A font's character map and advance widths, read straight from its bytes: the cmap's
 * Unicode full-repertoire subtable (format 12) and hmtx. Why not fontkit's: its first lookup
 * decodes the cmap and the metrics through generic structures, a tenth of a cold preview
 * (issue 31), while these are a binary search over typed arrays. Gives what fontkit gives
 * (test/pipeline/layout/fonts.test.ts compares every character); null for a font without
 * such a subtable, which then goes through fontkit.
 */
export interface SfntTables {
  /** cmap groups: code points starts[i] … ends[i] map to glyphs firsts[i] + (cp − starts[i]). */
  starts: Uint32Array;
  ends: Uint32Array;
  firsts: Uint32Array;
  /** Advance widths in font units by glyph id (the last one repeats past numberOfHMetrics). */
  advances: Uint16Array;
}

export function readSfntTables(bytes: Uint8Array): SfntTables | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    tables.set(String.fromCharCode(...bytes.subarray(at, at + 4)), view.getUint32(at + 8));
  }
  const cmap = tables.get('cmap');
  const hhea = tables.get('hhea');
  const hmtx = tables.get('hmtx');
  if (cmap === undefined || hhea === undefined || hmtx === undefined) return null;
  let sub = -1;
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const rec = cmap + 4 + 8 * i;
    if (view.getUint16(rec) === 3 && view.getUint16(rec + 2) === 10) sub = cmap + view.getUint32(rec + 4);
  }
  if (sub < 0 || view.getUint16(sub) !== 12) return null;
  const groups = view.getUint32(sub + 12);
  const starts = new Uint32Array(groups);
  const ends = new Uint32Array(groups);
  const firsts = new Uint32Array(groups);
  for (let g = 0; g < groups; g++) {
    const at = sub + 16 + 12 * g;
    starts[g] = view.getUint32(at);
    ends[g] = view.getUint32(at + 4);
    firsts[g] = view.getUint32(at + 8);
  }
  const metrics = view.getUint16(hhea + 34);
  const advances = new Uint16Array(metrics);
  for (let k = 0; k < metrics; k++) advances[k] = view.getUint16(hmtx + 4 * k);
  return { starts, ends, firsts, advances };
}

/** The glyph of `cp`, or 0 (.notdef) when the font has none. */
export function glyphIdOf(t: SfntTables, cp: number): number {
  let lo = 0;
  let hi = t.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < t.starts[mid]!) hi = mid - 1;
    else if (cp > t.ends[mid]!) lo = mid + 1;
    else return t.firsts[mid]! + (cp - t.starts[mid]!);
  }
  return 0;
}

export function advanceOf(t: SfntTables, gid: number): number {
  return t.advances[Math.min(gid, t.advances.length - 1)]!;
}

/**
 * What the PDF's font descriptor and the layout take from a font besides its cmap and advances,
 * read from the head, hhea, OS/2, post and name tables: what fontkit's getters give (the same
 * rules for a missing OS/2 table and for versions without cap and x-height), so that a
 * preview needs no fontkit at all — loading it and its dependencies was about a sixth of a
 * cold preview (issue 31). test/pipeline/layout/fonts.test.ts compares it with fontkit's.
 */
export interface FontInfo {
  postscriptName: string;
  unitsPerEm: number;
  /** hhea. */
  ascent: number;
  descent: number;
  /** OS/2 version 2 and later; with no OS/2 table, ascent and 0, as fontkit gives them. */
  capHeight: number | undefined;
  xHeight: number | undefined;
  /** OS/2's sFamilyClass; undefined with no OS/2 table. */
  familyClass: number | undefined;
  /** post. */
  italicAngle: number;
  isFixedPitch: number;
  /** head: the font's bounding box and macStyle's italic bit. */
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  italic: boolean;
  /** The advance of glyph 0 (.notdef), in font units. */
  notdefAdvance: number;
  /** Where each table is in the file. */
  tables: Record<string, { offset: number; length: number }>;
}

/** The font's info, or null for a font these tables cannot be read from as fontkit reads them. */
export function readFontInfo(bytes: Uint8Array): FontInfo | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables: FontInfo['tables'] = {};
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    tables[String.fromCharCode(...bytes.subarray(at, at + 4))] = {
      offset: view.getUint32(at + 8),
      length: view.getUint32(at + 12),
    };
  }
  const { head, hhea, hmtx, post, name } = tables;
  const os2 = tables['OS/2'];
  if (!head || !hhea || !hmtx || !post || !name || view.getUint16(hhea.offset + 34) === 0) return null;
  const postscriptName = englishName(view, name.offset, 6);
  if (postscriptName === null) return null;
  const h = head.offset;
  const ascent = view.getInt16(hhea.offset + 4);
  const os2Version = os2 ? view.getUint16(os2.offset) : -1;
  return {
    postscriptName,
    unitsPerEm: view.getUint16(h + 18),
    ascent,
    descent: view.getInt16(hhea.offset + 6),
    capHeight: os2 ? (os2Version >= 2 ? view.getInt16(os2.offset + 88) : undefined) : ascent,
    xHeight: os2 ? (os2Version >= 2 ? view.getInt16(os2.offset + 86) : undefined) : 0,
    familyClass: os2 ? view.getInt16(os2.offset + 30) : undefined,
    italicAngle: view.getInt32(post.offset + 4) / 65536,
    isFixedPitch: view.getUint32(post.offset + 12),
    bbox: {
      minX: view.getInt16(h + 36),
      minY: view.getInt16(h + 38),
      maxX: view.getInt16(h + 40),
      maxY: view.getInt16(h + 42),
    },
    italic: (view.getUint16(h + 44) & 2) !== 0,
    notdefAdvance: view.getUint16(hmtx.offset),
    tables,
  };
}

/**
 * A name record in English as fontkit picks it: the last record whose language is "en"
 * (Macintosh language 0, Windows 0x409). Null when such a record is in an encoding not read
 * here (anything but ASCII Mac Roman and Windows Unicode), or when there is none.
 */
function englishName(view: DataView, at: number, nameID: number): string | null {
  const count = view.getUint16(at + 2);
  const strings = at + view.getUint16(at + 4);
  let found: string | null = null;
  for (let i = 0; i < count; i++) {
    const rec = at + 6 + 12 * i;
    if (view.getUint16(rec + 6) !== nameID) continue;
    const platform = view.getUint16(rec);
    const encoding = view.getUint16(rec + 2);
    const language = view.getUint16(rec + 4);
    const english = (platform === 1 && language === 0) || (platform === 3 && language === 0x409);
    if (!english) continue;
    const length = view.getUint16(rec + 8);
    const start = strings + view.getUint16(rec + 10);
    const bytes = new Uint8Array(view.buffer, view.byteOffset + start, length);
    if (platform === 1 && encoding === 0 && bytes.every((b) => b < 0x80)) found = String.fromCharCode(...bytes);
    else if (platform === 3 && encoding === 1 && length % 2 === 0) {
      let s = '';
      for (let k = 0; k < length; k += 2) s += String.fromCharCode(view.getUint16(start + k));
      found = s;
    } else return null;
  }
  return found || null; // fontkit passes over an empty one
}
