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
