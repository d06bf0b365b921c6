import { describe, expect, it } from 'vitest';
import { composeLetter } from '../../../src/pipeline/compose.js';
import { breakTotalFit } from '../../../src/pipeline/layout/breakers.js';
import { layoutDocument } from '../../../src/pipeline/layout/document.js';
import { getFonts } from '../../../src/pipeline/layout/fonts.js';
import { cachedBreak, cachedParagraphs, PARAGRAPH_CACHE_MAX } from '../../../src/pipeline/layout/paragraph-cache.js';
import type { BrokenParagraph } from '../../../src/pipeline/layout/totalfit.js';
import { example, TODAY, variant } from '../../helpers.js';

const texts = (doc: ReturnType<typeof layoutDocument>) =>
  doc.pages.map((p) =>
    p.items.map((i) =>
      i.type === 'text'
        ? `${i.x.toFixed(3)},${i.y.toFixed(3)}:${i.text}:${i.gaps.map((g) => g.toFixed(4)).join(',')}`
        : i.type,
    ),
  );

describe('paragraphs remembered across documents', () => {
  it('lays out a letter exactly as without the cache, before and after other letters', () => {
    const fonts = getFonts();
    const c = composeLetter(example('lawyer-letter'), { today: TODAY });
    const style = c.template.manifest.style;
    // A breaker of its own identity: nothing cached yet for it.
    const fresh: typeof breakTotalFit = (...a) => breakTotalFit(...a);
    const first = layoutDocument(c.document, style, fonts, { breaker: fresh });
    const other = composeLetter(
      variant(example('lawyer-letter'), (x) => {
        x.debtor.name = '欧阳某某';
      }),
      { today: TODAY },
    );
    layoutDocument(other.document, style, fonts, { breaker: fresh });
    const again = layoutDocument(c.document, style, fonts, { breaker: fresh });
    expect(texts(again)).toEqual(texts(first));
    expect(texts(first)).toEqual(
      texts(layoutDocument(c.document, style, fonts, { breaker: (...a) => breakTotalFit(...a) })),
    );
    expect(again.warnings).toEqual(first.warnings);
  });

  it('keeps a paragraph from its second sighting on, and at most PARAGRAPH_CACHE_MAX of them', () => {
    const font = getFonts().regular;
    const breaker = {};
    let computed = 0;
    const compute = (): BrokenParagraph => {
      computed++;
      return { lines: [], looseLines: [], orphan: false };
    };
    cachedBreak(font, breaker, 'a', compute);
    expect(cachedParagraphs(font, breaker), 'seen once: not kept').toBe(0);
    cachedBreak(font, breaker, 'a', compute);
    cachedBreak(font, breaker, 'a', compute);
    expect(computed, 'kept from the second time on').toBe(2);
    expect(cachedParagraphs(font, breaker)).toBe(1);
    for (let i = 0; i < PARAGRAPH_CACHE_MAX + 10; i++) cachedBreak(font, breaker, `p${i}`, compute);
    expect(cachedParagraphs(font, breaker), 'paragraphs seen once are not kept').toBe(1);
    for (let i = 0; i < PARAGRAPH_CACHE_MAX + 10; i++) cachedBreak(font, breaker, `p${i}`, compute);
    expect(cachedParagraphs(font, breaker)).toBe(PARAGRAPH_CACHE_MAX);
    const before = computed;
    cachedBreak(font, breaker, 'a', compute); // evicted long ago: computed again
    expect(computed).toBe(before + 1);
  });
});
