import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_ENGINE_VERSION, previewLetter, type RenderResult, renderLetter } from '../../../src/pipeline/index.js';
import { geometryOf } from '../../../src/pipeline/layout/geometry.js';
import { NO_LINE_END, NO_LINE_START } from '../../../src/pipeline/layout/units.js';
import { specimenSeals } from '../../../src/pipeline/seals.js';
import { getCatalog } from '../../../src/pipeline/templates/catalog.js';
import { HanjianError } from '../../../src/shared/errors.js';
import { example, ROOT, TODAY, variant } from '../../helpers.js';
import { fontSubtypes, type PdfContent, readPdf } from './extract.js';

const KINDS = ['lawyer-letter', 'reminder', 'demand'] as const;
const strip = (s: string) => s.replace(/\s+/g, '');
const isFooter = (t: string) => /^第\s*\d+\s*页\s*共\s*\d+\s*页$/.test(t);

const VERSIONS: (readonly [(typeof KINDS)[number] | 'plan-confirmation', number])[] = [
  ...KINDS.flatMap((kind) => [1, 2].map((version) => [kind, version] as const)),
  ['demand', 3],
  ['lawyer-letter', 3],
  ['plan-confirmation', 1],
  ['demand', 4],
  ['lawyer-letter', 4],
  ['plan-confirmation', 2],
  ['reminder', 3],
  ['demand', 5],
  ['lawyer-letter', 5],
  ['plan-confirmation', 3],
  ['demand', 6],
  ['lawyer-letter', 6],
  ['demand', 7],
  ['lawyer-letter', 7],
  ['plan-confirmation', 4],
  ['reminder', 4],
  ['demand', 8],
  ['lawyer-letter', 8],
  ['plan-confirmation', 5],
];

