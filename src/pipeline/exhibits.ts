/**
 * Court papers that are not letters — the 证据目录 (index of evidence) and the exhibits the
 * registry writes itself (delivery record, registry record, a debtor's dispute or plan
 * acceptance) — typeset with the letters' fonts and PDF stage. Their layout is simpler than a
 * letter's and ragged-right on purpose: nothing is stretched to the margin (a heading set as
 * "送 达 记 录" reads as a typo to a judge), tables are real grids whose cells wrap, and every
 * page carries "第 n 页 共 m 页". Nothing here is markup: every string is drawn as it is.
 */
import { VERSION } from '../shared/version.js';
import { LAYOUT_ENGINE_VERSION } from './layout/engine.js';
import { type Face, type FontSet, getFonts, textWidth } from './layout/fonts.js';
import { A4, MM } from './layout/geometry.js';
import { glyphMissingError, missingGlyphs } from './layout/glyphs.js';
import type { Item, LaidOutDocument, LaidOutPage } from './layout/model.js';
import { imageReadable, renderPdf } from './pdf/render.js';

export interface GridColumn {
  title: string;
  /** Share of the text width (the shares of a grid add up to 1). */
  share: number;
  align?: 'left' | 'centre';
}

export type ExhibitBlock =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'grid'; columns: GridColumn[]; rows: string[][] }
  /** Label–value pairs as a two-column grid without a header. */
  | { type: 'fields'; rows: [string, string][] }
  /** A raster proof (PNG or JPEG) on a page of its own, under its caption. */
  | { type: 'image'; caption: string; data: Buffer }
  /** Lines set flush right (submitter, date, seal line). */
  | { type: 'sign'; lines: string[] };

export interface ExhibitDocument {
  title: string;
  /** A line under the title (e.g. the letter's number), centred. */
  subtitle?: string;
  blocks: ExhibitBlock[];
  /** YYYY-MM-DD: the PDF's creation date, so the same content gives the same bytes. */
  date: string;
  author: string;
}

const LEFT = 25 * MM;
const RIGHT = A4.width - 22 * MM;
const TOP = 25 * MM;
const BOTTOM = A4.height - 22 * MM;
const WIDTH = RIGHT - LEFT;
const BODY = 12;
const BODY_LEAD = 20;
const CELL = 10.5;
const CELL_LEAD = 15;
const PAD = 4;
const TITLE = 18;
const FOOT = 9;
const BLACK = '#000000';

/** Characters that never start a line (GB/T 15834 / clreq): a break before one moves the character before it down too. */
const NO_START = new Set([...'，。、；：？！）》」』】〕…’”%·.,;:!?)]']);
/** Characters that never end a line. */
const NO_END = new Set([...'（《「『【〔‘“([']);

