/**
 * Total-fit paragraph breaking (Knuth–Plass, as TeX's paragraph builder) adapted to Chinese
 * (typesetting.md "Beyond the browser"). Every gap between units is a break opportunity
 * unless a prohibition forbids it (行首/行尾禁则; numbers, IDs, dates and Latin words are
 * single units and never split). All breaks of a paragraph are chosen at once, minimising
 * the sum of demerits, so the slack an unbreakable run leaves is shared across lines instead
 * of dumped on one.
 *
 * Resources per line, in the order a careful typesetter reaches for them:
 * - shrink: a closing mark at the line end or an opening mark at the line start set
 *   half-width (clreq 标点挤压); used only when a line is too long by at most that much;
 * - stretch: extra space spread evenly over the gaps between units, up to 0.25 em per gap.
 * A line above 0.25 em per gap, or a paragraph ending in one character plus punctuation
 * (孤字), costs so much that it is chosen only when no other legal set of breaks exists; the
 * caller reports such lines.
 */
import type { Line } from './lines.js';
import { breakLinesGreedy } from './lines.js';
import type { Unit } from './units.js';

/** Expansion per gap above which a line counts as loose (in em). */
export const MAX_EXPANSION_EM = 0.25;
/** Badness of a line whose adjustable spaces (units.ts Unit.adjust) are all full: slight, as such a space is ordinary. */
const ADJUST_BADNESS_AT_LIMIT = 4;

const EPS = 0.001;
/** TeX's line penalty: each line costs something, so fewer, fuller lines win ties. */
const LINE_PENALTY = 10;
/** Badness of a line at its stretch limit (0.25 em a gap). */
const BADNESS_AT_LIMIT = 100;
/**
 * Badness of a line with both end marks fully compressed: low, because a half-width mark at a
 * line end is ordinary Chinese typesetting (many house styles always set it so), while
 * 0.25 em between every character is visibly loose.
 */
const SHRINK_BADNESS_AT_LIMIT = 25;
/**
 * Badness of a line with every mark inside it set half-width: higher, as a typesetter takes
 * the line ends' marks first and compresses inside a line only to save a worse break.
 */
const MID_SHRINK_BADNESS_AT_LIMIT = 60;
/** A line above MAX_EXPANSION_EM: worse than any number of good lines, graduated by looseness. */
const LOOSE = 1e7;
/** A paragraph ending in 孤字: worse still, so a loose line is preferred to it. */
const ORPHAN = 1e9;
/** A unit wider than the line standing alone on an overfull line: the last resort. */
const OVERFULL = 1e11;

export interface BrokenParagraph {
  lines: Line[];
  /** Indexes of lines whose expansion per gap exceeds MAX_EXPANSION_EM. */
  looseLines: number[];
  /** The last line is one character plus punctuation (only when nothing else was legal). */
  orphan: boolean;
}

interface Node {
  /** Index of the first unit of the line after this break. */
  next: number;
  cost: number;
  from: number; // index into nodes of the previous break
  lineEnd: number; // exclusive end of the previous line's units (spaces trimmed)
}

/**
 * Break `units` into lines. `available(k)` is the measure of line k; lines after the first
 * must share one measure (first-line indent or hanging indent, as blocks.ts uses).
 */
export function breakParagraph(units: Unit[], available: (lineIndex: number) => number, em: number): BrokenParagraph {
  const n = units.length;
  const firstVisible = nextVisible(units, 0);
  if (firstVisible === n) return { lines: [], looseLines: [], orphan: false };
  const measures = [available(0), available(1)];
  const maxLoose = em * MAX_EXPANSION_EM;

  // Prefix sums: natural width of units [s, e) is W[e] − W[s] − (Q[e − 1] − Q[s]).
  const W = new Float64Array(n + 1);
  const Q = new Float64Array(n + 1);
  // M[k]: what marks 0 … k − 1 may give up inside a line (Unit.midShrink).
  const M = new Float64Array(n + 1);
  // A[k]: adjustable room before units 0 … k − 1, so units [s, e) have A[e] − A[s + 1] inside them.
  const A = new Float64Array(n + 1);
  let maxShrink = 0;
  for (let k = 0; k < n; k++) {
    const u = units[k]!;
    W[k + 1] = W[k]! + u.width;
    Q[k + 1] = Q[k]! + u.squeeze;
    A[k + 1] = A[k]! + u.adjust;
    M[k + 1] = M[k]! + u.midShrink;
    maxShrink = Math.max(maxShrink, u.startShrink, u.endShrink);
  }
  const naturalWidth = (s: number, e: number) => W[e]! - W[s]! - (Q[e - 1]! - Q[s]!);
  const spread = (s: number, e: number, slack: number) => spreadSlack(slack, e - s - 1, A[e]! - A[s + 1]!);
  // Inside the line: units s + 1 … e − 2 (its first and last marks shrink as line-start and line-end marks).
  const midShrink = (s: number, e: number) => (e - s > 2 ? M[e - 1]! - M[s + 1]! : 0);

  // Pass 1 admits only lines within the stretch limit, so each break looks at a window of a
  // few candidate starts; pass 2, only for paragraphs pass 1 cannot set, admits loose and
  // overfull lines at their (huge) cost.
  // A pass-1 result ending in 孤字 is kept only if pass 2 cannot avoid it with a loose line.
  for (const strict of [true, false]) {
    const c = { firstVisible, measures, maxLoose, maxShrink, em, naturalWidth, spread, midShrink };
    const end = search(units, strict, c);
    if (end && (!strict || end.node.cost < ORPHAN)) return build(units, end.nodes, end.node, c);
  }
  // No legal set of breaks (a prohibition chain no line can hold): fall back to greedy breaking.
  const lines = breakLinesGreedy(units, available);
  return {
    lines,
    looseLines: lines.flatMap((l, k) => (!l.last && (l.gaps[0] ?? 0) > maxLoose + EPS ? [k] : [])),
    orphan: lines.length > 1 && isOrphan(lines.at(-1)!.units),
  };
}

