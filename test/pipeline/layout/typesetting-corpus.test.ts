/**
 * Issue 31's typesetting goals, judged on varied letters the engine was not tuned on (a held-out
 * seed of test/bench/typeset-letters.mjs: all three kinds, every template version, random
 * names, amounts, dates and lawyers), from the PDFs read back with pdfjs-dist
 * (test/bench/typeset-measure.mjs, the same measure bench:typst applies to Typst's PDFs).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { previewLetter } from '../../../src/pipeline/index.js';
import { geometryOf } from '../../../src/pipeline/layout/geometry.js';
import { getCatalog } from '../../../src/pipeline/templates/catalog.js';
import { generateVariedLetters, HELD_OUT_SEED } from '../../bench/typeset-letters.mjs';
import { type LetterFigures, measureLetter, readLetterPdf, summarize } from '../../bench/typeset-measure.mjs';

const N = Number(process.env.TYPESET_CORPUS_N ?? 36);
const SEED = Number(process.env.TYPESET_CORPUS_SEED ?? HELD_OUT_SEED);

describe(`typesetting over ${N} varied letters (seed ${SEED})`, () => {
  const results: (LetterFigures & { id: string })[] = [];

  beforeAll(async () => {
    const catalog = getCatalog();
    for (const input of generateVariedLetters(N, SEED)) {
      const r = await previewLetter(input, { today: input.issueDate });
      const style = catalog.versions.find((v) => v.id === r.template.id)!.manifest.style;
      const g = geometryOf(style);
      const figures = measureLetter(await readLetterPdf(r.pdf), {
        left: g.left,
        textWidth: g.textWidth,
        bottom: g.bottom,
        pitch: g.pitch,
      });
      results.push({ ...figures, id: `${r.template.id} ${input.debtor.name}` });
    }
    if (process.env.TYPESET_CORPUS_REPORT) {
      console.log(JSON.stringify(summarize(results), null, 1));
      for (const r of results)
        if (r.splits.length || r.stretched.length || r.earlyPageEnds || r.signOffOnly.length || r.dateBreaks.length)
          console.log(
            r.id,
            r.pages,
            JSON.stringify({
              s: r.splits,
              d: r.dateBreaks,
              st: r.stretched,
              e: r.emptyAtEnd.map((x) => +x.toFixed(1)),
              so: r.signOffOnly,
            }),
          );
    }
  }, 600_000);

  it('never parts a number from its unit or its 第 across lines', () => {
    expect(results.flatMap((r) => r.splits.map((s) => `${r.id}: ${s}`))).toEqual([]);
  });

  it('keeps ideographs close: at most 0.5 lines a letter stretched past 0.10 em, none past 0.25 em', () => {
    const s = summarize(results);
    expect(s.loose).toBe(0);
    expect(s.stretchedPerLetter).toBeLessThanOrEqual(0.5);
  });

  it('ends no page more than two lines early and leaves no page with only the sign-off', () => {
    expect(
      results.filter((r) => r.earlyPageEnds > 0).map((r) => `${r.id}: ${r.emptyAtEnd.map((e) => e.toFixed(1))}`),
    ).toEqual([]);
    expect(results.filter((r) => r.signOffOnly.length > 0).map((r) => r.id)).toEqual([]);
  });
});
