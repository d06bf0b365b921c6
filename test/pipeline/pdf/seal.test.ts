import { inflateSync } from 'node:zlib';
import PNG from 'png-js';
import { describe, expect, it } from 'vitest';
import { dominantColour, INK_TOLERANCE, prepareSeal } from '../../../src/pipeline/pdf/seal.js';
import { specimenSeal } from '../../../src/pipeline/seals.js';

const rgbaOf = (png: Buffer) =>
  new Promise<Uint8Array>((resolve) =>
    (new PNG(png) as unknown as { decode: (fn: (px: Uint8Array) => void) => void }).decode(resolve),
  );

describe('seal image', () => {
  it('finds the ink colour among the visible pixels only', () => {
    const px = (r: number, g: number, b: number, a: number) => [r, g, b, a];
    const rgba = Uint8Array.from([
      ...px(0, 0, 0, 0),
      ...px(0, 0, 0, 0),
      ...px(0, 0, 0, 0),
      ...px(200, 16, 30, 255),
      ...px(200, 16, 30, 128),
      ...px(199, 16, 30, 255),
    ]);
    expect(dominantColour(rgba, 6)).toBe(0xc8101e);
    expect(dominantColour(new Uint8Array(8), 2)).toBe(0);
  });

  it('keeps every alpha exactly; every blended colour within the ink tolerance, fringe pixels exactly', async () => {
    const png = specimenSeal();
    const rgba = await rgbaOf(png);
    const seal = await prepareSeal(png);
    const rgb = inflateSync(seal.rgb);
    const alpha = inflateSync(seal.alpha);
    const n = seal.width * seal.height;
    const ink = dominantColour(rgba, n);
    const inkRgb = [ink >> 16, (ink >> 8) & 0xff, ink & 0xff];
    let transparent = 0;
    let exact = 0;
    let worst = 0;
    let neither = 0; // pixels that neither keep their colour nor take the ink's
    const isInk = (i: number) =>
      rgb[i * 3] === inkRgb[0] && rgb[i * 3 + 1] === inkRgb[1] && rgb[i * 3 + 2] === inkRgb[2];
    const wantAlpha = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      const a = rgba[i * 4 + 3]!;
      wantAlpha[i] = a;
      if (!a) {
        transparent++;
        if (!isInk(i)) neither++;
        continue;
      }
      const diff = Math.max(...[0, 1, 2].map((c) => Math.abs(rgb[i * 3 + c]! - rgba[i * 4 + c]!)));
      worst = Math.max(worst, (diff * a) / 255);
      if (diff === 0) exact++;
      else if (!isInk(i)) neither++;
    }
    expect(neither, "a pixel either keeps its colour or takes the ink's").toBe(0);
    expect(alpha.equals(wantAlpha)).toBe(true);
    expect(worst, 'no visible pixel moves by more than the tolerance once blended').toBeLessThanOrEqual(INK_TOLERANCE);
    expect(worst, 'the near-ink pixels were indeed flattened').toBeGreaterThan(0);
    expect(exact, 'most visible pixels are the ink already').toBeGreaterThan((n - transparent) / 2);
    expect(transparent).toBeGreaterThan(n / 2);
    // The fringe pixels (far from the ink) stay: the plane is not simply one colour.
    expect(rgb.equals(Buffer.alloc(n * 3).fill(Buffer.from(inkRgb)))).toBe(false);
    expect(seal.rgb.length, 'the colour plane deflates to a few KB').toBeLessThan(4_000);
  });
});
