/**
 * Stacks rows onto pages. Keep-together groups move to a new page whole; the signature block
 * takes the last two rows before it along, so it never stands alone at the top of a page.
 * Page numbers "第 X 页 共 Y 页" are added when there is more than one page.
 *
 * Page ends (issue 31): where keeping a group together would end a page more than two lines
 * early, or would leave the last page holding only a few rows, the page is set a little
 * tighter (its line pitch and spaces by at most TIGHTEST, 4 %, about one line a page) so the
 * group stays on it, as a typesetter takes a short overflow back rather than spill it.
 */

import { type FontSet, textWidth } from './fonts.js';
import type { Geometry } from './geometry.js';
import type { Item, LaidOutDocument, LaidOutPage } from './model.js';
import type { Row } from './row.js';

/** The tightest a page is set: its rows' heights and spaces times this. */
export const TIGHTEST = 0.96;
/** A page may end this many lines early before it is tightened to take the next group. */
const EARLY_LINES = 2;

interface Placed {
  row: Row;
  space: number;
}

interface PageRows {
  rows: Placed[];
  /** Height used at full pitch. */
  used: number;
  /** Started by a page break (an annex): never taken back onto the page before. */
  forced?: boolean;
  /** Where the page's text starts. */
  top: number;
}

/** `firstTop`: where page 1's text starts (higher for a window envelope, window.ts). */
export function paginate(rows: Row[], g: Geometry, fonts: FontSet, firstTop = g.top): LaidOutDocument {
  assignSignatureGroup(rows);
  const pages: PageRows[] = [{ rows: [], used: 0, top: firstTop }];
  const page = () => pages[pages.length - 1]!;
  const newPage = () => pages.push({ rows: [], used: 0, top: g.top });
  let i = 0;
  while (i < rows.length) {
    const row = rows[i]!;
    if (row.firstPageOnly && pages.length > 1) {
      i++;
      continue;
    }
    if (row.pageBreakBefore) {
      if (page().rows.length) newPage();
      page().forced = true;
      i++;
      continue;
    }
    const atTop = page().rows.length === 0;
    const avail = g.bottom - page().top;
    const run = keptRun(rows, i, atTop);
    const fits = page().used + run.height <= avail + 0.01;
    if (!atTop && !fits) {
      // Moving the run leaves the rest of this page empty: take it in by a tighter page
      // when that leaves more than EARLY_LINES empty and a tighter page holds it.
      const early = avail - page().used > EARLY_LINES * g.pitch + 0.01;
      const tightened = (page().used + run.height) * TIGHTEST <= avail + 0.01;
      const runFitsEmptyPage = run.height - run.rows[0]!.space <= avail;
      if (early && tightened) {
        for (const p of run.rows) place(page(), p);
        i += run.rows.length;
        newPage();
        continue;
      }
      if (runFitsEmptyPage || page().used + run.rows[0]!.space + row.height > avail + 0.01) {
        newPage();
        continue;
      }
    }
    place(page(), { row, space: atTop ? 0 : (row.spaceBefore ?? 0) });
    i++;
  }
  if (!page().rows.length && pages.length > 1) pages.pop();
  takeBackShortLastPage(pages, g);
  const laid: LaidOutPage[] = pages.map((p) => drawPage(p, g));
  if (laid.length > 1) addPageNumbers(laid, g, fonts);
  return { width: g.width, height: g.height, pages: laid, warnings: [] };
}

function place(page: PageRows, p: Placed): void {
  page.rows.push(p);
  page.used += p.space + p.row.height;
}

/**
 * The rows that must go on one page with row `i`: its keep-together group (if it starts
 * there) and the chain of keep-with-next rows after it (a heading with its text's first
 * lines, a paragraph's last two lines), with their heights.
 */
function keptRun(rows: Row[], i: number, atTop: boolean): { rows: Placed[]; height: number } {
  const row = rows[i]!;
  const run: Placed[] = [{ row, space: atTop ? 0 : (row.spaceBefore ?? 0) }];
  let j = i + 1;
  if (row.group !== undefined && rows[i - 1]?.group !== row.group) {
    while (j < rows.length && rows[j]!.group === row.group)
      run.push({ row: rows[j]!, space: rows[j++]!.spaceBefore ?? 0 });
  }
  for (
    let k = j - 1;
    rows[k]?.keepWithNext && rows[k + 1] && !rows[k + 1]!.pageBreakBefore && rows[k + 1]!.group === undefined;
    k++
  ) {
    run.push({ row: rows[k + 1]!, space: rows[k + 1]!.spaceBefore ?? 0 });
  }
  return { rows: run, height: run.reduce((h, p) => h + p.space + p.row.height, 0) };
}

/**
 * A last page of a few rows that the page before could hold, set tighter, is taken back
 * onto it: a sign-off alone (with its two kept lines) is not worth a sheet of paper.
 */
function takeBackShortLastPage(pages: PageRows[], g: Geometry): void {
  if (pages.length < 2) return;
  const last = pages[pages.length - 1]!;
  const before = pages[pages.length - 2]!;
  const avail = g.bottom - before.top;
  const first = last.rows[0];
  if (!first || last.forced) return;
  // At the top of the page its space was dropped; under the rows before it, it counts again.
  const space = first.row.spaceBefore ?? 0;
  if ((before.used + space + last.used) * TIGHTEST > avail + 0.01) return;
  before.rows.push({ row: first.row, space }, ...last.rows.slice(1));
  before.used += space + last.used;
  pages.pop();
}

/** Draws a page's rows, set tighter (by at most TIGHTEST) when they need more than the page. */
function drawPage(p: PageRows, g: Geometry): LaidOutPage {
  const avail = g.bottom - p.top;
  const scale = p.used > avail ? Math.max(TIGHTEST, avail / p.used) : 1;
  const items: Item[] = [];
  let y = p.top;
  for (const { row, space } of p.rows) {
    items.push(...row.draw(y + space * scale));
    y += (space + row.height) * scale;
  }
  return { items };
}

/**
 * The signature's group also holds the two rows before it (the sign-off stays with the last
 * paragraph) and the attachment list right after it (issue 28 §5: no page of only 附件).
 */
function assignSignatureGroup(rows: Row[]): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.signature && (i === 0 || !rows[i - 1]!.signature)) {
      for (let k = Math.max(0, i - 2); k < i; k++) {
        if (!rows[k]!.firstPageOnly && !rows[k]!.pageBreakBefore) rows[k] = { ...rows[k]!, group: r.group };
      }
      let k = i;
      while (k < rows.length && rows[k]!.signature) k++;
      for (; k < rows.length && rows[k]!.attachment; k++) rows[k] = { ...rows[k]!, group: r.group };
    }
  }
}

function addPageNumbers(pages: LaidOutPage[], g: Geometry, fonts: FontSet): void {
  const size = g.style.smallSize + 1.5;
  pages.forEach((p, i) => {
    const text = `第 ${i + 1} 页 共 ${pages.length} 页`;
    const w = textWidth(fonts.regular, text, size);
    const item: Item = {
      type: 'text',
      x: (g.width - w) / 2,
      y: g.bottom + (g.height - g.bottom) / 2 - size,
      size,
      face: 'regular',
      text,
      gaps: new Array([...text].length).fill(0),
      color: '#000000',
    };
    p.items.push(item);
  });
}
