/** Style as data: the letterhead colour and the seal's size and position come from the manifest, validated with zod. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFirmCatalog } from '../../src/catalogs/load.js';
import { composeLetter } from '../../src/pipeline/compose.js';
import { layoutDocument } from '../../src/pipeline/layout/document.js';
import { getFonts } from '../../src/pipeline/layout/fonts.js';
import { MM } from '../../src/pipeline/layout/geometry.js';
import { pageStyleSchema } from '../../src/pipeline/templates/manifest.js';
import { makeFirmCatalog } from '../fixtures/firm-catalog.js';
import { example, TODAY } from '../helpers.js';

describe('page style', () => {
  const c = composeLetter(example('lawyer-letter'), { today: TODAY });
  const itemsOf = (style: object) =>
    layoutDocument(c.document, pageStyleSchema.parse(style), getFonts()).pages.flatMap((p) => p.items);

  it('the letterhead colour and the seal follow the manifest; the defaults draw what they always drew', () => {
    const plain = itemsOf({});
    const styled = itemsOf({ letterheadColor: '#1F3A93', seal: { diameterMm: 42, offsetMm: { x: 3, y: 4 } } });
    expect(
      plain
        .filter((i) => i.type === 'rule')
        .map((i) => i.type === 'rule' && i.color)
        .slice(0, 2),
    ).toEqual(['#B5121B', '#B5121B']);
    expect(
      styled
        .filter((i) => i.type === 'rule')
        .map((i) => i.type === 'rule' && i.color)
        .slice(0, 2),
    ).toEqual(['#1F3A93', '#1F3A93']);
    const seal = (items: typeof plain) =>
      items.find((i) => i.type === 'seal') as { cx: number; cy: number; diameter: number };
    expect(seal(plain).diameter).toBeCloseTo(40 * MM);
    expect(seal(styled).diameter).toBeCloseTo(42 * MM);
    expect(seal(styled).cx - seal(plain).cx).toBeCloseTo(3 * MM);
    expect(seal(styled).cy - seal(plain).cy).toBeCloseTo(4 * MM);
  });

  it("a firm's manifest with a wrong style value does not load, naming the field and its line", async () => {
    const root = makeFirmCatalog({ broken: false });
    const file = join(root, 'lawyer-letter', '3', 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify(
        { ...manifest, style: { ...manifest.style, letterheadColor: 'blue', seal: { diameterMm: 90 } } },
        null,
        2,
      ),
    );
    const loaded = await loadFirmCatalog(root, 'x');
    expect(loaded.versions).toEqual([]);
    const problems = loaded.problems.map((p) => `${p.line} ${p.problem}`);
    expect(problems.find((p) => p.includes('style.letterheadColor'))).toMatch(/^\d+ .*#RRGGBB/);
    expect(problems.some((p) => p.includes('style.seal.diameterMm'))).toBe(true);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[loaded.problems.find((p) => p.problem.includes('letterheadColor'))!.line! - 1]).toContain(
      '"letterheadColor"',
    );
  });
});
