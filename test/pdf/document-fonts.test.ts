import PDFDocument from 'pdfkit';
import { inflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { getFonts } from '../../src/layout/fonts.js';
import { DocumentFonts, SHARED_MAX, sharedSubsetsCached } from '../../src/pdf/document-fonts.js';
import { example, TODAY, variant } from '../helpers.js';
import { readPdf } from './extract.js';

type Renderer = typeof import('../../src/letters.js');
/** The facade with fresh module state: no shared subsets, no caches, as in a new process. */
async function freshRenderer(): Promise<Renderer> {
  vi.resetModules();
  return import('../../src/letters.js');
}

const lawyer = () => example('lawyer-letter');
const rare = () => variant(lawyer(), (x) => { x.debtor.name = '王𠮷䶮𫖯𬌗'; x.lawyers[0].name = '龑堃喆'; });

/** The font programs of a PDF by BaseFont name (subset tag + PostScript name). */
function fontPrograms(pdf: Buffer): Map<string, Buffer> {
  const s = pdf.toString('latin1');
  const streams = new Map<string, Buffer>();
  for (const m of s.matchAll(/(\d+) 0 obj\n<<\n\/Subtype \/CIDFontType0C\n\/Filter \/FlateDecode\n\/Length (\d+)\n>>\nstream\n/g)) {
    const id = m[1]!;
    const start = m.index! + m[0].length;
    const data = pdf.subarray(start, start + Number(m[2]));
    const descriptor = s.match(new RegExp(`/FontName /([A-Z]{6}\\+[\\w-]+)(?:(?!endobj)[^])*?/FontFile3 ${id} 0 R`));
    streams.set(descriptor![1]!, inflateSync(data));
  }
  return streams;
}

describe('fonts of a letter: a shared subset per template plus the letter’s own', () => {
  it('gives the same bytes whatever the process rendered before', async () => {
    const cold = await (await freshRenderer()).renderLetter(lawyer(), { today: TODAY });
    const warm = await freshRenderer();
    await warm.renderLetter(rare(), { today: TODAY });
    await warm.renderLetter(example('reminder'), { today: TODAY });
    await warm.previewLetter(example('demand'), { today: TODAY });
    const again = await warm.renderLetter(lawyer(), { today: TODAY });
    expect(again.sha256).toBe(cold.sha256);
  });

  it('embeds the same template subset in two letters and a different own subset', async () => {
    const { renderLetter } = await freshRenderer();
    const a = fontPrograms((await renderLetter(lawyer(), { today: TODAY })).pdf);
    const b = fontPrograms((await renderLetter(rare(), { today: TODAY })).pdf);
    const shared = [...a.keys()].filter((name) => b.has(name));
    // The template's subsets of both faces (and here the bold own subset too: same bold text).
    expect(shared.length).toBeGreaterThanOrEqual(2);
    for (const name of shared) expect(b.get(name)!.equals(a.get(name)!)).toBe(true);
    const own = [...b.keys()].filter((name) => !a.has(name));
    expect(own.length).toBeGreaterThan(0);
  });

  it('reads back every character, across the switches between subsets', async () => {
    const { renderLetter } = await freshRenderer();
    const r = await renderLetter(rare(), { today: TODAY });
    const text = (await readPdf(r.pdf)).lines.map((l) => l.text).join('').replace(/\s+/g, '');
    expect(text).toContain('王𠮷䶮𫖯𬌗');
    expect(text).toContain('龑堃喆律师');
  });

  it('keeps a bounded number of shared subsets', () => {
    const fonts = getFonts();
    const han = '律师函北京某科技有限公司上海广州深圳天津重庆南京杭州成都武汉西安长沙郑州济南青岛大连';
    for (let i = 0; i < SHARED_MAX + 8; i++) {
      const doc = new PDFDocument({ autoFirstPage: false });
      new DocumentFonts(doc, fonts, { regular: han.slice(i % 20, i % 20 + 3) + String(i), bold: '' });
      expect(sharedSubsetsCached()).toBeLessThanOrEqual(SHARED_MAX);
    }
    expect(sharedSubsetsCached()).toBe(SHARED_MAX);
  });
});