/** Pieces a line may break between: a run of Latin letters and digits stays whole unless it is wider than the line. */
function tokens(text: string): string[] {
  return text.match(/[A-Za-z0-9@._\-/+#=:]+|\s+|./gsu) ?? [];
}

/** Greedy line breaking, ragged right, with the two rules of line-start and line-end prohibition. */
export function wrap(fonts: FontSet, face: Face, text: string, size: number, width: number): string[] {
  const f = fonts[face];
  const w = (s: string) => textWidth(f, s, size);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line: string[] = [];
    let lineW = 0;
    const flush = () => {
      out.push(line.join('').trimEnd());
      line = [];
      lineW = 0;
    };
    const pieces: string[] = [];
    for (const t of tokens(para)) {
      // A token wider than the line (a long hash without spaces) is cut where it must be.
      if (w(t) <= width) pieces.push(t);
      else {
        let cur = '';
        for (const ch of t) {
          if (w(cur + ch) > width) {
            pieces.push(cur);
            cur = '';
          }
          cur += ch;
        }
        if (cur) pieces.push(cur);
      }
    }
    for (const t of pieces) {
      const tw = w(t);
      if (lineW + tw > width && line.length) {
        if (/^\s+$/.test(t)) continue; // a space at a break is dropped
        const carried: string[] = [];
        if ([...t][0] && NO_START.has([...t][0]!) && line.length > 1) carried.unshift(line.pop()!);
        while (line.length > 1 && NO_END.has([...line.at(-1)!].at(-1)!)) carried.unshift(line.pop()!);
        flush();
        for (const c of carried) {
          line.push(c);
          lineW += w(c);
        }
      }
      if (!line.length && /^\s+$/.test(t)) continue;
      line.push(t);
      lineW += tw;
    }
    flush();
  }
  return out;
}

interface Band {
  height: number;
  draw: (top: number) => Item[];
  /** Repeated at the top of a page the grid continues on (its header row). */
  header?: Band;
  /** A new page before this band. */
  pageBefore?: boolean;
  /** Kept on the page of the band after it. */
  keepWithNext?: boolean;
}

const text = (x: number, y: number, size: number, face: Face, t: string): Item => ({
  type: 'text',
  x,
  y,
  size,
  face,
  text: t,
  gaps: new Array([...t].length).fill(0),
  color: BLACK,
});
const rule = (x1: number, y1: number, x2: number, y2: number, width = 0.6): Item => ({
  type: 'rule',
  x1,
  y1,
  x2,
  y2,
  width,
  color: BLACK,
});

function gridBands(fonts: FontSet, columns: GridColumn[], rows: string[][], withHeader: boolean): Band[] {
  const xs = [LEFT];
  for (const c of columns) xs.push(xs.at(-1)! + c.share * WIDTH);
  xs[xs.length - 1] = RIGHT;
  const band = (cells: string[], face: Face): Band => {
    const lines = cells.map((c, i) => wrap(fonts, face, c, CELL, xs[i + 1]! - xs[i]! - 2 * PAD));
    const height = Math.max(1, ...lines.map((l) => l.length)) * CELL_LEAD + 2 * PAD;
    return {
      height,
      draw: (top) => {
        const items: Item[] = [rule(LEFT, top, RIGHT, top), rule(LEFT, top + height, RIGHT, top + height)];
        for (const x of xs) items.push(rule(x, top, x, top + height));
        lines.forEach((ls, i) => {
          const centre = face === 'bold' || columns[i]!.align === 'centre';
          ls.forEach((l, k) => {
            const lw = textWidth(fonts[face], l, CELL);
            const x = centre ? (xs[i]! + xs[i + 1]! - lw) / 2 : xs[i]! + PAD;
            items.push(text(x, top + PAD + k * CELL_LEAD + (CELL_LEAD - CELL) / 2, CELL, face, l));
          });
        });
        return items;
      },
    };
  };
  const header = withHeader
    ? band(
        columns.map((c) => c.title),
        'bold',
      )
    : undefined;
  const body = rows.map((r) => ({ ...band(r, 'regular'), header }));
  return header ? [{ ...header, keepWithNext: true }, ...body] : body;
}

/** Air above a grid: kept with it, dropped nowhere (a few points at the top of a page do no harm). */
const space = (): Band => ({ height: 8, keepWithNext: true, draw: () => [] });

function bands(fonts: FontSet, block: ExhibitBlock): Band[] {
  switch (block.type) {
    case 'heading': {
      const lines = wrap(fonts, 'bold', block.text, BODY, WIDTH);
      return lines.map((l, k) => ({
        height: BODY_LEAD + (k === 0 ? 6 : 0),
        keepWithNext: true,
        draw: (top) => [text(LEFT, top + (k === 0 ? 6 : 0) + (BODY_LEAD - BODY) / 2, BODY, 'bold', l)],
      }));
    }
    case 'paragraph': {
      const first = wrap(fonts, 'regular', block.text, BODY, WIDTH - 2 * BODY);
      // The first line is indented two characters; the rest are re-broken at the full width.
      const head = first[0] ?? '';
      const rest = wrap(fonts, 'regular', block.text.slice(head.length).trimStart(), BODY, WIDTH).filter(Boolean);
      return [head, ...rest].map((l, k) => ({
        height: BODY_LEAD,
        draw: (top) => [text(LEFT + (k === 0 ? 2 * BODY : 0), top + (BODY_LEAD - BODY) / 2, BODY, 'regular', l)],
      }));
    }
    case 'grid':
      return [space(), ...gridBands(fonts, block.columns, block.rows, true)];
    case 'fields':
      return [
        space(),
        ...gridBands(
          fonts,
          [
            { title: '', share: 0.26 },
            { title: '', share: 0.74 },
          ],
          block.rows,
          false,
        ),
      ];
    case 'image': {
      const cap = wrap(fonts, 'bold', block.caption, BODY, WIDTH);
      const capH = cap.length * BODY_LEAD;
      return [
        {
          height: BOTTOM - TOP,
          pageBefore: true,
          draw: (top) => [
            ...cap.map((l, k) => text(LEFT, top + k * BODY_LEAD + (BODY_LEAD - BODY) / 2, BODY, 'bold', l)),
            {
              type: 'image',
              x: LEFT,
              y: top + capH + 6,
              width: WIDTH,
              height: BOTTOM - TOP - capH - 6,
              data: block.data,
            },
          ],
        },
      ];
    }
    case 'sign':
      return block.lines.map((l, k) => ({
        height: BODY_LEAD + (k === 0 ? BODY_LEAD : 0),
        draw: (top) => {
          const w = textWidth(fonts.regular, l, BODY);
          return [
            text(RIGHT - 2 * BODY - w, top + (k === 0 ? BODY_LEAD : 0) + (BODY_LEAD - BODY) / 2, BODY, 'regular', l),
          ];
        },
      }));
  }
}

function paginate(fonts: FontSet, doc: ExhibitDocument, all: Band[]): LaidOutDocument {
  const pages: Item[][] = [[]];
  let y = TOP;
  const titleLines = wrap(fonts, 'bold', doc.title, TITLE, WIDTH);
  for (const l of titleLines) {
    pages[0]!.push(text(LEFT + (WIDTH - textWidth(fonts.bold, l, TITLE)) / 2, y, TITLE, 'bold', l));
    y += TITLE * 1.5;
  }
  if (doc.subtitle) {
    const w = textWidth(fonts.regular, doc.subtitle, BODY);
    pages[0]!.push(text(LEFT + (WIDTH - w) / 2, y, BODY, 'regular', doc.subtitle));
    y += BODY_LEAD;
  }
  y += 8;
  const newPage = () => {
    pages.push([]);
    y = TOP;
  };
  for (let i = 0; i < all.length; i++) {
    const b = all[i]!;
    // A band that keeps with the next moves when the pair would not fit.
    let need = b.height;
    for (let k = i; all[k]?.keepWithNext && all[k + 1]; k++) need += all[k + 1]!.height;
    if ((b.pageBefore && (pages.at(-1)!.length || y > TOP)) || (y + Math.min(need, BOTTOM - TOP) > BOTTOM && y > TOP)) {
      newPage();
      if (b.header && !b.keepWithNext) {
        pages.at(-1)!.push(...b.header.draw(y));
        y += b.header.height;
      }
    }
    pages.at(-1)!.push(...b.draw(y));
    y += b.height;
  }
  const n = pages.length;
  const laid: LaidOutPage[] = pages.map((items, k) => {
    const foot = `第 ${k + 1} 页 共 ${n} 页`;
    const w = textWidth(fonts.regular, foot, FOOT);
    return { items: [...items, text((A4.width - w) / 2, BOTTOM + 10, FOOT, 'regular', foot)] };
  });
  return { width: A4.width, height: A4.height, pages: laid, warnings: [] };
}

function textsOf(doc: ExhibitDocument): { text: string; bold: boolean }[] {
  const out = [
    { text: doc.title, bold: true },
    { text: doc.subtitle ?? '', bold: false },
    { text: '第页共0123456789', bold: false },
  ];
  for (const b of doc.blocks) {
    if (b.type === 'heading') out.push({ text: b.text, bold: true });
    else if (b.type === 'paragraph') out.push({ text: b.text, bold: false });
    else if (b.type === 'grid') {
      out.push(...b.columns.map((c) => ({ text: c.title, bold: true })));
      out.push(...b.rows.flat().map((t) => ({ text: t, bold: false })));
    } else if (b.type === 'fields') out.push(...b.rows.flat().map((t) => ({ text: t, bold: false })));
    else if (b.type === 'image') out.push({ text: b.caption, bold: true });
    else out.push(...b.lines.map((t) => ({ text: t, bold: false })));
  }
  return out;
}

/** Whether an image block can carry these bytes (a PNG or JPEG that parses). */
export const embeddableImage = imageReadable;

/** The document as PDF bytes, and its number of pages (for the 证据目录's 页码). */
export async function renderExhibit(doc: ExhibitDocument): Promise<{ pdf: Buffer; pages: number }> {
  const fonts = getFonts();
  const missing = missingGlyphs(
    textsOf(doc).map((t) => ({ ...t, text: t.text.replace(/\s/g, '') })),
    fonts,
  );
  if (missing.length) throw glyphMissingError(missing);
  const laid = paginate(
    fonts,
    doc,
    doc.blocks.flatMap((b) => bands(fonts, b)),
  );
  const pdf = await renderPdf(laid, fonts, {
    title: doc.title,
    author: doc.author,
    subject: doc.title,
    keywords: 'hanjian; evidence',
    producer: `hanjian ${VERSION}`,
    layoutEngine: LAYOUT_ENGINE_VERSION,
    creationDate: new Date(`${doc.date}T00:00:00+08:00`),
  });
  return { pdf, pages: laid.pages.length };
}

/**
 * The number of pages of a PDF we did not make page by page (an issued letter, a carrier's
 * proof): the largest /Count of a /Pages node, else the /Page objects counted. A PDF that
 * hides both in compressed object streams counts as one page (the 证据目录 says so: 页码 is
 * then the first page only).
 */
export function pdfPageCount(bytes: Buffer): number {
  const s = bytes.toString('latin1');
  let best = 0;
  for (const m of s.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g))
    best = Math.max(best, Number(m[1] ?? m[2]));
  if (best) return best;
  const pages = s.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  return Math.max(1, pages);
}

