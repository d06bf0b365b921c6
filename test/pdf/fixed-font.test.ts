import { describe, expect, it } from 'vitest';
import { renderLetter } from '../../src/letters.js';
import { getFonts } from '../../src/layout/fonts.js';
import { clearFixedSubsets, fixedCharacters, fixedSubset, fixedSubsetStats } from '../../src/pdf/fixed-font.js';
import { getCatalog } from '../../src/templates/catalog.js';
import { example, TODAY, variant } from '../helpers.js';
import { readPdf } from './extract.js';

const baseFonts = (pdf: Buffer) => [...new Set([...pdf.toString('latin1').matchAll(/\/BaseFont \/([A-Z]{6}\+[\w-]+)/g)].map((m) => m[1]!.slice(7)))].sort();

describe('fixed-text subset (a template\'s characters embedded from a subset made once)', () => {
  it('draws the template\'s characters with the fixed font and the letter\'s own with the per-document one, text intact', async () => {
    const name = '王𠮷䶮';
    const r = await renderLetter(variant(example('lawyer-letter'), (x) => { x.debtor.name = name; }), { today: TODAY });
    expect(baseFonts(r.pdf)).toEqual(['NotoSerifCJKsc-Bold', 'NotoSerifCJKsc-Regular', 'NotoSerifCJKsc-Regular-Fixed']);
    const pdf = await readPdf(r.pdf);
    // A line mixing both fonts reads back as one line, in order.
    expect(pdf.lines.some((l) => l.text.startsWith(`${name}先生：`))).toBe(true);
    expect(pdf.lines.map((l) => l.text).join('').replace(/\s/g, '')).toContain('接受北京某某科技有限公司（统一社会信用代码：91110108MA01ABCD2H，以下简称“委托人”）的委托，指派李四律师（执业证号：11101201910123456）');
  });

  it('gives the same bytes whether the subset was cached or made for this document', async () => {
    const input = example('lawyer-letter');
    const warm = await renderLetter(input, { today: TODAY });
    clearFixedSubsets();
    const before = fixedSubsetStats().built;
    const cold = await renderLetter(input, { today: TODAY });
    expect(fixedSubsetStats().built).toBe(before + 1);
    expect(cold.pdf.equals(warm.pdf)).toBe(true);
    const again = await renderLetter(input, { today: TODAY });
    expect(fixedSubsetStats().built).toBe(before + 1); // reused
    expect(again.pdf.equals(warm.pdf)).toBe(true);
  });

  it('embeds only the fixed characters a letter uses, and none the font lacks', () => {
    const f = getFonts().regular;
    const source = getCatalog().versions.find((v) => v.id === 'reminder@1')!.source;
    const all = fixedCharacters(source, f);
    expect(all.length).toBeGreaterThan(150);
    const used = [...'您好感谢0123'].map((c) => c.codePointAt(0)!);
    const s = fixedSubset(f, source, [...used, 0x20bb7 /* 𠮷: not template text */])!;
    expect([...s.codePoints].sort()).toEqual([...used].sort());
    expect(s.widths).toHaveLength(used.length + 1); // .notdef + the used glyphs
    expect(fixedSubset(f, source, [0x20bb7])).toBeNull();
  });
});
