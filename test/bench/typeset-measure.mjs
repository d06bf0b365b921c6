// What a careful reader notices on a printed letter, measured from the PDF alone with a real
// parser (pdfjs-dist), so the same code judges hanjian's PDFs and Typst's (bench:typst) and the
// corpus test (test/pipeline/layout/typesetting-corpus.test.ts):
// - every glyph's position, from the text operators (Tm, Td, Tf, Tc, Tw, Tz, TJ) under the
//   current transformation matrix, and its advance from the font's widths;
// - lines: glyphs on one baseline, cut into segments where a gap passes 1 em (table cells);
// - a line's stretch: the widest space between two adjacent ideographs (em);
// - splits: a number parted from its unit or from its 第 across lines, and dates broken
//   between their 年/月/日 parts (allowed only to avoid a loose line);
// - page ends: how many empty lines a page leaves above the bottom of the text block (apart
//   from a page before a table that does not fit, as tables are kept whole), and pages that
//   hold nothing but the sign-off and the 附件 list.
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

const HAN = /^\p{Script=Han}$/u;
/** Characters that name the unit of a number before them (年 月 日 元 号 条 …, %, ℃). */
export const UNIT_CHARS = new Set([...'年月日号条款项天元角万亿千百个期次倍岁时分秒页份笔名位张件户周届级楼层室%％‰℃']);
const DIGIT_END = /[0-9]$/;
const DIGIT_START = /^[0-9]/;

const multiply = (m, n) => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

/** Upright glyphs of one page: { ch, x, y (from the top), size (pt), advance (pt) }. */
function pageGlyphs(ops, height) {
  const glyphs = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack = [];
  let tm = [1, 0, 0, 1, 0, 0];
  let tlm = tm;
  let size = 0;
  let tc = 0;
  let tw = 0;
  let th = 1;
  let leading = 0;
  const moveLine = (tx, ty) => {
    tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
    tm = tlm;
  };
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const a = ops.argsArray[i];
    switch (fn) {
      case OPS.save:
        stack.push(ctm);
        break;
      case OPS.restore:
        ctm = stack.pop() ?? ctm;
        break;
      case OPS.transform:
        ctm = multiply(a, ctm);
        break;
      case OPS.beginText:
        tm = tlm = [1, 0, 0, 1, 0, 0];
        break;
      case OPS.setTextMatrix:
        tm = tlm = [...a];
        break;
      case OPS.moveText:
        moveLine(a[0], a[1]);
        break;
      case OPS.setLeadingMoveText:
        leading = -a[1];
        moveLine(a[0], a[1]);
        break;
      case OPS.nextLine:
        moveLine(0, -leading);
        break;
      case OPS.setLeading:
        leading = a[0];
        break;
      case OPS.setFont:
        size = a[1];
        break;
      case OPS.setCharSpacing:
        tc = a[0];
        break;
      case OPS.setWordSpacing:
        tw = a[0];
        break;
      case OPS.setHScale:
        th = a[0] / 100;
        break;
      case OPS.showText:
      case OPS.showSpacedText:
      case OPS.nextLineShowText:
      case OPS.nextLineSetSpacingShowText: {
        if (fn === OPS.nextLineShowText || fn === OPS.nextLineSetSpacingShowText) moveLine(0, -leading);
        for (const g of a.at(-1)) {
          if (typeof g === 'number') {
            tm = multiply([1, 0, 0, 1, (-g / 1000) * size * th, 0], tm);
            continue;
          }
          const m = multiply(tm, ctm);
          const scale = Math.hypot(m[0], m[1]);
          const w0 = ((g.width ?? 0) / 1000) * size;
          // Rotated text (a draft mark) is not part of the letter's lines.
          if (Math.abs(m[1]) < 1e-6 && Math.abs(m[2]) < 1e-6 && g.unicode)
            glyphs.push({
              ch: g.unicode,
              x: m[4],
              y: height - m[5],
              size: size * Math.abs(m[3]),
              advance: w0 * scale * th,
            });
          const tx = (w0 + tc + (g.unicode === ' ' ? tw : 0)) * th;
          tm = multiply([1, 0, 0, 1, tx, 0], tm);
        }
        break;
      }
    }
  }
  return glyphs;
}

/** Glyphs on one baseline, in reading order, cut where a gap passes 1 em. */
function linesOf(glyphs, page) {
  const byY = new Map();
  for (const g of glyphs) {
    const key = Math.round(g.y * 2) / 2;
    let list = byY.get(key);
    if (!list) byY.set(key, (list = []));
    list.push(g);
  }
  const lines = [];
  for (const [y, gs] of [...byY].sort((p, q) => p[0] - q[0])) {
    gs.sort((p, q) => p.x - q.x);
    const segments = [[gs[0]]];
    for (let k = 1; k < gs.length; k++) {
      const prev = gs[k - 1];
      const gap = gs[k].x - (prev.x + prev.advance);
      if (gap > prev.size) segments.push([]);
      segments.at(-1).push(gs[k]);
    }
    let stretch = 0;
    for (const seg of segments)
      for (let k = 1; k < seg.length; k++) {
        const [p, q] = [seg[k - 1], seg[k]];
        if (HAN.test(p.ch) && HAN.test(q.ch)) stretch = Math.max(stretch, (q.x - (p.x + p.advance)) / p.size);
      }
    const text = gs.map((g) => g.ch).join('');
    lines.push({
      page,
      y,
      x: gs[0].x,
      right: Math.max(...gs.map((g) => g.x + g.advance)),
      size: Math.max(...gs.map((g) => g.size)),
      text: text.trim(),
      stretch,
    });
  }
  return lines;
}

