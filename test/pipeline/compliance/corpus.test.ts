/**
 * The guard against the team's corpus (test/compliance/corpus/): abusive sentences across
 * every category and harmless ones that share their vocabulary. Prints recall and the
 * false-positive rate; issue 14 requires recall ≥ 98 % and false positives ≤ 2 %.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConduct } from '../../../src/pipeline/compliance/conduct.js';
import { getConductRules } from '../../../src/pipeline/compliance/conduct-rules.js';
import { ROOT } from '../../helpers.js';

const dir = join(ROOT, 'test', 'pipeline', 'compliance', 'corpus');
const lines = (file: string) =>
  readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
const abusive = lines('abusive.tsv').map((l) => {
  const [category, sentence] = l.split('\t');
  return { category: category!, sentence: sentence! };
});
const harmless = lines('harmless.txt');
const rules = getConductRules();
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)} %`;

describe('compliance corpus', () => {
  it('is big enough and covers every category', () => {
    expect(abusive.length).toBeGreaterThanOrEqual(150);
    expect(harmless.length).toBeGreaterThanOrEqual(60);
    expect(new Set(abusive.map((a) => a.category))).toEqual(new Set(rules.categories.map((c) => c.id)));
  });

  it('recall ≥ 98 %, false positives ≤ 2 %', () => {
    const missed = abusive.filter((a) => findConduct(a.sentence, rules).length === 0);
    const wrongCategory = abusive.filter((a) => {
      const hits = findConduct(a.sentence, rules);
      return hits.length > 0 && !hits.some((h) => h.category === a.category);
    });
    const falsePositives = harmless.map((s) => ({ s, hits: findConduct(s, rules) })).filter((x) => x.hits.length > 0);
    const recall = (abusive.length - missed.length) / abusive.length;
    const fpRate = falsePositives.length / harmless.length;
    const rows = [...new Set(abusive.map((a) => a.category))].map((c) => {
      const all = abusive.filter((a) => a.category === c);
      const caught = all.filter((a) => !missed.includes(a));
      return `  ${c.padEnd(18)} ${String(caught.length).padStart(3)}/${String(all.length).padEnd(3)} ${pct(caught.length, all.length)}`;
    });
    console.log(
      [
        `compliance corpus (rules v${rules.version}): ${abusive.length} abusive, ${harmless.length} harmless`,
        `recall ${pct(abusive.length - missed.length, abusive.length)} (${missed.length} missed); false positives ${pct(falsePositives.length, harmless.length)} (${falsePositives.length}); caught under another category: ${wrongCategory.length}`,
        ...rows,
        ...missed.map((m) => `  MISSED [${m.category}] ${m.sentence}`),
        ...falsePositives.map(
          (f) => `  FALSE POSITIVE ${f.s} ← ${f.hits.map((h) => `${h.category}:“${h.match}”`).join(', ')}`,
        ),
        ...wrongCategory.map(
          (w) =>
            `  OTHER CATEGORY [${w.category}] ${w.sentence} ← ${findConduct(w.sentence, rules)
              .map((h) => h.category)
              .join(', ')}`,
        ),
      ].join('\n'),
    );
    expect(recall).toBeGreaterThanOrEqual(0.98);
    expect(fpRate).toBeLessThanOrEqual(0.02);
  });
});
