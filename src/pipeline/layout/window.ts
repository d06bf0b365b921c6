/**
 * The addressee block for a window envelope (issue 29): the sender's return line, the postcode,
 * the postal address and the name, at a fixed place on page 1 so that a sheet folded in three
 * shows them through the window of a standard Chinese envelope.
 *
 * The envelope is the DL size (GB/T 1416-2003 5 号, 220 × 110 mm) with the domestic window of
 * its appendix A: 100 × 40 mm, its left edge 25 ± 2 mm from the envelope's left and its top
 * 30 ± 1.5 mm from the envelope's top (the 100 × 50 mm window of the same standard shows more).
 * An A4 sheet folded in three is 210 × 99 mm: inside the envelope it can slide up to 10 mm
 * across and 11 mm down. What the window shows however the sheet lies is x 27–113 mm and
 * y 31.5–57.5 mm of the sheet's top third; the block keeps inside x 30–108, y 32–57.
 *
 * Nothing is cut to fit: the block steps its type down to 9 pt, and an address that still does
 * not fit is refused, naming the field, rather than hidden under the window's edge.
 */
import { HanjianError } from '../../shared/errors.js';
import type { Block } from '../markup/model.js';
import { type Face, type FontSet, textWidth } from './fonts.js';
import { MM } from './geometry.js';
import { breakLinesGreedy } from './lines.js';
import type { Item } from './model.js';
import type { Row } from './row.js';
import { makeUnits } from './units.js';

export const WINDOW_ENVELOPE = {
  zh: 'DL 型（5 号，220×110 毫米）透明窗口信封，窗口 100×40 毫米，距信封左边 25 毫米、上边 30 毫米（GB/T 1416-2003 附录 A）；A4 纸三折，首折朝窗',
  en: 'DL window envelope (GB/T 1416-2003 no. 5, 220 × 110 mm), window 100 × 40 mm at 25 mm from the left and 30 mm from the top (appendix A); A4 folded in three, top third to the window',
} as const;

/** The block's box on page 1, in mm from the sheet's top-left. */
export const WINDOW_BOX_MM = { x: 30, y: 32, width: 78, height: 25 } as const;
/** Where page 1 starts when it carries a window: the letterhead must end above the window. */
const WINDOW_PAGE_TOP_MM = 10;
/** Space between the window's box and the text that follows (takes up a tightened page 1). */
const GAP_BELOW_MM = 6;

const BODY_SIZES = [11, 10.5, 10, 9.5, 9];
const FROM_SIZES = [7, 6.5, 6];
const LEADING = 1.25;
const FROM_GAP = 2;

type WindowBlock = Extract<Block, { type: 'window' }>;

export interface SetLine {
  text: string;
  size: number;
  face: Face;
  /** Extra space below the line: after the return line. */
  gapAfter?: number;
}

/** Breaks `text` flush left at `size`, or null when a piece is wider than the box. */
function breakFlush(fonts: FontSet, face: Face, text: string, size: number, width: number): string[] | null {
  if (!text) return [];
  const f = fonts[face];
  const lines = breakLinesGreedy(
    makeUnits(text, (s) => textWidth(f, s, size), size),
    () => width,
    false,
  );
  if (lines.some((l) => l.width > width + 0.01)) return null;
  return lines.map((l) => l.units.map((u) => u.text).join(''));
}

/** The height the lines take, each at its size's leading, with the space after the return line. */
export function setHeight(lines: SetLine[]): number {
  return lines.reduce((h, l) => h + l.size * LEADING + (l.gapAfter ?? 0), 0);
}

function overflow(path: string, zh: string, en: string): never {
  throw new HanjianError({
    code: 'ENVELOPE_WINDOW_OVERFLOW',
    category: 'invalid_input',
    path,
    zh: `${zh}，在信封窗口（${WINDOW_BOX_MM.width}×${WINDOW_BOX_MM.height} 毫米）内排不下；不会裁切，请缩短`,
    en: `${en} does not fit the envelope window (${WINDOW_BOX_MM.width} × ${WINDOW_BOX_MM.height} mm); nothing is cut: shorten it`,
  });
}

