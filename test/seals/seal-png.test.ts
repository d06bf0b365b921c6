/** The seal upload's PNG check: real PNGs of a seal's size pass; anything else is refused in Chinese, naming why. */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { specimenSeal } from '../../src/pipeline/seals.js';
import { checkSealPng } from '../../src/seals/seal-png.js';
import { isHanjianError } from '../../src/shared/errors.js';
import { sealPng } from '../fixtures/png.js';

const refusal = (bytes: Buffer): string => {
  try {
    checkSealPng(bytes);
  } catch (e) {
    if (isHanjianError(e)) return `${e.code} ${e.zh}`;
    throw e;
  }
  return 'accepted';
};

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG whose IHDR says `size`×`size` but whose image data inflates to `rawBytes` bytes (a decompression bomb when large). */
function lyingPng(size: number, rawBytes: number): Buffer {
  const good = sealPng(size);
  const at = good.indexOf('IDAT') - 4;
  const len = good.readUInt32BE(at);
  const data = deflateSync(Buffer.alloc(rawBytes));
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('IDAT', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([good.subarray(0, at), chunk, good.subarray(at + 12 + len)]);
}

describe('checkSealPng', () => {
  it('accepts a real seal PNG and reports its size; the project specimen is a valid PNG too (the registry refuses it as a seal)', () => {
    const png = sealPng(240);
    expect(checkSealPng(png)).toEqual({ width: 240, height: 240, size: png.length });
    expect(checkSealPng(specimenSeal()).width).toBeGreaterThanOrEqual(100);
  });

  it.each([
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]), /不是 PNG/],
    ['a PDF renamed .png', Buffer.from('%PDF-1.7\n'), /不是 PNG/],
    ['an empty file', Buffer.alloc(0), /请选择/],
    ['a file over 512 KB', Buffer.concat([sealPng(200), Buffer.alloc(600 * 1024)]), /超过上限 512 KB/],
    ['a truncated PNG', sealPng(200).subarray(0, 60), /截断|校验/],
    [
      'a PNG with a flipped byte',
      (() => {
        const b = Buffer.from(sealPng(200));
        b[40]! ^= 0xff;
        return b;
      })(),
      /校验失败/,
    ],
    ['a PNG too small to be a seal', sealPng(64), /64×64 像素.*100–2000/],
    ['a PNG whose data inflates far beyond its size', lyingPng(200, 50 * 1024 * 1024), /图像数据/],
  ])('refuses %s with a Chinese reason', (_what, bytes, reason) => {
    const r = refusal(bytes);
    expect(r).toMatch(/^SEAL_IMAGE_INVALID 印章图片无效：/);
    expect(r).toMatch(reason);
  });
});
