/**
 * An uploaded seal image is checked as a PNG before anything keeps it: the signature, every
 * chunk's length and CRC, an IHDR first and an IEND last, pixel dimensions a seal can have, and
 * image data that inflates to no more than those dimensions hold (no decompression bomb), and a
 * transparent ground (seal-transparency.ts). A
 * file that passes is drawn by the PDF stage as it is; one that fails is refused in Chinese,
 * naming what is wrong, never stored.
 */
import { inflateSync } from 'node:zlib';
import { HanjianError } from '../shared/errors.js';
import { clearShare, MIN_CLEAR_SHARE } from './seal-transparency.js';

export const SEAL_LIMITS = { maxBytes: 512 * 1024, minPx: 100, maxPx: 2000, maxAspect: 2 } as const;
const MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bytes per pixel at 8 bits, by colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA); 16-bit doubles it. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const refuse = (zh: string, en: string) =>
  new HanjianError({
    code: 'SEAL_IMAGE_INVALID',
    category: 'invalid_input',
    path: 'seal',
    zh: `印章图片无效：${zh}`,
    en: `invalid seal image: ${en}`,
  });

export interface SealImage {
  width: number;
  height: number;
  size: number;
}

export function checkSealPng(bytes: Buffer): SealImage {
  if (!bytes.length) throw refuse('请选择一个 PNG 文件', 'no file');
  if (bytes.length > SEAL_LIMITS.maxBytes)
    throw refuse(
      `文件 ${(bytes.length / 1024).toFixed(0)} KB，超过上限 ${SEAL_LIMITS.maxBytes / 1024} KB`,
      `the file is larger than ${SEAL_LIMITS.maxBytes / 1024} KB`,
    );
  if (!bytes.subarray(0, 8).equals(MAGIC))
    throw refuse('不是 PNG 图片（请上传透明背景的 PNG，而不是 JPG、PDF 或改了扩展名的文件）', 'not a PNG image');
  let at = 8;
  let ihdr: Buffer | null = null;
  const idat: Buffer[] = [];
  let trns: Buffer | null = null;
  let ended = false;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw refuse('文件不完整（被截断）', 'truncated file');
    const len = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString('latin1');
    if (at + 12 + len > bytes.length) throw refuse('文件不完整（被截断）', 'truncated file');
    const body = bytes.subarray(at + 8, at + 8 + len);
    if (crc32(bytes.subarray(at + 4, at + 8 + len)) !== bytes.readUInt32BE(at + 8 + len))
      throw refuse(`数据块 ${type} 校验失败，文件已损坏`, `chunk ${type} fails its CRC`);
    if (!ihdr && type !== 'IHDR') throw refuse('缺少文件头（IHDR）', 'IHDR is not the first chunk');
    if (type === 'IHDR') ihdr = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'tRNS') trns = body;
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    at += 12 + len;
  }
  if (ihdr?.length !== 13 || !ended || !idat.length) throw refuse('文件结构不完整', 'incomplete PNG structure');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const { minPx, maxPx, maxAspect } = SEAL_LIMITS;
  if (width < minPx || height < minPx || width > maxPx || height > maxPx)
    throw refuse(
      `图片为 ${width}×${height} 像素，边长应在 ${minPx}–${maxPx} 像素之间`,
      `${width}×${height} px: each side must be ${minPx}–${maxPx} px`,
    );
  if (Math.max(width, height) / Math.min(width, height) > maxAspect)
    throw refuse(
      `图片为 ${width}×${height} 像素，长宽比过大，不像一枚印章`,
      `${width}×${height} px is too elongated for a seal`,
    );
  const depth = ihdr[8]!;
  const channels = CHANNELS[ihdr[9]!];
  if (!channels || ![1, 2, 4, 8, 16].includes(depth) || ihdr[12] !== 0)
    throw refuse('不支持的 PNG 格式（颜色类型、位深或隔行扫描）', 'unsupported colour type, bit depth or interlacing');
  // One filter byte per row plus the row's pixels: what the image data must inflate to, and the cap on inflating it.
  const expected = height * (1 + Math.ceil((width * channels * depth) / 8));
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch {
    throw refuse('图像数据无法解压，文件已损坏', 'the image data does not inflate');
  }
  if (raw.length !== expected)
    throw refuse('图像数据与尺寸不符，文件已损坏', 'the image data does not match the dimensions');
  let clear: number | null;
  try {
    clear = clearShare(raw, { width, height, depth, colourType: ihdr[9]!, channels }, trns);
  } catch {
    throw refuse('图像数据无法解码，文件已损坏', 'the image data cannot be decoded');
  }
  if (clear === null)
    throw refuse(
      '图片没有透明背景：印章盖在日期上，须是透明背景的 PNG（白底、截图或照片会遮住文字）',
      'no transparency: a seal is drawn over the date and must be a PNG on a transparent ground',
    );
  if (clear < MIN_CLEAR_SHARE) {
    throw refuse(
      `图片仅 ${Math.round(clear * 100)}% 透明，不像透明背景上的印章（至少 ${MIN_CLEAR_SHARE * 100}%；白底、截图或照片会遮住文字）`,
      `only ${Math.round(clear * 100)} % of the image is transparent, not a seal on a transparent ground (at least ${MIN_CLEAR_SHARE * 100} %)`,
    );
  }
  return { width, height, size: bytes.length };
}
