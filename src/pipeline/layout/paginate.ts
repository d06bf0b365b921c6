/**
 * Stacks rows onto pages. Keep-together groups move to a new page whole; the signature block
 * takes the last two rows before it along, so it never stands alone at the top of a page.
 * Page numbers "第 X 页 共 Y 页" are added when there is more than one page.
 */

import type { Row } from './blocks.js';
import { type FontSet, textWidth } from './fonts.js';
import type { Geometry } from './geometry.js';
import type { Item, LaidOutDocument, LaidOutPage } from './model.js';

export function paginate(rows: Row[], g: Geometry, fonts: FontSet): LaidOutDocument {
  assignSignatureGroup(rows);
  const pages: LaidOutPage[] = [{ items: [] }];
  let y = g.top;
  let i = 0;
  const newPage = () => {
    pages.push({ items: [] });
    y = g.top;
  };
  while (i < rows.length) {
    const row = rows[i]!;
    if (row.firstPageOnly && pages.length > 1) {
      i++;
      continue;
    }
    if (row.pageBreakBefore) {
      if (y > g.top) newPage();
      i++;
      continue;
    }
    const atTop = y === g.top;
    const space = atTop ? 0 : (row.spaceBefore ?? 0);
    // Height of the whole keep-together group starting here (if it starts here).
    let j = i + 1;
    let groupHeight = space + row.height;
    if (row.group !== undefined && rows[i - 1]?.group !== row.group) {
      while (j < rows.length && rows[j]!.group === row.group) {
        groupHeight += (rows[j]!.spaceBefore ?? 0) + rows[j]!.height;
        j++;
      }
    }
    // A chain of keep-with-next rows (heading → first lines, a paragraph's last two lines) stays together.
    for (
      let k = j - 1;
      rows[k]?.keepWithNext && rows[k + 1] && !rows[k + 1]!.pageBreakBefore && rows[k + 1]!.group === undefined;
      k++
    ) {
      groupHeight += (rows[k + 1]!.spaceBefore ?? 0) + rows[k + 1]!.height;
    }
    const fitsGroup = y + groupHeight <= g.bottom + 0.01;
    const groupFitsEmptyPage = groupHeight - space <= g.bottom - g.top;
    if (!atTop && ((!fitsGroup && groupFitsEmptyPage) || y + space + row.height > g.bottom + 0.01)) {
      newPage();
      continue;
    }
    pages[pages.length - 1]!.items.push(...row.draw(y + space));
    y += space + row.height;
    i++;
  }
  if (pages.length > 1) addPageNumbers(pages, g, fonts);
  return { width: g.width, height: g.height, pages, warnings: [] };
}

/** The signature's group also holds the two rows before it. */
function assignSignatureGroup(rows: Row[]): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.signature && (i === 0 || !rows[i - 1]!.signature)) {
      for (let k = Math.max(0, i - 2); k < i; k++) {
        if (!rows[k]!.firstPageOnly && !rows[k]!.pageBreakBefore) rows[k] = { ...rows[k]!, group: r.group };
      }
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
