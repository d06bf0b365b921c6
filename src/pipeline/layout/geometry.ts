/** Page geometry from a template's page style (GB/T 9704 proportions by default). */
import type { PageStyle } from '../templates/manifest.js';

export const MM = 72 / 25.4;
export const A4 = { width: 595.28, height: 841.89 };

export interface Geometry {
  style: PageStyle;
  width: number;
  height: number;
  left: number;
  right: number; // x of the right edge of the text block
  top: number;
  bottom: number; // y of the bottom of the text block
  textWidth: number;
  em: number; // body size
  pitch: number;
}

export function geometryOf(style: PageStyle): Geometry {
  const m = style.marginsMm;
  const left = m.left * MM;
  const right = A4.width - m.right * MM;
  return {
    style,
    width: A4.width,
    height: A4.height,
    left,
    right,
    top: m.top * MM,
    bottom: A4.height - m.bottom * MM,
    textWidth: right - left,
    em: style.bodySize,
    pitch: style.linePitch,
  };
}
