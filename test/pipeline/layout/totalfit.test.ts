import { describe, expect, it } from 'vitest';
import { composeLetter } from '../../../src/pipeline/compose.js';
import { renderLetter } from '../../../src/pipeline/index.js';
import { layoutDocument } from '../../../src/pipeline/layout/document.js';
import { getFonts, textWidth } from '../../../src/pipeline/layout/fonts.js';
import { geometryOf } from '../../../src/pipeline/layout/geometry.js';
import { breakLinesGreedy, type Line } from '../../../src/pipeline/layout/lines.js';
import { breakParagraph, isOrphan } from '../../../src/pipeline/layout/totalfit.js';
import { makeUnits } from '../../../src/pipeline/layout/units.js';
import { pageStyleSchema } from '../../../src/pipeline/templates/manifest.js';
import { example, TODAY, variant } from '../../helpers.js';

const EM = 10;
const units = (s: string) => makeUnits(s, (t) => [...t].length * EM, EM);
const texts = (lines: Line[]) => lines.map((l) => l.units.map((u) => u.text).join(''));
const expansion = (l: Line) => (l.last ? 0 : (l.gaps[0] ?? 0) / EM);

describe('total-fit breaking (engine v2)', () => {
  it('keeps every prohibition: no closing mark starts a line, no opening mark ends one', () => {
    const text =
      '本所受（北京某某科技有限公司）委托，就贵方所欠《借款合同》项下款项“一二三”事宜，郑重致函如下：请于【七日】内还款。';
    for (let width = 60; width <= 200; width += 10) {
      const { lines } = breakParagraph(units(text), () => width, EM);
      expect(lines.map((l) => l.units.map((u) => u.text).join('')).join('')).toBe(text);
      lines.forEach((l, k) => {
        if (k > 0) expect(l.units[0]!.noStart, `width ${width}: ${texts(lines)}`).toBe(false);
        if (k < lines.length - 1) expect(l.units.at(-1)!.noEnd, `width ${width}: ${texts(lines)}`).toBe(false);
      });
    }
  });

  it('shares the slack of an unbreakable number across lines instead of opening one line wide', () => {
    // Ten characters a line; the ID (8 wide) takes at most two characters with it. Greedy fills
    // two lines and leaves eight characters on the third (0.29 em a gap); three lines of nine fit.
    const text = `${'甲乙丙丁戊己庚辛壬癸'.repeat(3).slice(0, 28)}12345678乙丙丁戊己庚辛壬癸。`;
    const greedy = breakLinesGreedy(units(text), () => 100);
    const fit = breakParagraph(units(text), () => 100, EM);
    expect(Math.max(...greedy.map(expansion))).toBeGreaterThan(0.25);
    expect(Math.max(...fit.lines.map(expansion))).toBeLessThanOrEqual(0.25);
    expect(fit.looseLines).toEqual([]);
  });

  it('never ends a paragraph with one character plus punctuation (孤字)', () => {
    const text = '一二三四五六七八九十一二三四五六七八九十角）。';
    const greedy = breakLinesGreedy(units(text), () => 100);
    expect(texts(greedy).at(-1)).toBe('角）。');
    const fit = breakParagraph(units(text), () => 100, EM);
    expect(isOrphan(fit.lines.at(-1)!.units)).toBe(false);
    expect(fit.orphan).toBe(false);
    expect(Math.max(...fit.lines.map(expansion))).toBeLessThanOrEqual(0.25);
  });

  it('sets a line-end closing mark half-width when that is what it takes to fit', () => {
    // 110 wide, 105 after the inner squeeze of 。”, on a 100 measure: the end mark's blank half goes past it.
    const fit = breakParagraph(units('一二三四五六七八九。”'), () => 100, EM);
    expect(texts(fit.lines)).toEqual(['一二三四五六七八九。”']);
    expect(texts(breakLinesGreedy(units('一二三四五六七八九。”'), () => 100))).toEqual(['一二三四五六七八', '九。”']);
    const wider = breakParagraph(units('一二三四五六七八九十。'), () => 100, EM);
    expect(wider.lines).toHaveLength(2); // a whole character cannot be shrunk away
  });

  it('sets a line-start opening mark half-width and moves the line into the margin by that much', () => {
    const endOnly = breakParagraph(units('（甲乙丙丁戊己庚辛）'), () => 95, EM);
    expect(texts(endOnly.lines)).toEqual(['（甲乙丙丁戊己庚辛）']);
    expect(endOnly.lines[0]!.startShift).toBe(0); // the end mark absorbs it first
    const both = breakParagraph(units('（甲乙丙丁戊己庚辛）'), () => 90, EM);
    expect(texts(both.lines)).toEqual(['（甲乙丙丁戊己庚辛）']);
    expect(both.lines[0]!.startShift).toBe(5);
  });

  it('reports a loose line when no legal break avoids it, and still typesets the paragraph', () => {
    const fit = breakParagraph(units('甲乙12345678901234'), () => 100, EM);
    expect(fit.lines.length).toBe(2);
    expect(fit.looseLines).toEqual([0]);
  });

  it('prefers a reported loose line to a 孤字 when nothing else is legal', () => {
    // Line 1 holds 甲 + the ID + 乙 exactly; the only way to keep 丙 company is a loose line.
    const fit = breakParagraph(units('甲12345678乙丙。'), () => 100, EM);
    expect(texts(fit.lines)).toEqual(['甲12345678', '乙丙。']);
    expect(fit.orphan).toBe(false);
    expect(fit.looseLines).toEqual([0]);
  });

  it('takes a line back by setting the marks inside it half-width (挤压), after the line-end marks', () => {
    // A 100-wide number ends the paragraph. Its first line is 110 wide on a 105 measure, with no
    // mark at either end: only the comma inside can give way; else 十 stands alone, loose.
    const text = '一，二三四五六七八九十1234567890';
    const fit = breakParagraph(units(text), () => 105, EM);
    expect(texts(fit.lines)).toEqual(['一，二三四五六七八九十', '1234567890']);
    expect(fit.lines[0]!.gaps[1]).toBeCloseTo(-5); // the space after the comma
    expect(fit.looseLines).toEqual([]);
  });

  it('spreads slack over script changes and punctuation first, so ideographs stay close', () => {
    // The first line is 170 wide on a measure of 175: 5 to spread.
    const text = '甲乙丙丁，戊12345678己庚辛壬癸子丑寅卯辰巳午';
    const fit = breakParagraph(units(text), () => 175, EM);
    const first = fit.lines[0]!;
    expect(texts([first])[0]).toMatch(/^甲乙丙丁，戊12345678己/);
    expect(first.last).toBe(false);
    const at = (t: string) => first.units.findIndex((u) => u.text === t);
    const hanGap = first.gaps[at('甲')]!;
    expect(first.gaps[at('戊')]).toBeGreaterThan(hanGap); // before the number (a script change)
    expect(first.gaps[at('12345678')]).toBeGreaterThan(hanGap); // after it
    expect(first.gaps[at('，')]).toBeGreaterThan(hanGap); // after the comma's blank half
    expect(hanGap / EM).toBeLessThan(0.05);
  });

  it('is a pure function: the same units give the same breaks', () => {
    const text = '本函所载金额截至2026-11-28，合计人民币12,426.00元（大写：壹万贰仟肆佰贰拾陆元整）。';
    expect(breakParagraph(units(text), () => 120, EM)).toEqual(breakParagraph(units(text), () => 120, EM));
  });
});

