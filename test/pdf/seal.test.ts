import { inflateSync } from 'node:zlib';
import PNG from 'png-js';
import { describe, expect, it } from 'vitest';
import { dominantColour, prepareSeal } from '../../src/pdf/seal.js';
import { specimenSeal } from '../../src/seals.js';

const rgbaOf = (png: Buffer) => new Promise<Uint8Array>((resolve) => (new PNG(png) as unknown as { decode: (fn: (px: Uint8Array) => void) => void }).decode(resolve));

describe('seal image', () => {
  it('finds the ink colour among the visible pixels only', () => {
    const px = (r: number, g: number, b: number, a: number) => [r, g, b, a];
    const rgba = Uint8Array.from([...px(0, 0, 0, 0), ...px(0, 0, 0, 0), ...px(0, 0, 0, 0), ...px(200, 16, 30, 255), ...px(200, 16, 30, 128), ...px(199, 16, 30, 255)]);
    expect(dominantColour(rgba, 6)).toBe(0xc8101e);
    expect(dominantColour(new Uint8Array(8), 2)).toBe(0);
  });

  it('keeps every visible pixel and its alpha; transparent pixels take the ink colour', async () => {
    const png = specimenSeal();
    const rgba = await rgbaOf(png);
    const seal = await prepareSeal(png);
    const rgb = inflateSync(seal.rgb);
    const alpha = inflateSync(seal.alpha);
    const n = seal.width * seal.height;
    const ink = dominantColour(rgba, n);
    let transparent = 0;
    const wantRgb = Buffer.alloc(n * 3);
    const wantAlpha = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      const a = rgba[i * 4 + 3]!;
      if (!a) transparent++;
      wantAlpha[i] = a;
      wantRgb[i * 3] = a ? rgba[i * 4]! : ink >> 16;
      wantRgb[i * 3 + 1] = a ? rgba[i * 4 + 1]! : (ink >> 8) & 0xff;
      wantRgb[i * 3 + 2] = a ? rgba[i * 4 + 2]! : ink & 0xff;
    }
    expect(alpha.equals(wantAlpha)).toBe(true);
    expect(rgb.equals(wantRgb)).toBe(true);
    expect(transparent).toBeGreaterThan(n / 2);
    expect(seal.rgb.length, 'the colour plane deflates well').toBeLessThan(25_000);
  });
});
