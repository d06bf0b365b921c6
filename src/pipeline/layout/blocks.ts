/**
 * Each block of the document model becomes a list of rows: things of a known height that the
 * paginator stacks. A row draws itself at a given top y. Rows carry keep-together groups so a
 * heading never ends a page and a signature never starts one alone.
 */
import type { Block } from '../markup/model.js';
import type { Breaker } from './breakers.js';
import { type Face, type FontSet, textWidth } from './fonts.js';
import type { Geometry } from './geometry.js';
import { glyphGaps } from './lines.js';
import type { Item, LayoutWarning } from './model.js';
import { cachedBreak } from './paragraph-cache.js';
import type { Row } from './row.js';
import { type BrokenParagraph, MAX_EXPANSION_EM } from './totalfit.js';
import { makeUnits } from './units.js';
import { windowRows } from './window.js';

const BLACK = '#000000';
const RED = '#B5121B';

export interface BlockContext {
  fonts: FontSet;
  g: Geometry;
  nextGroup: () => number;
  /** Lines set looser than MAX_EXPANSION_EM (no legal break avoided them) are reported here. */
  warn: (w: LayoutWarning) => void;
  breaker: Breaker;
  /** Sees every broken paragraph (the typesetting benchmark measures them here). */
  onParagraph?: (p: { text: string; em: number } & BrokenParagraph) => void;
}

function run(
  ctx: BlockContext,
  x: number,
  top: number,
  size: number,
  face: Face,
  text: string,
  gaps?: readonly number[],
  color = BLACK,
): Item {
  const y = top + (ctx.g.pitch - size) / 2;
  return { type: 'text', x, y, size, face, text, gaps: gaps ?? new Array([...text].length).fill(0), color };
}

/**
 * Widow and orphan control: a paragraph's first line keeps with its second, and its last line
 * is never alone at the top of a page (the second-to-last keeps with it). Three lines or
 * fewer therefore move as a whole.
 */
export function keepLinesTogether(rows: Row[]): Row[] {
  const n = rows.length;
  if (n < 2) return rows;
  return rows.map((r, k) => (k === 0 || k === n - 2 ? { ...r, keepWithNext: true } : r));
}

/** Justified lines of body text (paragraph, item, heading). */
function flowRows(
  ctx: BlockContext,
  text: string,
  opts: { face?: Face; firstIndent: number; restIndent: number; prefix?: string },
): Row[] {
  const { g, fonts } = ctx;
  const face = opts.face ?? 'regular';
  const f = fonts[face];
  const first = g.textWidth - opts.firstIndent;
  const rest = g.textWidth - opts.restIndent;
  const broken = cachedBreak(f, ctx.breaker, `${g.em}|${first}|${rest}|${text}`, () =>
    ctx.breaker(
      makeUnits(text, (s) => textWidth(f, s, g.em), g.em),
      (k) => (k === 0 ? first : rest),
      g.em,
    ),
  );
  ctx.onParagraph?.({ text, em: g.em, ...broken });
  const { lines, looseLines, orphan } = broken;
  if (looseLines.length || orphan)
    ctx.warn(
      looseWarning(
        text,
        lines.map((l) => (l.gaps.length ? Math.min(...l.gaps) : 0) / g.em),
        looseLines,
        orphan,
      ),
    );
  return lines.map((line, k) => ({
    height: g.pitch,
    draw: (top) => {
      const x = g.left + (k === 0 ? opts.firstIndent : opts.restIndent) - line.startShift;
      const { text: t, gaps } = glyphGaps(line);
      const items: Item[] = [run(ctx, x, top, g.em, face, t, gaps)];
      if (k === 0 && opts.prefix)
        items.unshift(
          run(ctx, g.left + opts.firstIndent - textWidth(f, opts.prefix, g.em), top, g.em, face, opts.prefix),
        );
      return items;
    },
  }));
}