describe('total-fit on the real letters', () => {
  const fonts = getFonts();
  for (const kind of ['reminder', 'demand', 'lawyer-letter'] as const) {
    it(`${kind}: no line above 0.25 em and no 孤字, where greedy breaking had them`, () => {
      const c = composeLetter(example(kind), { today: TODAY, preview: true });
      const g = geometryOf(c.template.manifest.style);
      const laid = layoutDocument(c.document, c.template.manifest.style, fonts);
      expect(laid.warnings).toEqual([]);
      let greedyBad = 0;
      let fitBad = 0;
      for (const b of c.document.blocks) {
        if (b.type !== 'paragraph') continue;
        const u = makeUnits(b.text, (s) => textWidth(fonts.regular, s, g.em), g.em);
        const avail = (k: number) => g.textWidth - (k === 0 ? 2 * g.em : 0);
        const greedy = breakLinesGreedy(u, avail);
        greedyBad +=
          greedy.filter((l) => !l.last && (l.gaps[0] ?? 0) > 0.25 * g.em + 0.001).length +
          (greedy.length > 1 && isOrphan(greedy.at(-1)!.units) ? 1 : 0);
        const fit = breakParagraph(u, avail, g.em);
        fitBad += fit.looseLines.length + (fit.orphan ? 1 : 0);
      }
      expect(fitBad).toBe(0);
      if (kind !== 'demand') expect(greedyBad).toBeGreaterThan(0); // the two examples
    });
  }

  it('returns the warning from renderLetter when an input leaves no legal break (a 50-character contract number)', async () => {
    const plain = await renderLetter(example('reminder'), { today: TODAY });
    expect(plain.warnings.filter((w) => w.code === 'LAYOUT_LOOSE_LINE')).toEqual([]);
    const long = await renderLetter(
      variant(example('reminder'), (x) => {
        x.account.contractNo = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-ABCDEFGHIJKL';
      }),
      { today: TODAY },
    );
    const loose = long.warnings.filter((w) => w.code === 'LAYOUT_LOOSE_LINE');
    expect(loose).toHaveLength(1);
    expect(loose[0]!.message).toMatch(/^段落「您好！感谢您使用.*」第 \d+ 行字距超过 0.25 em/);
  });

  it('names the paragraph in a warning when a line cannot be set within 0.25 em', () => {
    const style = pageStyleSchema.parse({});
    const doc = {
      blocks: [{ type: 'paragraph' as const, text: `合同编号：${'A1'.repeat(14)}、${'B2'.repeat(14)}。` }],
    };
    const laid = layoutDocument(doc, style, fonts);
    expect(laid.warnings).toHaveLength(1);
    expect(laid.warnings[0]!.code).toBe('LAYOUT_LOOSE_LINE');
    expect(laid.warnings[0]!.message).toContain('段落「合同编号：');
  });
});
