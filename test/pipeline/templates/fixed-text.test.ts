import { describe, expect, it } from 'vitest';
import { composeLetter } from '../../../src/pipeline/compose.js';
import { blockTexts } from '../../../src/pipeline/layout/glyphs.js';
import { getCatalog } from '../../../src/pipeline/templates/catalog.js';
import { fixedTextOf, unconditionalText } from '../../../src/pipeline/templates/fixed-text.js';
import { example } from '../../helpers.js';

describe('unconditionalText', () => {
  it('keeps only text outside block helpers, without expressions or comments', () => {
    expect(
      unconditionalText(
        '甲{{#if x}}乙{{else}}丙{{/if}}丁{{!-- 戊 --}}{{! 己 }}{{name}}庚{{#each xs}}{{#if a}}辛{{/if}}壬{{/each}}癸',
      ),
    ).toBe('甲丁庚癸');
  });

  it('treats whitespace-control blocks like others', () => {
    expect(unconditionalText('甲{{~#if x~}}乙{{~/if~}}丙')).toBe('甲丙');
  });
});

describe.each(['reminder', 'demand', 'lawyer-letter'] as const)('fixed text of %s', (kind) => {
  it.each([1, 2])('version %i: every fixed character is drawn, in its face, by the example letter', (version) => {
    const template = getCatalog().versions.find((v) => v.id === `${kind}@${version}`)!;
    const input = example(kind, version);
    const c = composeLetter(input, { preview: true, today: input.issueDate });
    const drawn = { regular: new Set<string>(), bold: new Set<string>() };
    for (const t of c.document.blocks.flatMap(blockTexts))
      for (const ch of t.text) drawn[t.bold ? 'bold' : 'regular'].add(ch);
    const fixed = fixedTextOf(template);
    // A fixed glyph a letter does not draw would be dead weight in every PDF of the version.
    expect([...fixed.regular].filter((ch) => !drawn.regular.has(ch))).toEqual([]);
    expect([...fixed.bold].filter((ch) => !drawn.bold.has(ch))).toEqual([]);
    expect([...fixed.regular].length).toBeGreaterThan(100);
    expect([...fixed.bold].length).toBeGreaterThan(2);
  });
});
