/** A seal must stand on a transparent ground: the clear share of an image, read as pdfkit's PNG decoder (png-js) reads it. */

import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import PNG from 'png-js';
import { describe, expect, it } from 'vitest';
import { specimenSeal } from '../../src/pipeline/seals.js';
import { checkSealPng } from '../../src/seals/seal-png.js';
import { clearShare, MIN_CLEAR_SHARE } from '../../src/seals/seal-transparency.js';
import { isHanjianError } from '../../src/shared/errors.js';
import { encodePng, sealPng } from '../fixtures/png.js';

const refusal = (bytes: Buffer): string => {
  try {
    checkSealPng(bytes);
    return 'accepted';
  } catch (e) {
    if (isHanjianError(e)) return e.zh;
    throw e;
  }
};

/** The clear share by png-js (an independent decoder): RGBA pixels, alpha < 32. */
async function clearByPngJs(png: Buffer): Promise<number> {
  const img = new PNG(png) as { width: number; height: number; decode: (cb: (px: Uint8Array) => void) => void };
  const px = await new Promise<Uint8Array>((resolve) => img.decode(resolve));
  let clear = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i]! < 32) clear++;
  return clear / (img.width * img.height);
}

/** The IDAT of a PNG from encodePng (one chunk), inflated, and its header. */
function rawOf(png: Buffer) {
  const at = png.indexOf('IDAT') - 4;
  const raw = inflateSync(png.subarray(at + 8, at + 8 + png.readUInt32BE(at)));
  const colourType = png[25]!;
  return { raw, colourType, width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const CHANNELS = { 3: 1, 4: 2, 6: 4 } as const;

describe('a seal image must be mostly transparent', () => {
  it('the project specimen and a ring on a transparent ground pass', () => {
    expect(refusal(specimenSeal())).toBe('accepted');
    expect(refusal(sealPng(240))).toBe('accepted');
  });

  it('an opaque screenshot (RGB, no alpha) is refused: no transparent ground', () => {
    const w = 400;
    const rows = Array.from({ length: 300 }, (_, y) => Buffer.alloc(w * 3, y % 2 ? 0xff : 0xe0));
    expect(refusal(encodePng({ width: w, height: 300, colourType: 2, rows, filters: [0, 1, 2] }))).toMatch(
      /没有透明背景/,
    );
  });

  it('an RGBA image that is opaque everywhere is refused, naming how little of it is clear', () => {
    const rows = Array.from({ length: 200 }, () => Buffer.alloc(200 * 4, 0xff));
    expect(refusal(encodePng({ width: 200, height: 200, colourType: 6, rows, filters: [4] }))).toMatch(
      /仅 0% 透明.*至少 30%/,
    );
  });

  it('a palette seal with a transparent entry (tRNS) passes; without tRNS it is refused', () => {
    const size = 200;
    const rows = Array.from({ length: size }, (_, y) =>
      Buffer.from(
        Array.from({ length: size }, (_, x) =>
          Math.hypot(x - 100, y - 100) > 90 && Math.hypot(x - 100, y - 100) < 98 ? 1 : 0,
        ),
      ),
    );
    const plte = Buffer.from([255, 255, 255, 200, 0, 30]);
    expect(
      refusal(
        encodePng({ width: size, height: size, colourType: 3, rows, filters: [0], plte, trns: Buffer.from([0]) }),
      ),
    ).toBe('accepted');
    expect(refusal(encodePng({ width: size, height: size, colourType: 3, rows, filters: [0], plte }))).toMatch(
      /没有透明背景/,
    );
  });

  it('counts clear pixels as png-js does, whatever the row filters (property: grey+alpha, RGBA, palette with tRNS)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(3, 4, 6),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }),
        fc.integer(),
        async (colourType, width, height, filters, seed) => {
          let s = seed >>> 0;
          const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
          const ch = CHANNELS[colourType as 3 | 4 | 6];
          // A palette of 4 colours, each with its own alpha; pixels are indices into it.
          const rows = Array.from({ length: height }, () =>
            Buffer.from(Array.from({ length: width * ch }, () => (colourType === 3 ? next() & 3 : next()))),
          );
          const plte = colourType === 3 ? Buffer.from(Array.from({ length: 12 }, next)) : undefined;
          const trns = colourType === 3 ? Buffer.from(Array.from({ length: 4 }, next)) : undefined;
          const png = encodePng({ width, height, colourType, rows, filters, plte, trns });
          const ours = clearShare(rawOf(png).raw, { width, height, depth: 8, colourType, channels: ch }, trns ?? null);
          expect(ours).toBeCloseTo(await clearByPngJs(png), 10);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('an RGB image with a transparent colour (tRNS) is clear where that colour is (as pdfkit masks it)', () => {
    const rows = [Buffer.from([1, 2, 3, 9, 9, 9, 1, 2, 3, 1, 2, 3])];
    const trns = Buffer.from([0, 1, 0, 2, 0, 3]);
    const png = encodePng({ width: 4, height: 1, colourType: 2, rows, filters: [1], trns });
    expect(clearShare(rawOf(png).raw, { width: 4, height: 1, depth: 8, colourType: 2, channels: 3 }, trns)).toBe(0.75);
  });

  it('the threshold is what the README and the page say', () => {
    expect(MIN_CLEAR_SHARE).toBe(0.3);
  });
});
