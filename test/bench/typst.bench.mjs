// npm run bench:typst — hanjian against Typst (the best open typesetter for CJK today) on the
// same varied letters (typeset-letters.mjs, the corpus test's held-out seed), in one run:
// - typesetting, from both sides' PDFs read back with the same measure (typeset-measure.mjs):
//   number/unit splits, date breaks, lines stretched between ideographs, early page ends,
//   sign-off-only pages;
// - warm time per letter (the document model is made once; each side then sets and writes it);
// - cold start: whole processes, `node -e 0`, `hanjian preview` of one letter, and a Typst
//   compile of the same letter, median and range of BENCH_TYPST_COLD runs each.
// Typst gets the same page, margins, fonts (the package's Noto Serif CJK SC), sizes, line
// pitch and 2 em first-line indent, justified; it is a dev dependency, never loaded at run time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { composeLetter } from '../../dist/pipeline/compose.js';
import { previewLetter } from '../../dist/pipeline/index.js';
import { geometryOf } from '../../dist/pipeline/layout/geometry.js';
import { generateVariedLetters } from './typeset-letters.mjs';
import { measureLetter, readLetterPdf, summarize } from './typeset-measure.mjs';
import { typstSource } from './typst-source.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = Number(process.env.BENCH_TYPST_N ?? 36);
const COLD = Number(process.env.BENCH_TYPST_COLD ?? 7);
const letters = generateVariedLetters(N);
const typst = NodeCompiler.create({ fontArgs: [{ fontPaths: [join(ROOT, 'fonts')] }] });
const typstVersion = (await readLetterPdf(typst.pdf({ mainFileContent: '#sys.version' }))).lines[0]?.text ?? '?';

const geometryFor = (style) => {
  const g = geometryOf(style);
  return { left: g.left, textWidth: g.textWidth, bottom: g.bottom, pitch: g.pitch };
};

const sides = { hanjian: { figures: [], ms: 0 }, typst: { figures: [], ms: 0 } };
for (const input of letters) {
  const c = composeLetter(input, { today: input.issueDate, preview: true });
  const style = c.template.manifest.style;
  let t = performance.now();
  const r = await previewLetter(input, { today: input.issueDate });
  sides.hanjian.ms += performance.now() - t;
  sides.hanjian.figures.push(measureLetter(await readLetterPdf(r.pdf), geometryFor(style)));
  t = performance.now();
  const pdf = typst.pdf({ mainFileContent: typstSource(c.document, style) });
  sides.typst.ms += performance.now() - t;
  sides.typst.figures.push(measureLetter(await readLetterPdf(pdf), geometryFor(style)));
}

/** Whole processes, one after another in turn, so both sides meet the same machine load. */
function coldRuns() {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-typst-bench-'));
  const input = join(dir, 'letter.json');
  writeFileSync(input, JSON.stringify(letters[2]));
  const c = composeLetter(letters[2], { today: letters[2].issueDate, preview: true });
  const typ = join(dir, 'letter.typ');
  writeFileSync(typ, typstSource(c.document, c.template.manifest.style));
  const typstCold = join(dir, 'typst-cold.mjs');
  writeFileSync(
    typstCold,
    `import { NodeCompiler } from ${JSON.stringify(join(ROOT, 'node_modules/@myriaddreamin/typst-ts-node-compiler/index.js'))};
import { readFileSync, writeFileSync } from 'node:fs';
const c = NodeCompiler.create({ fontArgs: [{ fontPaths: [${JSON.stringify(join(ROOT, 'fonts'))}] }] });
writeFileSync(${JSON.stringify(join(dir, 'typst.pdf'))}, c.pdf({ mainFileContent: readFileSync(${JSON.stringify(typ)}, 'utf8') }));`,
  );
  const commands = {
    'node -e 0': [process.execPath, ['-e', '0']],
    'hanjian preview': [
      process.execPath,
      [join(ROOT, 'dist/cli/main.js'), 'preview', input, '-o', join(dir, 'out.pdf'), '--today', letters[2].issueDate],
    ],
    'typst (typst-ts-node-compiler)': [process.execPath, [typstCold]],
  };
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < COLD; i++)
    for (const [name, [cmd, args]] of Object.entries(commands)) {
      const t = performance.now();
      execFileSync(cmd, args, { stdio: 'ignore' });
      times[name].push(performance.now() - t);
    }
  return times;
}

const cold = coldRuns();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (f) => f.toFixed(2);

console.log(`\nhanjian vs Typst ${typstVersion} — node ${process.version}, ${N} varied letters (held-out seed)\n`);
console.log(
  '| side | pages | lines | number/unit splits | date breaks | lines > 0.10 em (per letter) | lines > 0.25 em | max (em) | pages ending > 2 lines early (before a table) | sign-off-only pages | warm ms/letter |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const [name, side] of Object.entries(sides)) {
  const m = summarize(side.figures);
  console.log(
    `| ${name} | ${m.pages} | ${m.lines} | ${m.splits} | ${m.dateBreaks} | ${m.stretched} (${s(m.stretchedPerLetter)}) | ${m.loose} | ${s(m.maxStretch)} | ${m.earlyPageEnds} (${m.earlyBeforeTables}) | ${m.signOffOnlyPages} | ${(side.ms / N).toFixed(1)} |`,
  );
}
const base = median(cold['node -e 0']);
console.log(`\nCold start, whole processes, ${COLD} runs each in turn (median, min–max, × node -e 0):\n`);
console.log('| process | median ms | range ms | × node -e 0 |');
console.log('|---|---|---|---|');
for (const [name, xs] of Object.entries(cold))
  console.log(
    `| ${name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} | ${(median(xs) / base).toFixed(1)} |`,
  );
