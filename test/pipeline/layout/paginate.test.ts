import { describe, expect, it } from 'vitest';
import { composeLetter } from '../../../src/pipeline/compose.js';
import { layoutDocument } from '../../../src/pipeline/layout/document.js';
import { getFonts } from '../../../src/pipeline/layout/fonts.js';
import { breakLinesGreedy } from '../../../src/pipeline/layout/lines.js';
import type { LaidOutPage } from '../../../src/pipeline/layout/model.js';
import { TIGHTEST } from '../../../src/pipeline/layout/paginate.js';
import { DATE_BREAK, makeUnits, splitPieces, splitUnits } from '../../../src/pipeline/layout/units.js';
import { example, TODAY, variant } from '../../helpers.js';

describe('units', () => {
  it('never splits numbers, identifiers, dates, …… and ——, or surrogate pairs', () => {
    expect(splitUnits('合计12,426.00元，编号BT2025-000123，日期2026-11-28……好——是𠮷0.05%')).toEqual([
      '合',
      '计',
      '12,426.00元',
      '，',
      '编',
      '号',
      'BT2025-000123',
      '，',
      '日',
      '期',
      '2026-11-28',
      '……',
      '好',
      '——',
      '是',
      '𠮷',
      '0.05%',
    ]);
  });

  it('binds a number to its unit and its 第, and a masked number into one identifier (issue 31)', () => {
    expect(splitUnits('逾期29天，第0140号，分3个月，3号楼，共7日，110105********1239，138****8000。')).toEqual([
      ...'逾期',
      '29天',
      '，',
      '第0140号',
      '，',
      '分',
      '3个月',
      '，',
      '3号',
      '楼',
      '，',
      '共',
      '7日',
      '，',
      '110105********1239',
      '，',
      '138****8000',
      '。',
    ]);
  });

  it('lets a date part only between its 年, 月 and 日 parts, at the price of a loose line', () => {
    const pieces = splitPieces('截至2026年12月15日24时前');
    expect(pieces.map((p) => p.text)).toEqual(['截', '至', '2026年', '12月', '15日', '24时', '前']);
    expect(pieces.map((p) => p.penalty)).toEqual([0, 0, 0, DATE_BREAK, DATE_BREAK, DATE_BREAK, 0]);
  });
});

describe('breakLinesGreedy (engine v1)', () => {
  const units = (s: string) => makeUnits(s, (t) => [...t].length * 10);
  it('pulls a character down with a closing mark instead of starting a line with it', () => {
    const lines = breakLinesGreedy(units('一二三四五。六七'), () => 50);
    expect(lines.map((l) => l.units.map((u) => u.text).join(''))).toEqual(['一二三四', '五。六七']);
  });
  it('moves an opening mark to the next line', () => {
    const lines = breakLinesGreedy(units('一二三四《五六》'), () => 50);
    expect(lines.map((l) => l.units.map((u) => u.text).join(''))).toEqual(['一二三四', '《五六》']);
  });
  it('spreads slack evenly, last line left alone', () => {
    const lines = breakLinesGreedy(units('一二三四五。六七'), () => 50);
    expect(lines[0]!.gaps).toEqual([10 / 3, 10 / 3, 10 / 3]);
    expect(lines[1]!.gaps.every((g) => g === 0)).toBe(true);
  });
});