/** Page furniture that is no line of the letter: "第 1 页 共 2 页", the verification notes. */
const isFurniture = (l) => /^第\s*\d+\s*页\s*共\s*\d+\s*页$/.test(l.text.replace(/\s/g, ' ')) || l.size < 8;

/**
 * Reads a PDF: its pages and its text lines with their stretch. `layout` gives the text
 * block (points from the top-left) and the body's line pitch, to judge page ends.
 */
export async function readLetterPdf(pdf) {
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  const lines = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const ops = await page.getOperatorList();
    lines.push(...linesOf(pageGlyphs(ops, page.view[3]), p).filter((l) => !isFurniture(l)));
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, lines };
}

/**
 * Number/unit splits and date breaks between consecutive lines of the letter.
 * A split: "…截至2026年12" / "月15日…", "…第" / "0140号…", a number ending one line and a
 * digit starting the next. A date break: "…2026年" / "12月15日…" (a permitted last resort).
 */
export function findSplits(lines) {
  const splits = [];
  const dateBreaks = [];
  for (let k = 0; k + 1 < lines.length; k++) {
    const a = lines[k].text;
    const b = lines[k + 1].text;
    if (!a || !b) continue;
    const first = [...b][0];
    const pair = `${a.slice(-8)} / ${b.slice(0, 8)}`;
    if (
      (DIGIT_END.test(a) && (UNIT_CHARS.has(first) || DIGIT_START.test(b))) ||
      (a.endsWith('第') && DIGIT_START.test(b))
    )
      splits.push(pair);
    else if (/[0-9][年月]$/.test(a) && /^[0-9]+[月日]/.test(b)) dateBreaks.push(pair);
  }
  return { splits, dateBreaks };
}

/**
 * One letter's figures. `geometry`: { left, textWidth, bottom, pitch } of its body text, in
 * points from the top-left of the page.
 */
export function measureLetter({ pages, lines }, geometry) {
  const { splits, dateBreaks } = findSplits(lines);
  const stretched = lines.filter((l) => l.stretch > 0.1 + 1e-6);
  const loose = lines.filter((l) => l.stretch > 0.25 + 1e-6);
  const emptyAtEnd = [];
  // Tables are kept whole: a page before one that does not fit ends early by rule.
  const beforeTable = [];
  const signOffOnly = [];
  for (let p = 1; p <= pages; p++) {
    const on = lines.filter((l) => l.page === p);
    const next = lines.find((l) => l.page === p + 1);
    const last = on.at(-1);
    // A page that ends where the letter or a forced break (the annex starts "附件：") ends is not early.
    if (p < pages && last && next && !next.text.startsWith('附件')) {
      // The last line's box ends half a pitch below the middle of its em box (baseline − 0.38 em).
      const boxBottom = last.y - 0.38 * last.size + geometry.pitch / 2;
      emptyAtEnd.push(Math.max(0, (geometry.bottom - boxBottom) / geometry.pitch));
      beforeTable.push(/（单位：/.test(next.text));
    }
    if (p > 1 && on.length && holdsOnlySignOff(on, geometry)) signOffOnly.push(p);
  }
  return {
    pages,
    lines: lines.length,
    splits,
    dateBreaks,
    stretched: stretched.map((l) => `${l.stretch.toFixed(2)} ${l.text.slice(0, 12)}`),
    loose: loose.length,
    maxStretch: Math.max(0, ...lines.map((l) => l.stretch)),
    emptyAtEnd,
    earlyPageEnds: emptyAtEnd.filter((e, k) => e > 2 + 1e-6 && !beforeTable[k]).length,
    earlyBeforeTables: emptyAtEnd.filter((e, k) => e > 2 + 1e-6 && beforeTable[k]).length,
    signOffOnly,
  };
}

/**
 * The page has no line of the letter's body: only lines set right of the middle (the sign-off,
 * centred over the date) and an attachment list ("附件：" and its numbered items).
 */
function holdsOnlySignOff(on, g) {
  let inAttachments = false;
  let signOff = false;
  for (const l of on) {
    if (l.text.startsWith('附件：') && l.text.length <= 4) inAttachments = true;
    else if (inAttachments && /^[0-9]+[．.]/.test(l.text)) continue;
    else if (l.x > g.left + g.textWidth * 0.35) signOff = true;
    else return false;
  }
  return signOff;
}

/** Figures summed over letters, per letter where that is how the goals read. */
export function summarize(results) {
  const n = results.length;
  const sum = (f) => results.reduce((s, r) => s + f(r), 0);
  return {
    letters: n,
    pages: sum((r) => r.pages),
    lines: sum((r) => r.lines),
    splits: sum((r) => r.splits.length),
    dateBreaks: sum((r) => r.dateBreaks.length),
    stretched: sum((r) => r.stretched.length),
    stretchedPerLetter: sum((r) => r.stretched.length) / n,
    loose: sum((r) => r.loose),
    maxStretch: Math.max(...results.map((r) => r.maxStretch)),
    earlyPageEnds: sum((r) => r.earlyPageEnds),
    earlyBeforeTables: sum((r) => r.earlyBeforeTables),
    signOffOnlyPages: sum((r) => r.signOffOnly.length),
  };
}