interface SearchContext {
  firstVisible: number;
  measures: number[];
  maxLoose: number;
  maxShrink: number;
  em: number;
  naturalWidth: (s: number, e: number) => number;
  spread: (s: number, e: number, slack: number) => Spread;
  midShrink: (s: number, e: number) => number;
}

/** How a line's slack is set: `fill` of each gap's adjustable room, then `each` after every gap (pt). */
interface Spread {
  fill: number;
  each: number;
}

/**
 * Slack goes to the adjustable spaces first (script changes, punctuation's blank halves), each
 * filled by the same fraction of its room, and what is left is spread evenly over every gap (a
 * line with no gap at all keeps its slack at the end).
 */
function spreadSlack(slack: number, gaps: number, room: number): Spread {
  const fill = room > 0 ? Math.min(1, slack / room) : 0;
  const rest = slack - fill * room;
  return { fill, each: gaps > 0 ? rest / gaps : rest };
}

function search(units: Unit[], strict: boolean, c: SearchContext): { nodes: Node[]; node: Node } | undefined {
  const n = units.length;
  const { firstVisible, measures, maxLoose, maxShrink, naturalWidth } = c;
  const nodes: Node[] = [{ next: firstVisible, cost: 0, from: -1, lineEnd: 0 }];
  let lo = 0; // earliest start that can still reach the current break: starts before it only make longer lines
  // Candidate breaks: after unit b − 1, before unit b. The paragraph end is always one.
  for (let b = firstVisible + 1; b <= n; b++) {
    const e = lastVisibleEnd(units, b);
    const next = nextVisible(units, b);
    const isEnd = next === n;
    if (!isEnd && (units[next]!.noStart || units[e - 1]!.noEnd)) continue;
    if (!isEnd && nodes[nodes.length - 1]!.next === next) continue; // a break inside a run of spaces: one node per line start
    let best: Node | undefined;
    for (let a = strict ? lo : nodes.length - 1; strict ? a < nodes.length : a >= 0; a += strict ? 1 : -1) {
      const from = nodes[a]!;
      const s = from.next;
      if (s >= e) {
        if (strict) break;
        continue;
      }
      const avail = measures[s === firstVisible ? 0 : 1]!;
      const w = naturalWidth(s, e);
      if (w - 2 * maxShrink - c.midShrink(s, e) > avail + EPS) {
        if (strict) {
          lo = a + 1;
          continue;
        }
        if (e - s > 1) break; // a unit wider than the measure may stand alone, at a cost
      }
      // Later starts only make the line looser: in pass 1 the window ends at the first loose line.
      if (strict && !isEnd && w <= avail && c.spread(s, e, avail - w).each > maxLoose + EPS) break;
      const line = { s, e, w, avail, last: isEnd, notFirst: s !== firstVisible };
      const d = lineDemerits(units, line, c);
      if (d === Infinity || (strict && d >= OVERFULL)) continue;
      // A break inside a date costs its penalty (units.ts DATE_BREAK).
      const cost = from.cost + d + (isEnd ? 0 : units[next]!.penalty);
      if (!best || cost < best.cost) best = { next, cost, from: a, lineEnd: e };
    }
    if (best) {
      if (isEnd) return { nodes, node: best };
      nodes.push(best);
    }
  }
  return undefined;
}