/** Names the paragraph by its opening words, so a template author can find it. */
function looseWarning(text: string, expansionEm: number[], looseLines: number[], orphan: boolean): LayoutWarning {
  const chars = [...text];
  const opening = chars.slice(0, 16).join('') + (chars.length > 16 ? '…' : '');
  const zh: string[] = [];
  const en: string[] = [];
  if (looseLines.length) {
    const which = looseLines.map((k) => `${k + 1}`).join(', ');
    const worst = Math.max(...looseLines.map((k) => expansionEm[k]!)).toFixed(2);
    zh.push(`第 ${which} 行字距超过 ${MAX_EXPANSION_EM} em（最大 ${worst} em），无其他合法断行`);
    en.push(
      `line ${which} expanded above ${MAX_EXPANSION_EM} em per gap (max ${worst} em): no other legal break exists`,
    );
  }
  if (orphan) {
    zh.push('末行为孤字，无其他合法断行');
    en.push('its last line is a single character plus punctuation (孤字): no other legal break exists');
  }
  return {
    code: 'LAYOUT_LOOSE_LINE',
    message: `段落「${opening}」${zh.join('；')} / paragraph "${opening}": ${en.join('; ')}`,
  };
}

function centred(ctx: BlockContext, text: string, size: number, face: Face, color = BLACK, height = ctx.g.pitch): Row {
  const w = textWidth(ctx.fonts[face], text, size);
  return {
    height,
    draw: (top) => [
      {
        ...(run(ctx, ctx.g.left + (ctx.g.textWidth - w) / 2, top, size, face, text, undefined, color) as Extract<
          Item,
          { type: 'text' }
        >),
        y: top + (height - size) / 2,
      },
    ],
  };
}

export function blockRows(ctx: BlockContext, block: Block): Row[] {
  const { g, fonts } = ctx;
  const em = g.em;
  switch (block.type) {
    case 'letterhead': {
      const s = g.style;
      const red = s.letterheadColor ?? RED;
      const rows: Row[] = [centred(ctx, block.name, s.letterheadSize, 'bold', red, s.letterheadSize * 1.6)];
      for (const l of block.lines) rows.push(centred(ctx, l, s.smallSize, 'regular', BLACK, s.smallSize * 1.8));
      rows.push({
        height: 10,
        draw: (top) => [
          { type: 'rule', x1: g.left, y1: top + 3, x2: g.right, y2: top + 3, width: 1.6, color: red },
          { type: 'rule', x1: g.left, y1: top + 6, x2: g.right, y2: top + 6, width: 0.5, color: red },
        ],
      });
      return rows.map((r) => ({ ...r, firstPageOnly: true }));
    }
    case 'title': {
      const size = g.style.titleSize;
      return [
        { ...centred(ctx, block.text, size, 'bold', BLACK, Math.max(g.pitch, size * 1.8)), spaceBefore: g.pitch * 0.5 },
      ];
    }
    case 'number': {
      const w = textWidth(fonts.regular, block.text, em);
      return [{ height: g.pitch, draw: (top) => [run(ctx, g.right - w, top, em, 'regular', block.text)] }];
    }
    case 'addressee':
      return flowRows(ctx, block.text, { firstIndent: 0, restIndent: 0 }).map((r, i) =>
        i === 0 ? { ...r, spaceBefore: g.pitch * 0.5 } : r,
      );
    case 'heading': {
      return flowRows(ctx, block.text, { face: 'bold', firstIndent: 2 * em, restIndent: 2 * em }).map((r) => ({
        ...r,
        keepWithNext: true,
      }));
    }
    case 'paragraph':
      return keepLinesTogether(flowRows(ctx, block.text, { firstIndent: 2 * em, restIndent: 0 }));
    case 'item': {
      const markerWidth = textWidth(fonts.regular, block.marker, em);
      const start = 2 * em + markerWidth;
      return keepLinesTogether(
        flowRows(ctx, block.text, { firstIndent: start, restIndent: start, prefix: block.marker }),
      );
    }
    case 'table':
      return tableRows(ctx, block);
    case 'signature':
      return signatureRows(ctx, block);
    case 'attachments': {
      const rows: Row[] = flowRows(ctx, block.title, { firstIndent: 0, restIndent: 0 });
      rows[0] = { ...rows[0]!, spaceBefore: g.pitch };
      const indent = textWidth(fonts.regular, block.title, em);
      for (const item of block.items) rows.push(...flowRows(ctx, item, { firstIndent: indent, restIndent: indent }));
      return rows.map((r) => ({ ...r, attachment: true }));
    }
    case 'window':
      return windowRows(fonts, block);
    case 'pagebreak':
      return [{ height: 0, draw: () => [], pageBreakBefore: true }];
  }
}