describe('pagination', () => {
  it('never leaves the signature alone at the top of a page, whatever the letter length', () => {
    const fonts = getFonts();
    for (let n = 0; n <= 300; n += 12) {
      const input = variant(example('lawyer-letter'), (x) => {
        x.relief.note = '说明'.repeat(Math.max(1, n / 2)).slice(0, Math.max(1, n));
      });
      const c = composeLetter(input, { today: TODAY });
      const laid = layoutDocument(c.document, c.template.manifest.style, fonts);
      const page = laid.pages.find((p) =>
        p.items.some((i) => i.type === 'text' && i.text === c.data.lawFirm!.name && i.x > 250),
      )!;
      const sigTop = page.items.find((i) => i.type === 'text' && i.text === c.data.lawFirm!.name && i.x > 250)!;
      const above = page.items.filter(
        (i) => i.type === 'text' && i.y < (sigTop as { y: number }).y && !i.text.startsWith('第 '),
      );
      expect(above.length, `note length ${n}`).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('punctuation squeeze (标点挤压)', () => {
  const units = (s: string) => makeUnits(s, (t) => [...t].length * 10, 10);
  it('sets adjacent full-width marks half-width inside a line, never at its end', () => {
    const u = units('本所”）接受。”好（（甲');
    const squeezed = u.filter((x) => x.squeeze > 0).map((x) => x.text);
    expect(squeezed).toEqual(['”', '。', '（']);
    const [line] = breakLinesGreedy(units('甲”）乙'), () => 100);
    expect(line!.width).toBe(35); // 4 × 10 − 5
    // Two closing marks may not start a line: the break moves back before 丁.
    const lines = breakLinesGreedy(units('甲乙丙丁”）戊'), () => 50);
    expect(lines.map((l) => l.units.map((x) => x.text).join(''))).toEqual(['甲乙丙', '丁”）戊']);
  });
});

describe('widows and orphans', () => {
  it("never leaves a paragraph's first line alone at the bottom or its last line alone at the top", async () => {
    const { keepLinesTogether } = await import('../../../src/pipeline/layout/blocks.js');
    const { paginate } = await import('../../../src/pipeline/layout/paginate.js');
    const { geometryOf } = await import('../../../src/pipeline/layout/geometry.js');
    const { pageStyleSchema } = await import('../../../src/pipeline/templates/manifest.js');
    const g = geometryOf(pageStyleSchema.parse({}));
    const fonts = getFonts();
    for (let seed = 1; seed <= 40; seed++) {
      // Paragraphs of 1–7 lines in a pseudo-random but repeatable mix.
      const rows = [];
      let x = seed;
      for (let p = 0; p < 14; p++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        const n = 1 + (x % 7);
        const lines = Array.from({ length: n }, (_, k) => ({
          height: g.pitch,
          draw: (top: number) => [
            {
              type: 'text' as const,
              x: g.left,
              y: top,
              size: 16,
              face: 'regular' as const,
              text: `${p}:${k + 1}/${n}`,
              gaps: [],
              color: '#000',
            },
          ],
        }));
        rows.push(...keepLinesTogether(lines));
      }
      const laid = paginate(rows, g, fonts);
      const texts = laid.pages.map((pg) =>
        pg.items.filter((i) => i.type === 'text' && i.text.includes(':')).map((i) => (i as { text: string }).text),
      );
      texts.forEach((page, pi) => {
        const first = page[0]!.split(':')[1]!.split('/').map(Number);
        const last = page.at(-1)!.split(':')[1]!.split('/').map(Number);
        if (pi > 0)
          expect(first[0] === first[1] && first[1]! > 1, `widow on page ${pi + 1}, seed ${seed}: ${page[0]}`).toBe(
            false,
          );
        if (pi < texts.length - 1)
          expect(last[0] === 1 && last[1]! > 1, `orphan on page ${pi + 1}, seed ${seed}: ${page.at(-1)}`).toBe(false);
      });
    }
  });
});

describe('page ends (issue 31, issue 28 §5)', () => {
  const fonts = getFonts();
  /** Texts of the page's items, less the page number. */
  const pageTexts = (p: LaidOutPage) =>
    p.items.flatMap((i) => (i.type === 'text' && !i.text.startsWith('第 ') ? [i.text] : []));

  it('never leaves a page holding only the sign-off and the 附件 list, whatever the letter length', () => {
    const input = example('lawyer-letter', 2);
    for (let n = 0; n <= 900; n += 9) {
      const c = composeLetter(input, { today: input.issueDate });
      // A paragraph of n characters before the sign-off moves it down the page, a line at a time.
      const at = c.document.blocks.findIndex((b) => b.type === 'signature');
      c.document.blocks.splice(at, 0, { type: 'paragraph', text: '说明'.repeat(n / 2 + 1).slice(0, n + 1) });
      const tail = new Set(
        c.document.blocks.flatMap((b) =>
          b.type === 'signature' ? b.lines.map((l) => l.text) : b.type === 'attachments' ? [b.title, ...b.items] : [],
        ),
      );
      const laid = layoutDocument(c.document, c.template.manifest.style, fonts);
      laid.pages.forEach((p, k) => {
        const texts = pageTexts(p);
        expect(
          texts.length > 0 && texts.every((t) => tail.has(t)),
          `note length ${n}: page ${k + 1} holds only ${texts.join(' / ')}`,
        ).toBe(false);
      });
    }
  });

  it('sets a page at most 4 % tighter, and only to take back a short overflow', () => {
    const input = example('lawyer-letter', 3);
    const c = composeLetter(input, { today: input.issueDate });
    const style = c.template.manifest.style;
    const laid = layoutDocument(c.document, style, fonts);
    for (const p of laid.pages) {
      const ys = [
        ...new Set(p.items.flatMap((i) => (i.type === 'text' && i.size === style.bodySize ? [i.y] : []))),
      ].sort((a, b) => a - b);
      const steps = ys.slice(1).map((y, k) => y - ys[k]!);
      const pitch = Math.min(...steps);
      expect(pitch).toBeGreaterThanOrEqual(style.linePitch * TIGHTEST - 0.01);
    }
  });
});