/** The block's lines at the largest size that fits the box (the return line one line of 6–7 pt, or two of 6 pt). */
export function setWindow(fonts: FontSet, w: WindowBlock): SetLine[] {
  const width = WINDOW_BOX_MM.width * MM;
  const height = WINDOW_BOX_MM.height * MM;
  let from: SetLine[] | null = null;
  // One line if it can (the address needs the room), else two of the smallest size.
  for (const [size, most] of [...FROM_SIZES.map((s) => [s, 1] as const), [FROM_SIZES.at(-1)!, 2] as const]) {
    const lines = breakFlush(fonts, 'regular', w.from, size, width);
    if (lines && lines.length <= most) {
      from = lines.map((text) => ({ text, size, face: 'regular' }));
      break;
    }
  }
  if (!from) overflow('window.from', '寄件人行过长', 'the sender line');
  if (from.length) from[from.length - 1]!.gapAfter = FROM_GAP;
  const fromHeight = setHeight(from);
  for (const size of BODY_SIZES) {
    const address = breakFlush(fonts, 'regular', w.address, size, width);
    const name = breakFlush(fonts, 'bold', w.name, size + 1, width);
    if (!name || name.length > 1) {
      if (size === BODY_SIZES.at(-1)) overflow('debtor.name', '收件人姓名过长', "the addressee's name");
      continue;
    }
    if (!address) continue;
    const body: SetLine[] = [
      ...(w.postcode ? [{ text: w.postcode, size, face: 'regular' as Face }] : []),
      ...address.map((text) => ({ text, size, face: 'regular' as Face })),
      { text: name[0]!, size: size + 1, face: 'bold' },
    ];
    if (fromHeight + setHeight(body) <= height + 0.01) return [...from, ...body];
  }
  return overflow('debtor.address', '收件地址过长', 'the postal address');
}

/**
 * The window as one row of page 1. Its height is set by `placeWindow` once the rows above it
 * are known; it draws at fixed places whatever top it is given.
 */
export function windowRows(fonts: FontSet, w: WindowBlock): Row[] {
  const lines = setWindow(fonts, w);
  const x = WINDOW_BOX_MM.x * MM;
  return [
    {
      height: 0,
      firstPageOnly: true,
      window: true,
      draw: () => {
        const items: Item[] = [];
        let y = WINDOW_BOX_MM.y * MM;
        for (const { text, size, face, gapAfter } of lines) {
          items.push({ type: 'text', x, y, size, face, text, gaps: [...text].map(() => 0), color: '#000000' });
          y += size * LEADING + (gapAfter ?? 0);
        }
        return items;
      },
    },
  ];
}

/**
 * Where page 1's text starts: higher when it carries a window, so that the letterhead ends above
 * it. The window row gets the height that brings the text after it below the window, once it is
 * checked that nothing above it (the letterhead) reaches into the window.
 */
export function placeWindow(rows: Row[], usualTop: number): number {
  const at = rows.findIndex((r) => r.window);
  if (at < 0) return usualTop;
  const firstTop = WINDOW_PAGE_TOP_MM * MM;
  let y = firstTop;
  for (let k = 0; k < at; k++) {
    const r = rows[k]!;
    if (!r.firstPageOnly)
      misplaced(
        '“::window” 只能跟在信头（::letterhead）之后，位于正文之前',
        '"::window" may only follow the letterhead, before the text',
      );
    y += (k === 0 ? 0 : (r.spaceBefore ?? 0)) + r.height;
  }
  if (y > WINDOW_BOX_MM.y * MM - 1)
    misplaced('信头过高，伸入信封窗口位置', 'the letterhead reaches into the envelope window');
  rows[at] = { ...rows[at]!, height: (WINDOW_BOX_MM.y + WINDOW_BOX_MM.height + GAP_BELOW_MM) * MM - y };
  return firstTop;
}

/** A template that puts the window where it cannot be: the template's error, not the data's. */
function misplaced(zh: string, en: string): never {
  throw new HanjianError({ code: 'MARKUP_SYNTAX', category: 'template', path: '::window', zh, en });
}
