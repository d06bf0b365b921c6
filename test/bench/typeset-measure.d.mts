/** Types for typeset-measure.mjs (plain JavaScript, so the benches run it without a build). */
export interface LetterLine {
  page: number;
  y: number;
  x: number;
  right: number;
  size: number;
  text: string;
  /** The widest space between two adjacent ideographs of the line (em). */
  stretch: number;
}
export interface LetterPdf {
  pages: number;
  lines: LetterLine[];
}
export interface LetterGeometry {
  left: number;
  textWidth: number;
  bottom: number;
  pitch: number;
}
export interface LetterFigures {
  pages: number;
  lines: number;
  splits: string[];
  dateBreaks: string[];
  stretched: string[];
  loose: number;
  maxStretch: number;
  emptyAtEnd: number[];
  earlyPageEnds: number;
  earlyBeforeTables: number;
  signOffOnly: number[];
}
export interface CorpusFigures {
  letters: number;
  pages: number;
  lines: number;
  splits: number;
  dateBreaks: number;
  stretched: number;
  stretchedPerLetter: number;
  loose: number;
  maxStretch: number;
  earlyPageEnds: number;
  earlyBeforeTables: number;
  signOffOnlyPages: number;
}
export const UNIT_CHARS: Set<string>;
export function readLetterPdf(pdf: Uint8Array): Promise<LetterPdf>;
export function findSplits(lines: LetterLine[]): { splits: string[]; dateBreaks: string[] };
export function measureLetter(pdf: LetterPdf, geometry: LetterGeometry): LetterFigures;
export function summarize(results: LetterFigures[]): CorpusFigures;
