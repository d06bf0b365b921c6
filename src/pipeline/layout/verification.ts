/**
 * The verification block of an issued letter: a short code and a QR code for the public
 * verification URL, in the bottom margin of the last page (outside the letter's text block, so
 * the letter's own layout is the same with or without it).
 */
import { type FontSet, textWidth } from './fonts.js';
import type { Geometry } from './geometry.js';
import { MM } from './geometry.js';
import { glyphMissingError, missingGlyphs } from './glyphs.js';
import type { LaidOutDocument } from './model.js';

export interface Verification {
  code: string;
  number: string;
  /** The full URL the QR code encodes. */
  url: string;
  /** The URL printed for people who cannot scan (without the query). */
  displayUrl: string;
}

export function addVerification(laid: LaidOutDocument, g: Geometry, fonts: FontSet, v: Verification): void {
  const page = laid.pages[laid.pages.length - 1]!;
  const size = 48; // ~17 mm: scannable from print at version 5–7
  const qrX = g.right - size;
  const qrY = g.bottom + (4 * MM) / 2;
  const small = 7.5;
  const lines = [`核验码：${v.code}`, `扫码或访问 ${v.displayUrl}，输入函号与核验码核实本函真伪`];
  const missing = missingGlyphs(
    lines.map((text) => ({ text, bold: false })),
    fonts,
  );
  if (missing.length) throw glyphMissingError(missing, [{ path: 'publicBaseUrl', value: v.displayUrl }]);
  lines.forEach((text, i) => {
    const w = textWidth(fonts.regular, text, small);
    page.items.push({
      type: 'text',
      x: qrX - 6 - w,
      y: qrY + i * (small * 1.6),
      size: small,
      face: 'regular',
      text,
      gaps: new Array([...text].length).fill(0),
      color: '#333333',
    });
  });
  page.items.push({ type: 'qr', x: qrX, y: qrY, size, data: v.url });
}
