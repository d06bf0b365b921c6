/**
 * Lines and the greedy breaker (layout engine v1): line-start/line-end prohibitions
 * (行首/行尾禁则) and inter-character justification, the slack of every line but a
 * paragraph's last spread evenly over the gaps between units, never inside a Latin word or
 * number. The letters are broken by the total-fit breaker (totalfit.ts); this one stays
 * callable so `npm run bench:typeset` can show what it replaced.
 */
import type { Unit } from './units.js';

export interface Line {
  units: Unit[];
  /** Extra space after each unit but the last (pt); all zero on a last line. */
  gaps: number[];
  width: number; // natural width
  last: boolean;
  /** How far the line starts left of its measure (pt): an opening mark set half-width at the line start. */
  startShift: number;
}

const EPS = 0.001;

/** `available(lineIndex)` gives the usable width of each line (first-line indent, hanging indent). */
export function breakLinesGreedy(units: Unit[], available: (lineIndex: number) => number, justify = true): Line[] {
  const lines: Line[] = [];
  let i = 0;
  while (i < units.length) {
    while (i < units.length && units[i]!.space) i++; // no line starts with a space
    if (i >= units.length) break;
    const avail = available(lines.length);
    let j = i;
    let w = 0;
    // A unit's squeeze counts only once another unit follows it on the same line.
    const add = (k: number) => units[k]!.width - (k > i ? units[k - 1]!.squeeze : 0);
    while (j < units.length && w + add(j) <= avail + EPS) {
      w += add(j);
      j++;
    }
    if (j >= units.length) {
      lines.push(finish(units.slice(i), avail, false));
      break;
    }
    if (j === i) j = i + 1; // a unit wider than the line: it gets a line of its own
    j = applyProhibitions(units, i, j);
    lines.push(finish(units.slice(i, j), avail, justify));
    i = j;
  }
  if (lines.length) lines[lines.length - 1]!.last = true;
  return lines;
}

/** Move the break back until the next line does not start with a closing mark and this one does not end with an opening one. */
function applyProhibitions(units: Unit[], start: number, end: number): number {
  let j = end;
  for (let guard = 0; guard < 8; guard++) {
    const next = nextVisible(units, j);
    if (next !== undefined && units[next]!.noStart && j - 1 > start) {
      j--; // pull the previous unit down with the closing mark
      continue;
    }
    const prev = lastVisible(units, start, j);
    if (prev !== undefined && units[prev]!.noEnd && prev > start) {
      j = prev; // an opening mark goes down to the next line
      continue;
    }
    break;
  }
  return j;
}

function nextVisible(units: Unit[], j: number): number | undefined {
  while (j < units.length && units[j]!.space) j++;
  return j < units.length ? j : undefined;
}

function lastVisible(units: Unit[], start: number, end: number): number | undefined {
  let k = end - 1;
  while (k >= start && units[k]!.space) k--;
  return k >= start ? k : undefined;
}

function finish(lineUnits: Unit[], avail: number, justify: boolean): Line {
  let end = lineUnits.length;
  while (end > 0 && lineUnits[end - 1]!.space) end--;
  const units = lineUnits.slice(0, end);
  const width = units.reduce((s, u, k) => s + u.width - (k < units.length - 1 ? u.squeeze : 0), 0);
  const gaps = new Array<number>(Math.max(0, units.length - 1)).fill(0);
  if (justify && gaps.length > 0) {
    const each = (avail - width) / gaps.length;
    if (each > 0) gaps.fill(each);
  }
  return { units, gaps, width, last: !justify, startShift: 0 };
}

/**
 * Per-code-point gaps for drawing: each unit's gap (less its squeeze) goes after its last
 * character. Remembered per line: a template's fixed paragraphs come from the paragraph cache
 * as the same line objects in every letter, and were flattened again for each (issue 16).
 * Callers only read the result.
 */
export function glyphGaps(line: Line): { text: string; gaps: readonly number[] } {
  let drawn = drawnLines.get(line);
  if (!drawn) drawnLines.set(line, (drawn = flatten(line)));
  return drawn;
}

const drawnLines = new WeakMap<Line, { text: string; gaps: readonly number[] }>();

function flatten(line: Line): { text: string; gaps: number[] } {
  let text = '';
  const gaps: number[] = [];
  const last = line.units.length - 1;
  line.units.forEach((u, k) => {
    text += u.text;
    const after = k < last ? (line.gaps[k] ?? 0) - u.squeeze : 0;
    for (let c = 0; c < u.chars.length; c++) gaps.push(c === u.chars.length - 1 ? after : 0);
  });
  return { text, gaps };
}
