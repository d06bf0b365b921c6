import { inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { describe, expect, it, vi } from 'vitest';
import { getFonts } from '../../../src/pipeline/layout/fonts.js';
import { DocumentFonts, SHARED_MAX, sharedSubsetsCached } from '../../../src/pipeline/pdf/document-fonts.js';
import { example, TODAY, variant } from '../../helpers.js';
import { readPdf } from './extract.js';

type Renderer = typeof import('../../../src/pipeline/index.js');
/** The facade with fresh module state: no shared subsets, no caches, as in a new process. */
async function freshRenderer(): Promise<Renderer> {
  vi.resetModules();
  return import('../../../src/pipeline/index.js');
}

const lawyer = () => example('lawyer-letter');
const rare = () =>
  variant(lawyer(), (x) => {
    x.debtor.name = '王𠮷䶮𫖯𬌗';
    x.lawyers[0].name = '龑堃喆';
  });

/** Names of the font programs stored without deflate (the letters' own subsets). */
const stored = new Set<string>();

/** The font programs of a PDF by BaseFont name (subset tag + PostScript name), inflated where deflated. */
function fontPrograms(pdf: Buffer): Map<string, Buffer> {
  const s = pdf.toString('latin1');
  const streams = new Map<string, Buffer>();
  for (const m of s.matchAll(
    /(\d+) 0 obj\n<<\n\/Subtype \/CIDFontType0C\n(\/Filter \/FlateDecode\n)?\/Length (\d+)\n>>\nstream\n/g,
  )) {
    const id = m[1]!;
    const start = m.index! + m[0].length;
    const data = pdf.subarray(start, start + Number(m[3]));
    const descriptor = s.match(new RegExp(`/FontName /([A-Z]{6}\\+[\\w-]+)(?:(?!endobj)[^])*?/FontFile3 ${id} 0 R`));
    const name = descriptor![1]!;
    if (!m[2]) stored.add(name);
    // A CFF table starts with major version 1: a stored program is one as it is.
    const program = m[2] ? inflateSync(data) : data;
    expect(program[0]).toBe(1);
    streams.set(name, program);
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
    // Shared subsets are deflated once per process; a letter's own is stored as it is (engine v4).
    for (const name of own) expect(stored.has(name)).toBe(true);
    const template = shared.filter((name) => !stored.has(name));
    expect(template.length).toBeGreaterThanOrEqual(2);
  });

  it('reads back every character, across the switches between subsets', async () => {
    const { renderLetter } = await freshRenderer();
    const r = await renderLetter(rare(), { today: TODAY });
    const text = (await readPdf(r.pdf)).lines
      .map((l) => l.text)
      .join('')
      .replace(/\s+/g, '');
    expect(text).toContain('王𠮷䶮𫖯𬌗');
    expect(text).toContain('龑堃喆律师');
  });

  it('keeps a bounded number of shared subsets', () => {
    const fonts = getFonts();
    const han = '律师函北京某科技有限公司上海广州深圳天津重庆南京杭州成都武汉西安长沙郑州济南青岛大连';
    for (let i = 0; i < SHARED_MAX + 8; i++) {
      const doc = new PDFDocument({ autoFirstPage: false });
      new DocumentFonts(doc, fonts, { regular: han.slice(i % 20, (i % 20) + 3) + String(i), bold: '' });
      expect(sharedSubsetsCached()).toBeLessThanOrEqual(SHARED_MAX);
    }
    expect(sharedSubsetsCached()).toBe(SHARED_MAX);
  });
});

describe('text operators', () => {
  /** Glyph start positions (pt) that a viewer computes from `show`'s Tc and TJ operators. */
  function positions(ops: string, widths: number[], size: number): number[] {
    const tc = Number(ops.match(/([-\d.]+) Tc/)?.[1] ?? 0);
    const xs: number[] = [];
    let x = 0;
    let k = 0;
    for (const tj of ops.matchAll(/\[([^\]]*)\] TJ/g)) {
      for (const part of tj[1]!.matchAll(/<([0-9a-f]+)>|(-?[\d.]+)/g)) {
        if (part[1]) {
          for (let i = 0; i < part[1].length / 4; i++) {
            xs.push(x);
            x += (widths[k++]! * size) / 1000 + tc;
          }
        } else x -= (Number(part[2]) * size) / 1000;
      }
    }
    return xs;
  }

  it('sets a justified line with character spacing, each glyph within 0.005 pt of its place', () => {
    const doc = new PDFDocument({ autoFirstPage: false });
    doc.addPage();
    const fonts = new DocumentFonts(doc, getFonts(), { regular: '本所受委托', bold: '' });
    const text = '本所受北京某某科技有限公司委托，就合同BT2025-000123项下欠款事宜致函';
    const size = 16;
    const cps = [...text];
    const gaps = cps.map((ch, i) =>
      i === cps.length - 1 ? 0 : /[A-Z0-9-]/.test(ch) && /[A-Z0-9-]/.test(cps[i + 1]!) ? 0 : 0.4123456,
    );
    const ops = fonts.show('regular', text, size, gaps);
    expect(ops).toContain('0.412 Tc');
    // Adjustments only where a glyph's gap is not the common one (inside the contract number) and at the end.
    const adjustments = [...ops.matchAll(/> (-?[\d.]+)/g)].length;
    expect(adjustments).toBeLessThan(20);
    const widths = cps.map((ch) => fonts.width('regular', ch, 1000));
    const exact: number[] = [];
    let x = 0;
    cps.forEach((_, i) => {
      exact.push(x);
      x += (widths[i]! * size) / 1000 + gaps[i]!;
    });
    const got = positions(ops, widths, size);
    expect(got.length).toBe(cps.length);
    got.forEach((p, i) => expect(Math.abs(p - exact[i]!), `glyph ${i}`).toBeLessThanOrEqual(0.005 + 1e-9));
  });
});
