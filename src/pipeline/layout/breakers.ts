/**
 * The paragraph breakers a layout can use: total-fit (engine v2, the default) and the greedy
 * breaker of engine v1, kept so `npm run bench:typeset` can measure one against the other on
 * the same documents.
 */
import { breakLinesGreedy } from './lines.js';
import { type BrokenParagraph, breakParagraph, isOrphan, MAX_EXPANSION_EM } from './totalfit.js';
import type { Unit } from './units.js';

export type Breaker = (units: Unit[], available: (lineIndex: number) => number, em: number) => BrokenParagraph;

export const breakTotalFit: Breaker = breakParagraph;

export const breakGreedy: Breaker = (units, available, em) => {
  const lines = breakLinesGreedy(units, available);
  const looseLines = lines.flatMap((l, k) => (!l.last && (l.gaps[0] ?? 0) > em * MAX_EXPANSION_EM + 0.001 ? [k] : []));
  return { lines, looseLines, orphan: lines.length > 1 && isOrphan(lines.at(-1)!.units) };
};