function tableRows(ctx: BlockContext, block: Extract<Block, { type: 'table' }>): Row[] {
  const { g, fonts } = ctx;
  const size = g.em;
  const group = ctx.nextGroup();
  const width = Math.min(g.textWidth, g.textWidth * 0.8);
  const x0 = g.left + (g.textWidth - width) / 2;
  const x1 = x0 + width;
  const pad = size * 0.5;
  const rows: Row[] = [];
  if (block.caption) rows.push({ ...centred(ctx, block.caption, g.style.smallSize + 1, 'regular'), group });
  block.rows.forEach((r, i) => {
    const face: Face = r.kind === 'body' ? 'regular' : 'bold';
    const first = i === 0;
    const last = i === block.rows.length - 1;
    rows.push({
      height: g.pitch,
      group,
      draw: (top) => {
        const items: Item[] = [];
        const [label = '', ...rest] = r.cells;
        items.push(run(ctx, x0 + pad, top, size, face, label));
        // Remaining cells: right-aligned, the last at the right edge, others in equal columns.
        rest.forEach((cell, k) => {
          const colRight = x1 - pad - ((rest.length - 1 - k) * (width / 2)) / Math.max(1, rest.length);
          const w = textWidth(fonts[face], cell, size);
          items.push(run(ctx, r.kind === 'header' ? colRight - w : colRight - w, top, size, face, cell));
        });
        const rule = (y: number, w: number): Item => ({
          type: 'rule',
          x1: x0,
          y1: y,
          x2: x1,
          y2: y,
          width: w,
          color: BLACK,
        });
        if (first) items.push(rule(top, 1.2));
        if (r.kind === 'header') items.push(rule(top + g.pitch, 0.6));
        if (r.kind === 'total') items.push(rule(top, 0.6));
        if (last) items.push(rule(top + g.pitch, 1.2));
        return items;
      },
    });
  });
  return rows.map((r, i) => (i === 0 ? { ...r, spaceBefore: g.pitch * 0.25 } : r));
}

function signatureRows(ctx: BlockContext, block: Extract<Block, { type: 'signature' }>): Row[] {
  const { g, fonts } = ctx;
  const em = g.em;
  const group = ctx.nextGroup();
  // GB/T 9704: the date stands four characters from the right; the other lines centre over it.
  const dateLine = block.lines.find((l) => l.seal) ?? block.lines[block.lines.length - 1];
  const dateWidth = dateLine ? textWidth(fonts.regular, dateLine.text, em) : 0;
  const dateRight = g.right - 4 * em;
  const centre = dateRight - dateWidth / 2;
  return block.lines.map((line, i) => ({
    height: g.pitch,
    group,
    signature: true,
    spaceBefore: i === 0 ? g.pitch : 0,
    draw: (top) => {
      const w = textWidth(fonts.regular, line.text, em);
      const x = Math.min(centre - w / 2, g.right - w);
      const items: Item[] = [run(ctx, x, top, em, 'regular', line.text)];
      if (line.seal) {
        // The seal overlaps the date ("骑年盖月") and the sender's name above it: 40 mm across unless the style says otherwise.
        const seal = g.style.seal ?? { diameterMm: 40, offsetMm: { x: 0, y: 0 } };
        const mm = 72 / 25.4;
        items.push({
          type: 'seal',
          cx: centre + seal.offsetMm.x * mm,
          cy: top - g.pitch * 0.5 + seal.offsetMm.y * mm,
          diameter: seal.diameterMm * mm,
        });
      }
      return items;
    },
  }));
}