/**
 * One page for a scanned paper attached to an issued letter (the 授权委托书 a lawyer's letter
 * lists): its heading and a line naming the letter at the top, the scan fitted below. No page
 * numbers: the page follows the letter's own.
 */
export async function renderScanPage(doc: {
  heading: string;
  subheading: string;
  data: Buffer;
  date: string;
  author: string;
}): Promise<Buffer> {
  const fonts = getFonts();
  const missing = missingGlyphs(
    [
      { text: doc.heading.replace(/\s/g, ''), bold: true },
      { text: doc.subheading.replace(/\s/g, ''), bold: false },
    ],
    fonts,
  );
  if (missing.length) throw glyphMissingError(missing);
  const top = TOP + BODY_LEAD * 2 + 6;
  const laid: LaidOutDocument = {
    width: A4.width,
    height: A4.height,
    warnings: [],
    pages: [
      {
        items: [
          text(LEFT, TOP, BODY, 'bold', doc.heading),
          text(LEFT, TOP + BODY_LEAD, BODY, 'regular', doc.subheading),
          { type: 'image', x: LEFT, y: top, width: WIDTH, height: BOTTOM - top, data: doc.data },
        ],
      },
    ],
  };
  return renderPdf(laid, fonts, {
    title: doc.heading,
    author: doc.author,
    subject: doc.heading,
    keywords: 'hanjian; attachment',
    producer: `hanjian ${VERSION}`,
    layoutEngine: LAYOUT_ENGINE_VERSION,
    creationDate: new Date(`${doc.date}T00:00:00+08:00`),
  });
}