interface Candidate {
  s: number;
  e: number;
  /** Natural width of units [s, e). */
  w: number;
  avail: number;
  last: boolean;
  notFirst: boolean;
}

function lineDemerits(units: Unit[], { s, e, w, avail, last, notFirst }: Candidate, c: SearchContext): number {
  const { maxLoose, em } = c;
  let badness: number;
  if (w > avail + EPS) {
    const ends = units[s]!.startShrink + (e - 1 > s ? units[e - 1]!.endShrink : 0);
    const inside = c.midShrink(s, e);
    const over = w - avail;
    if (over > ends + inside + EPS) return e - s === 1 ? OVERFULL : Infinity;
    const atEnds = Math.min(over, ends);
    badness =
      (ends > 0 ? SHRINK_BADNESS_AT_LIMIT * (atEnds / ends) ** 3 : 0) +
      (over > atEnds + EPS ? MID_SHRINK_BADNESS_AT_LIMIT * ((over - atEnds) / inside) ** 3 : 0);
  } else if (last) {
    badness = 0; // the last line is set at its natural width
  } else {
    const { fill, each } = c.spread(s, e, avail - w);
    if (each > maxLoose + EPS) return LOOSE * (1 + each / em);
    badness = BADNESS_AT_LIMIT * (each / maxLoose) ** 3 + ADJUST_BADNESS_AT_LIMIT * fill ** 3;
  }
  let d = (LINE_PENALTY + badness) ** 2;
  if (last && notFirst && isOrphan(units.slice(s, e))) d += ORPHAN;
  return d;
}

/** One character (not a mark) followed only by punctuation: 孤字 when it ends a paragraph. */
export function isOrphan(line: Unit[]): boolean {
  const words = line.filter((u) => !u.noStart && !u.space);
  return words.length === 1 && words[0]!.chars.length === 1;
}

function build(units: Unit[], nodes: Node[], end: Node, c: SearchContext): BrokenParagraph {
  const spans: [number, number][] = [];
  for (let node: Node = end; node.from >= 0; node = nodes[node.from]!)
    spans.push([nodes[node.from]!.next, node.lineEnd]);
  spans.reverse();
  const looseLines: number[] = [];
  const lines = spans.map(([s, e], k) => {
    const last = k === spans.length - 1;
    const lineUnits = units.slice(s, e);
    const avail = c.measures[s === c.firstVisible ? 0 : 1]!;
    const width = lineUnits.reduce((sum, u, i) => sum + u.width - (i < lineUnits.length - 1 ? u.squeeze : 0), 0);
    const gaps = new Array<number>(Math.max(0, lineUnits.length - 1)).fill(0);
    let startShift = 0;
    if (width > avail + EPS) {
      // Too long by at most its punctuation's blank halves: the end mark's blank half goes
      // past the measure first, then the start mark's into the margin.
      const over = width - avail;
      const atEnd = Math.min(over, lineUnits.length > 1 ? lineUnits.at(-1)!.endShrink : 0);
      startShift = Math.max(0, Math.min(over - atEnd, lineUnits[0]!.startShrink));
      // Then the marks inside the line give up the same share of their blank halves.
      const inside = over - atEnd - startShift;
      if (inside > EPS) {
        const share = inside / c.midShrink(s, e);
        for (let i = 1; i < lineUnits.length - 1; i++) {
          const u = lineUnits[i]!;
          if (u.midShrink === 0) continue;
          // A closing mark loses the space after it, an opening mark the space before it.
          if (BLANK_LEFT_OPENING(u)) gaps[i - 1]! -= share * u.midShrink;
          else gaps[i]! -= share * u.midShrink;
        }
      }
    } else if (!last && gaps.length > 0) {
      const { fill, each } = c.spread(s, e, avail - width);
      for (let i = 0; i < gaps.length; i++) gaps[i] = each + fill * lineUnits[i + 1]!.adjust;
      if (each > c.maxLoose + EPS) looseLines.push(k);
    }
    return { units: lineUnits, gaps, width, last, startShift };
  });
  return { lines, looseLines, orphan: lines.length > 1 && isOrphan(lines.at(-1)!.units) };
}

/** An opening mark: its blank half is on the left, before it. */
const BLANK_LEFT_OPENING = (u: Unit) => u.startShrink > 0;

function nextVisible(units: Unit[], k: number): number {
  while (k < units.length && units[k]!.space) k++;
  return k;
}

/** Exclusive end of the units before `b` with trailing spaces trimmed. */
function lastVisibleEnd(units: Unit[], b: number): number {
  while (b > 0 && units[b - 1]!.space) b--;
  return b;
}
