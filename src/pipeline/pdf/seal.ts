/**
 * The seal image, decoded and compressed once per process and written into each PDF as a
 * ready image XObject with a soft mask. Why: pdfkit decodes and re-deflates a PNG for every
 * document; for a 600 px RGBA seal that took ~30 ms of a ~40 ms render.
 */
import { deflateSync } from 'node:zlib';
import { cacheKey, readEntry, writeEntry } from '../templates/disk-cache.js';

export interface PreparedSeal {
  width: number;
  height: number;
  rgb: Buffer; // deflated
  alpha: Buffer; // deflated
}

const cache = new WeakMap<Buffer, Promise<PreparedSeal>>();

export function prepareSeal(png: Buffer): Promise<PreparedSeal> {
  let s = cache.get(png);
  if (!s) {
    s = fromDisk(png);
    cache.set(png, s);
  }
  return s;
}

/**
 * Decoding and re-deflating the seal was a fifth of a cold preview (issue 31): the prepared
 * seal is kept in the disk cache under the sha256 of the PNG, the tolerance and the zlib
 * version that deflated it (templates/disk-cache.ts), so a hit is the same bytes.
 */
async function fromDisk(png: Buffer): Promise<PreparedSeal> {
  const key = cacheKey('seal-1', process.versions.zlib ?? '', String(INK_TOLERANCE), png);
  const hit = readEntry('seals', key);
  if (hit && hit.length >= 12) {
    const [width, height, rgbLength] = [hit.readUInt32BE(0), hit.readUInt32BE(4), hit.readUInt32BE(8)];
    return { width, height, rgb: hit.subarray(12, 12 + rgbLength), alpha: hit.subarray(12 + rgbLength) };
  }
  const seal = await decode(png);
  const head = Buffer.alloc(12);
  head.writeUInt32BE(seal.width, 0);
  head.writeUInt32BE(seal.height, 4);
  head.writeUInt32BE(seal.rgb.length, 8);
  writeEntry('seals', key, Buffer.concat([head, seal.rgb, seal.alpha]));
  return seal;
}

async function decode(png: Buffer): Promise<PreparedSeal> {
  // Loaded only when a seal is not in the disk cache: a preview from the cache never needs it.
  const { default: PNG } = await import('png-js');
  const img = new PNG(png) as { width: number; height: number; decode: (fn: (px: Uint8Array) => void) => void };
  const rgba = await new Promise<Uint8Array>((resolve) => img.decode(resolve));
  const n = img.width * img.height;
  const rgb = Buffer.alloc(n * 3);
  const alpha = Buffer.alloc(n);
  // Fully transparent pixels show no colour, so they take the ink's; so do visible pixels whose
  // colour differs from the ink by less than the eye or a printer can tell once blended (see
  // INK_TOLERANCE). A one-ink seal's colour plane is then uniform but for a few hundred fringe
  // pixels and deflates to ~2 KB instead of ~24 KB: an eighth of a sealed letter (issue 16: size).
  const ink = dominantColour(rgba, n);
  const [ir, ig, ib] = [ink >> 16, (ink >> 8) & 0xff, ink & 0xff];
  for (let i = 0; i < n; i++) {
    const a = rgba[i * 4 + 3]!;
    const [r, g, b] = [rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!];
    const inked = !a || Math.max(Math.abs(r - ir), Math.abs(g - ig), Math.abs(b - ib)) * a <= INK_TOLERANCE * 255;
    rgb[i * 3] = inked ? ir : r;
    rgb[i * 3 + 1] = inked ? ig : g;
    rgb[i * 3 + 2] = inked ? ib : b;
    alpha[i] = a;
  }
  return {
    width: img.width,
    height: img.height,
    rgb: deflateSync(rgb, { level: 9 }),
    alpha: deflateSync(alpha, { level: 9 }),
  };
}

/**
 * How far (in 1/255 of a channel, after blending with the pixel's own alpha) a visible pixel's
 * colour may be from the ink's and still be written as the ink: 2/255 is below what the eye
 * tells apart and far below a printer's colour error. Seals are one ink; the small deviations
 * are rounding from the image editor's alpha compositing (the specimen has 423 colours, 99 %
 * of its visible pixels within 2/255 of the ink once blended). Pixels further away keep their
 * colour exactly.
 */
export const INK_TOLERANCE = 2;

/** The most frequent colour of the visible pixels (0xRRGGBB; of equal counts, the first to get there; black if none). */
export function dominantColour(rgba: Uint8Array, n: number): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (let i = 0; i < n; i++) {
    if (!rgba[i * 4 + 3]) continue;
    const c = (rgba[i * 4]! << 16) | (rgba[i * 4 + 1]! << 8) | rgba[i * 4 + 2]!;
    const k = (counts.get(c) ?? 0) + 1;
    counts.set(c, k);
    if (k > bestCount) [best, bestCount] = [c, k];
  }
  return best;
}

interface DocInternals {
  ref: (data: object) => { end: (chunk?: Buffer) => void };
  page: { xobjects: Record<string, unknown>; ext_gstates: Record<string, unknown> };
  addContent: (s: string) => void;
}

/** Returns a drawer bound to one document: the XObject is written once, placed on any page. */
export function sealDrawer(doc: PDFKit.PDFDocument, seal: PreparedSeal): (x: number, y: number, size: number) => void {
  const d = doc as unknown as DocInternals;
  let image: unknown;
  let multiply: unknown;
  return (x, y, size) => {
    if (!image) {
      const base = {
        Type: 'XObject',
        Subtype: 'Image',
        Width: seal.width,
        Height: seal.height,
        BitsPerComponent: 8,
        Filter: 'FlateDecode',
      };
      const smask = d.ref({ ...base, ColorSpace: 'DeviceGray', Decode: [0, 1] });
      smask.end(seal.alpha);
      const ref = d.ref({ ...base, ColorSpace: 'DeviceRGB', SMask: smask });
      ref.end(seal.rgb);
      image = ref;
    }
    if (!multiply) {
      // Multiply blending: like ink, the seal darkens the text under it instead of hiding it.
      const gs = d.ref({ Type: 'ExtGState', BM: 'Multiply' });
      gs.end();
      multiply = gs;
    }
    d.page.xobjects.HanjianSeal = image;
    d.page.ext_gstates.HanjianSealGs = multiply;
    doc.save();
    d.addContent('/HanjianSealGs gs');
    doc.transform(size, 0, 0, -size, x, y + size);
    d.addContent('/HanjianSeal Do');
    doc.restore();
  };
}
