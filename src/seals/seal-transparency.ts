/**
 * How much of a seal image the paper shows through. A seal is drawn over the letter's date and
 * signature line: its ground must be transparent, or it hides what it stands on. A real seal
 * image (ring, text, star on a transparent ground) leaves most pixels clear; a screenshot, a
 * scan on white or a photo leaves none, and is refused (a new-user review uploaded a 1280×927
 * screenshot of the workspace and it was printed on final letters).
 */

/** At least this share of the pixels must be (nearly) transparent: a round seal leaves ~60–80 %. */
export const MIN_CLEAR_SHARE = 0.3;
/** Alpha (of 255) below which a pixel counts as clear. */
const CLEAR_ALPHA = 32;

export interface PngHeader {
  width: number;
  height: number;
  depth: number;
  colourType: number;
  channels: number;
}

/** Undoes PNG's per-row filters (types 0–4) and calls `row` with each row's bytes. */
function eachRow(raw: Buffer, h: PngHeader, row: (bytes: Buffer) => void): void {
  const stride = Math.ceil((h.width * h.channels * h.depth) / 8);
  const bpp = Math.max(1, (h.channels * h.depth) / 8);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < h.height; y++) {
    const at = y * (stride + 1);
    const filter = raw[at]!;
    const cur = Buffer.from(raw.subarray(at + 1, at + 1 + stride));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      if (filter === 1) cur[i] = (cur[i]! + a) & 0xff;
      else if (filter === 2) cur[i] = (cur[i]! + b) & 0xff;
      else if (filter === 3) cur[i] = (cur[i]! + ((a + b) >> 1)) & 0xff;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        cur[i] = (cur[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      } else if (filter !== 0) throw new Error(`unknown PNG filter ${filter}`);
    }
    row(cur);
    prev = cur;
  }
}

/** Sample k of a row of `depth`-bit samples (1, 2, 4, 8 or 16 bits; 16 read whole). */
function sample(row: Buffer, k: number, depth: number): number {
  if (depth === 8) return row[k]!;
  if (depth === 16) return row.readUInt16BE(k * 2);
  const bit = k * depth;
  return (row[bit >> 3]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
}

/**
 * The share of clear pixels, or null when the image cannot be transparent at all (grey, RGB
 * or palette colour without a tRNS chunk). Throws on image data it cannot unfilter.
 */
export function clearShare(raw: Buffer, h: PngHeader, trns: Buffer | null): number | null {
  const max = (1 << h.depth) - 1;
  const alphaOf = ((): ((row: Buffer, x: number) => number) | null => {
    switch (h.colourType) {
      case 6:
      case 4:
        return (row, x) => (sample(row, x * h.channels + h.channels - 1, h.depth) * 255) / max;
      case 3:
        return trns ? (row, x) => trns[sample(row, x, h.depth)] ?? 255 : null;
      case 0:
        return trns && trns.length >= 2
          ? (row, x) => (sample(row, x, h.depth) === trns.readUInt16BE(0) ? 0 : 255)
          : null;
      case 2:
        return trns && trns.length >= 6
          ? (row, x) => ([0, 1, 2].every((c) => sample(row, x * 3 + c, h.depth) === trns.readUInt16BE(c * 2)) ? 0 : 255)
          : null;
      default:
        return null;
    }
  })();
  if (!alphaOf) return null;
  let clear = 0;
  eachRow(raw, h, (row) => {
    for (let x = 0; x < h.width; x++) if (alphaOf(row, x) < CLEAR_ALPHA) clear++;
  });
  return clear / (h.width * h.height);
}