describe.each(VERSIONS)('%s@%i example as PDF', (kind, version) => {
  let r: RenderResult;
  let pdf: PdfContent;
  const template = getCatalog().versions.find((v) => v.id === `${kind}@${version}`)!;
  const g = geometryOf(template.manifest.style);

  beforeAll(async () => {
    // Version 2 examples are dated on or after its effective date; render them on their own issue date.
    const input = example(kind, version);
    r = await renderLetter(input, { today: version === 1 ? TODAY : input.issueDate, seals: specimenSeals });
    pdf = await readPdf(r.pdf);
  });

  it('text matches the committed golden file, and the PDF text matches it', () => {
    const golden = join(ROOT, 'test', 'golden', `${kind}@${version}.txt`);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, r.text);
    expect(r.text).toBe(readFileSync(golden, 'utf8'));
    const extracted = pdf.lines
      .filter((l) => !isFooter(l.text))
      .map((l) => l.text)
      .join('\n');
    // Whitespace is layout, not content: pdfjs may report justification gaps as spaces.
    expect(strip(extracted)).toBe(strip(r.text));
  });

  it('obeys the line-start and line-end prohibitions', () => {
    for (const l of pdf.lines) {
      const t = l.text.trim();
      expect(NO_LINE_START.has([...t][0]!), `line starts with a closing mark: ${t}`).toBe(false);
      expect(NO_LINE_END.has([...t].at(-1)!), `line ends with an opening mark: ${t}`).toBe(false);
    }
  });

  it('justifies every non-final paragraph line to within 0.5 pt of the right margin', () => {
    const CLOSING = new Set([...'，。、；：！？）］｝〕〉》」』】”’']);
    let checked = 0;
    for (let i = 0; i + 1 < pdf.lines.length; i++) {
      const l = pdf.lines[i]!;
      const next = pdf.lines.slice(i + 1).find((n) => !isFooter(n.text))!;
      if (!next || isFooter(l.text)) continue;
      // A body-size line followed by a line starting at the left margin is inside a paragraph.
      if (
        Math.abs(l.size - g.em) < 0.01 &&
        Math.abs(next.size - g.em) < 0.01 &&
        Math.abs(next.x - g.left) < 0.5 &&
        l.x < g.left + 2 * g.em + 0.5
      ) {
        // A closing mark at the line end may be set half-width (标点挤压): its blank right half
        // then stands past the margin, its ink inside.
        const past = l.right - g.right;
        if (CLOSING.has([...l.text.trim()].at(-1)!) && past > 0.5)
          expect(past, `mark past the margin: ${l.text}`).toBeLessThanOrEqual(g.em / 2 + 0.5);
        else expect(Math.abs(past), `line not flush right: ${l.text}`).toBeLessThan(0.5);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('indents first lines of paragraphs by 2 em', () => {
    const paragraphs = r.text.split('\n').filter((s) => s.length > 60);
    expect(paragraphs.length).toBeGreaterThan(1);
    for (const p of paragraphs) {
      const first = pdf.lines.find((l) => strip(p).startsWith(strip(l.text)) && strip(l.text).length > 10);
      if (!first || /^[（\d]/.test(p)) continue; // items have their own marker indent
      expect(Math.abs(first.x - (g.left + 2 * g.em)), p.slice(0, 12)).toBeLessThan(0.5);
    }
  });

  it('numbers pages "第 X 页 共 Y 页" with Y = the page count', () => {
    const footers = pdf.lines.filter((l) => isFooter(l.text));
    if (pdf.pages === 1) return expect(footers).toHaveLength(0);
    expect(footers.map((f) => strip(f.text))).toEqual(
      Array.from({ length: pdf.pages }, (_, i) => `第${i + 1}页共${pdf.pages}页`),
    );
    expect(r.pages).toBe(pdf.pages);
  });

  it('embeds CID fonts (no Type 3) and records the metadata', () => {
    const types = fontSubtypes(r.pdf);
    expect(types).not.toContain('Type3');
    expect(pdf.info.Keywords).toContain(`template=${kind}@${version}`);
    expect(pdf.info.Keywords).toContain(`input-sha256=${r.inputSha256}`);
    expect(pdf.info.Producer).toMatch(/^hanjian \d/);
    expect(String(pdf.info.Title)).toContain(template.manifest.title);
    // The layout engine that set the letter, for audits of letters issued by an earlier engine.
    expect((pdf.info.Custom as Record<string, unknown>).HanjianLayoutEngine).toBe(`v${LAYOUT_ENGINE_VERSION}`);
    expect(pdf.info.Keywords).toContain(`layout-engine=${LAYOUT_ENGINE_VERSION}`);
    expect(r.engine).toBe(LAYOUT_ENGINE_VERSION);
  });

  it('has a cross-reference table whose every offset points at its object', () => {
    // The renderer collects pdfkit's output itself (pdf/render.ts): an offset off by one byte would be repaired silently by most readers.
    const bytes = r.pdf.toString('latin1');
    const xref = Number(/startxref\n(\d+)\n%%EOF\n?$/.exec(bytes)?.[1]);
    expect(bytes.startsWith('xref\n', xref)).toBe(true);
    const lines = bytes.slice(xref).split('\n');
    const count = Number(lines[1]!.split(' ')[1]);
    expect(count).toBeGreaterThan(10);
    for (let id = 1; id < count; id++) {
      const offset = Number(lines[2 + id]!.slice(0, 10));
      expect(bytes.startsWith(`${id} 0 obj\n`, offset), `object ${id} at ${offset}`).toBe(true);
    }
  });
});

describe('rendering', () => {
  it('is byte-identical for the same input; a different input changes the sha256', async () => {
    const a = await renderLetter(example('lawyer-letter'), { today: TODAY });
    const b = await renderLetter(example('lawyer-letter'), { today: TODAY });
    expect(a.pdf.equals(b.pdf)).toBe(true);
    expect(a.sha256).toBe(b.sha256);
    const c = await renderLetter(
      variant(example('lawyer-letter'), (x) => {
        x.debtor.name = '张四';
      }),
      { today: TODAY },
    );
    expect(c.sha256).not.toBe(a.sha256);
  });

  it.each(['䶮', '𠮷', '𫖯', '𬌗', '阿依古丽·买买提', '王𠮷䶮𫖯𬌗'])(
    'renders and extracts the name %s exactly',
    async (name) => {
      const r = await renderLetter(
        variant(example('lawyer-letter'), (x) => {
          x.debtor.name = name;
        }),
        { today: TODAY },
      );
      const pdf = await readPdf(r.pdf);
      expect(pdf.lines.some((l) => l.text.startsWith(`${name}先生：`))).toBe(true);
    },
  );

  it('fails with GLYPH_MISSING naming the character and the field', async () => {
    const input = variant(example('lawyer-letter'), (x) => {
      x.debtor.name = '张\u{30000}';
    });
    await expect(renderLetter(input, { today: TODAY })).rejects.toMatchObject({
      code: 'GLYPH_MISSING',
      path: 'debtor.name',
    });
    const e = await renderLetter(
      variant(example('lawyer-letter'), (x) => {
        x.relief.note = '请知悉😀';
      }),
      { today: TODAY },
    ).catch((err) => err);
    expect(e).toBeInstanceOf(HanjianError);
    expect(e.message).toContain('U+1F600');
    expect(e.path).toBe('relief.note');
  });

  it('marks previews as drafts with a placeholder number; the final letter has neither', async () => {
    const input = variant(example('lawyer-letter'), (x) => {
      delete x.letterNo;
    });
    const p = await previewLetter(input, { today: TODAY });
    const text = (await readPdf(p.pdf)).lines.map((l) => l.text).join('\n');
    expect(text).toContain('预览');
    expect(text).toContain('草稿');
    expect(p.letterNo).toMatch(/预览/);
    const f = await renderLetter(example('lawyer-letter'), { today: TODAY });
    const ftext = (await readPdf(f.pdf)).lines.map((l) => l.text).join('\n');
    expect(ftext).not.toContain('草稿');
    await expect(renderLetter(input, { today: TODAY })).rejects.toMatchObject({ code: 'LETTER_NO_REQUIRED' });
  });
});
