// npm run bench:typeset — line quality of the greedy breaker (layout engine v1) against
// total-fit breaking (engine v2) on the same 1,000 generated letters: expansion per gap of
// every justified line (max, p99, lines above 0.25 em) and paragraphs ending in 孤字.
// Prints tables; asserts nothing.
import { composeLetter } from '../../dist/pipeline/compose.js';
import { breakGreedy, breakTotalFit } from '../../dist/pipeline/layout/breakers.js';
import { layoutDocument } from '../../dist/pipeline/layout/document.js';
import { getFonts } from '../../dist/pipeline/layout/fonts.js';
import { MAX_EXPANSION_EM } from '../../dist/pipeline/layout/totalfit.js';
import { generateCorpus } from './corpus.mjs';

const N = Number(process.env.BENCH_TYPESET_N ?? 1000);
const TODAY = '2026-11-28';
const fonts = getFonts();

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function measure(docs, breaker) {
  const expansions = [];
  let paragraphs = 0;
  let orphans = 0;
  let pages = 0;
  let warnings = 0;
  const t0 = performance.now();
  for (const { document, style } of docs) {
    const laid = layoutDocument(document, style, fonts, {
      breaker,
      onParagraph: (p) => {
        paragraphs++;
        if (p.orphan) orphans++;
        for (const l of p.lines) {
          if (l.last || l.gaps.length === 0) continue;
          // The space every gap got (engine 6 gives script changes and marks more first): the smallest.
          expansions.push(Math.max(0, Math.min(...l.gaps)) / p.em);
        }
      },
    });
    pages += laid.pages.length;
    warnings += laid.warnings.length;
  }
  const ms = (performance.now() - t0) / docs.length;
  const sorted = expansions.sort((a, b) => a - b);
  return {
    paragraphs,
    lines: sorted.length,
    orphans,
    pages,
    warnings,
    ms,
    max: sorted.at(-1) ?? 0,
    p99: pct(sorted, 99),
    p95: pct(sorted, 95),
    p50: pct(sorted, 50),
    loose: sorted.filter((e) => e > MAX_EXPANSION_EM + 1e-6).length,
  };
}

const corpus = generateCorpus(N);
const docs = [];
const rejected = [];
const lawyers = [0, 0, 0];
for (const input of corpus) {
  try {
    const c = composeLetter(input, { today: TODAY, preview: true });
    docs.push({ document: c.document, style: c.template.manifest.style, kind: input.kind });
    if (input.lawyers) lawyers[input.lawyers.length]++;
  } catch (e) {
    rejected.push(`${input.kind}: ${e.code ?? ''} ${e.en ?? e.message}`);
  }
}

const kinds = ['all', 'reminder', 'demand', 'lawyer-letter'];
const results = [];
for (const kind of kinds) {
  const subset = kind === 'all' ? docs : docs.filter((d) => d.kind === kind);
  results.push({ kind, n: subset.length, before: measure(subset, breakGreedy), after: measure(subset, breakTotalFit) });
}

console.log(
  `\nhanjian typesetting benchmark — node ${process.version}, ${docs.length} generated letters (${N} generated, ${rejected.length} rejected by validation), lawyer's letters with 1 lawyer: ${lawyers[1]}, with 2: ${lawyers[2]} (the input schema allows 1–2)\n`,
);
console.log('Before: greedy breaking, slack spread per line (layout engine v1)\n');
const header =
  '| letters | kind | paragraphs | justified lines | expansion per gap max (em) | p99 (em) | p95 (em) | p50 (em) | lines > 0.25 em | 孤字 | pages | layout ms/letter |';
const rule = '|---|---|---|---|---|---|---|---|---|---|---|---|';
const row = (r, m) =>
  `| ${r.n} | ${r.kind} | ${m.paragraphs} | ${m.lines} | ${m.max.toFixed(3)} | ${m.p99.toFixed(3)} | ${m.p95.toFixed(3)} | ${m.p50.toFixed(3)} | ${m.loose} | ${m.orphans} | ${m.pages} | ${m.ms.toFixed(2)} |`;
console.log(header);
console.log(rule);
for (const r of results) console.log(row(r, r.before));
console.log('\nAfter: total-fit breaking with punctuation compression and no 孤字 (layout engine v2)\n');
console.log(`${header} LAYOUT_LOOSE_LINE warnings |`);
console.log(`${rule}---|`);
for (const r of results) console.log(`${row(r, r.after)} ${r.after.warnings} |`);
if (rejected.length) console.log(`\nrejected inputs (first 5):\n${rejected.slice(0, 5).join('\n')}`);
console.log(
  `\nTargets (issue 16): no line above ${MAX_EXPANSION_EM} em per gap unless no legal break exists (then a warning), no 孤字.`,
);
