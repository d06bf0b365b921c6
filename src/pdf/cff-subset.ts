/** A CFF subset of a loaded font: glyph k + 1 of the subset is `gids[k]`, glyph 0 is .notdef. */
import type { LoadedFont } from '../layout/fonts.js';

interface Subset { includeGlyph: (gid: number) => number; encode: () => Uint8Array }

export function cffSubset(f: LoadedFont, gids: number[]): Buffer {
  const subset = (f.font as unknown as { createSubset: () => Subset }).createSubset();
  for (const gid of gids) subset.includeGlyph(gid);
  const bytes = subset.encode();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
