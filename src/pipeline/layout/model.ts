/** What the layout stage hands to the PDF stage: positioned text runs, rules and the seal. */
import type { Face } from './fonts.js';

export interface TextRun {
  type: 'text';
  x: number;
  /** Top of the em box, in points from the top of the page (pdfkit's convention). */
  y: number;
  size: number;
  face: Face;
  text: string;
  /** Extra advance after each code point (pt), for inter-character justification. */
  gaps: readonly number[];
  color: string;
}

export interface Rule {
  type: 'rule';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
  color: string;
}

export interface SealMark {
  type: 'seal';
  /** Centre of the seal, and its diameter (pt). */
  cx: number;
  cy: number;
  diameter: number;
}

export interface QrMark {
  type: 'qr';
  x: number;
  y: number;
  size: number;
  /** What the code encodes; the PDF stage turns it into vector modules. */
  data: string;
}

/** A raster image (PNG or JPEG) fitted into a box, centred at its top: a proof scan in an evidence exhibit. */
export interface ImageMark {
  type: 'image';
  x: number;
  y: number;
  width: number;
  height: number;
  data: Buffer;
}

export type Item = TextRun | Rule | SealMark | QrMark | ImageMark;

export interface LaidOutPage {
  items: Item[];
}

/** A typesetting compromise the caller should know about (renderLetter's `warnings`). */
export interface LayoutWarning {
  code: string;
  message: string;
}

export interface LaidOutDocument {
  width: number;
  height: number;
  pages: LaidOutPage[];
  warnings: LayoutWarning[];
}
