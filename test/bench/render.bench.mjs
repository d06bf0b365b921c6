// npm run bench — rendering speed, size and memory per template example, against a naive
// pdfkit baseline in the same run. Prints a table; asserts nothing (targets live in issues).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { listTemplates, renderText } from '../../dist/index.js';
import { templateDetails } from '../../dist/pipeline/index.js';
import { CHROMIUM, chromiumTimes, letterHtml } from './chromium.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = Number(process.env.BENCH_N ?? 200);
/** Renders before the timed ones: V8 optimises the hot functions over the first few dozen letters. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const NAIVE_N = Number(process.env.BENCH_NAIVE_N ?? 8);
const CHROMIUM_N = Number(process.env.BENCH_CHROMIUM_N ?? 12);
const MEMORY_N = Number(process.env.BENCH_MEMORY_N ?? 2000);
/** Issue 16 asks for peak RSS ≤ 300 MB *reliably*: the memory run is repeated and every run printed. */
const MEMORY_RUNS = Number(process.env.BENCH_MEMORY_RUNS ?? 3);
const MAX_KB = 150;
const RSS_MAX_MB = 300;
const overKb = (kb) => (kb > MAX_KB ? ` **over ${MAX_KB} KB**` : '');
const FONT = join(ROOT, 'fonts', 'NotoSerifCJKsc-Regular.otf');
const DEBIAN_TTC = '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc';

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => x.toFixed(1);

/** The naive way: font registered from its file in every document, pdfkit's own text flow. */
function naiveRender(text, fontSrc, family) {
  return new Promise((resolve) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: 105, left: 79, right: 74, bottom: 99 },
      info: { CreationDate: new Date(0) },
    });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.registerFont('body', fontSrc, family);
    doc.font('body').fontSize(12);
    for (const para of text.split('\n')) doc.text(para, { align: 'justify', indent: 24, lineGap: 9 });
    doc.end();
  });
}

async function time(fn, n) {
  const t = [];
  let last;
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    last = await fn();
    t.push(performance.now() - s);
  }
  return { t, last };
}

/**
 * Peak RSS of a child process, as code for its script. Not resourceUsage().maxRSS: on Linux a
 * child's ru_maxrss starts from its parent's peak at fork (the kernel keeps the forked copy's
 * high-water mark across exec), so every child reported at least this benchmark's own RSS.
 * VmHWM is the high-water mark of the child's own address space.
 */
const PEAK_RSS_MB = `(() => { try { const m = /VmHWM:\\s+(\\d+) kB/.exec((process.getBuiltinModule?.('node:fs') ?? { readFileSync: () => '' }).readFileSync('/proc/self/status', 'utf8')); if (m) return Number(m[1]) / 1024; } catch {} return process.resourceUsage().maxRSS / 1024; })()`;

/**
 * Our renderer runs in a fresh child process per template, so "cold" is the real time from
 * process start to the first finished PDF and peak RSS is ours alone (not the naive runs').
 */
function runOurs(kind, version, n) {
  const script = `
    const { renderLetter, specimenSeals } = await import(${JSON.stringify(join(ROOT, 'dist', 'index.js'))});
    const { readFileSync } = await import('node:fs');
    const input = JSON.parse(readFileSync(${JSON.stringify(join(ROOT, 'templates', kind, String(version), 'example.json'))}, 'utf8'));
    const first = await renderLetter(input, { seals: specimenSeals });
    const cold = performance.now();
    for (let i = 0; i < ${WARMUP}; i++) await renderLetter(input, { seals: specimenSeals });
    const t = [];
    const cpu = [];
    let last = first;
    for (let i = 0; i < ${n}; i++) {
      const s = performance.now();
      const c = process.cpuUsage();
      last = await renderLetter(input, { seals: specimenSeals });
      t.push(performance.now() - s);
      const d = process.cpuUsage(c);
      cpu.push((d.user + d.system) / 1000);
    }
    const again = await renderLetter(input, { seals: specimenSeals });
    process.stdout.write(JSON.stringify({ cold, t, cpu, pages: last.pages, bytes: last.pdf.length, text: last.text, rss: ${PEAK_RSS_MB}, identical: again.pdf.equals(last.pdf) }));`;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { maxBuffer: 1 << 26 }).toString(),
  );
}

function runMemory(n, flags = []) {
  const script = `
    const { renderLetter, specimenSeals } = await import(${JSON.stringify(join(ROOT, 'dist', 'index.js'))});
    const { generateCorpus } = await import(${JSON.stringify(join(ROOT, 'test', 'bench', 'corpus.mjs'))});
    const { getFonts } = await import(${JSON.stringify(join(ROOT, 'dist', 'pipeline', 'layout', 'fonts.js'))});
    const letters = generateCorpus(${n}, 2000);
    let rss100 = 0;
    const t0 = performance.now();
    const maxKb = {};
    for (let i = 0; i < letters.length; i++) {
      const r = await renderLetter(letters[i], { seals: specimenSeals, today: '2026-11-28' });
      maxKb[letters[i].kind] = Math.max(maxKb[letters[i].kind] ?? 0, r.pdf.length / 1024);
      if (i === 99) rss100 = process.memoryUsage().rss / 1048576;
    }
    process.stdout.write(JSON.stringify({ n: letters.length, rss100, peak: ${PEAK_RSS_MB}, end: process.memoryUsage().rss / 1048576, fontMb: Object.values(getFonts()).reduce((n, f) => n + f.file.residentBytes(), 0) / 1048576, msPerLetter: (performance.now() - t0) / letters.length, maxKb }));`;
  return JSON.parse(
    execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { maxBuffer: 1 << 26 }).toString(),
  );
}

const rows = [];
for (const t of listTemplates()) {
  const input = JSON.parse(readFileSync(join(ROOT, 'templates', t.kind, String(t.version), 'example.json'), 'utf8'));
  const ours = runOurs(t.kind, t.version, N);
  const text = renderText(input);
  const naive = await time(() => naiveRender(text, FONT), NAIVE_N);
  let naiveTtc = null;
  if (existsSync(DEBIAN_TTC))
    naiveTtc = await time(() => naiveRender(text, DEBIAN_TTC, 'NotoSerifCJKsc-Regular'), Math.max(3, NAIVE_N / 2));
  rows.push({
    template: t.id,
    pages: ours.pages,
    chars: [...ours.text.replace(/\s/g, '')].length,
    p50: pct(ours.t, 50),
    p95: pct(ours.t, 95),
    cpuP50: pct(ours.cpu, 50),
    identical: ours.identical,
    html: letterHtml(text, templateDetails(t.kind, t.version).manifest.style, join(ROOT, 'fonts')),
    cold: ours.cold,
    kb: ours.bytes / 1024,
    rss: ours.rss,
    naiveP50: pct(naive.t, 50),
    naiveKb: naive.last.length / 1024,
    naiveTtcP50: naiveTtc ? pct(naiveTtc.t, 50) : null,
  });
}
const chromium = await chromiumTimes(
  rows.map((r) => ({ id: r.template, html: r.html })),
  CHROMIUM_N,
);

console.log(
  `\nhanjian render benchmark — node ${process.version}, ${N} warm renders per template with the specimen seal, after ${WARMUP} untimed (naive: ${NAIVE_N}, no seal; Chromium: ${chromium ? `${CHROMIUM_N} warm prints, ${CHROMIUM}` : 'skipped'})\n`,
);
console.log(
  '| template | pages | chars | p50 ms | p95 ms | CPU p50 ms | cold ms | PDF KB | byte-identical | peak RSS MB | naive p50 ms (otf) | naive p50 ms (Debian .ttc) | naive KB | speed-up vs naive otf | vs naive ttc | Chromium p50 ms | Chromium KB | × Chromium |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const c = chromium?.[r.template];
  const cp50 = c ? pct(c.t, 50) : null;
  console.log(
    `| ${r.template} | ${r.pages} | ${r.chars} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.cpuP50)} | ${ms(r.cold)} | ${r.kb.toFixed(0)}${overKb(r.kb)} | ${r.identical ? 'yes' : 'NO'} | ${r.rss.toFixed(0)} | ${ms(r.naiveP50)} | ${r.naiveTtcP50 ? ms(r.naiveTtcP50) : 'n/a'} | ${r.naiveKb.toFixed(0)} | ${(r.naiveP50 / r.p50).toFixed(1)}× | ${r.naiveTtcP50 ? `${(r.naiveTtcP50 / r.p50).toFixed(1)}×` : 'n/a'} | ${cp50 ? ms(cp50) : 'n/a'} | ${c ? (c.bytes / 1024).toFixed(0) : 'n/a'} | ${cp50 ? `${(cp50 / r.p50).toFixed(1)}×` : 'n/a'} |`,
  );
}
if (!chromium)
  console.log(
    `\nChromium baseline skipped: ${CHROMIUM} not found (Debian: apt-get install chromium; or set HANJIAN_BENCH_CHROMIUM).`,
  );
console.log(
  `\nTargets (issue 16): p50 ≤ 5 ms for the lawyer's letter, ≥ 25× Chromium (same font, same text, justified) in this run, ≤ 150 KB, byte-identical output.`,
);

const over = rows.filter((r) => r.kb > MAX_KB).map((r) => `${r.template} ${r.kb.toFixed(0)} KB`);
console.log(over.length ? `\nOVER ${MAX_KB} KB: ${over.join(', ')}` : `\nEvery template example ≤ ${MAX_KB} KB.`);

// Peak RSS of one render process over many different letters (issue 16: ≤ 300 MB over 2,000).
console.log(
  `\nmemory: ${MEMORY_N} generated letters (reminder / demand / lawyer's letter in turn, varied names, amounts, addresses) rendered in one process: ${MEMORY_RUNS} runs with Node's defaults, ${MEMORY_RUNS} with the heap limits the README advises\n`,
);
console.log(
  '| run | node flags | letters | RSS after letter 100 MB | peak RSS MB | RSS at end MB | font files resident MB (of 60) | ms per letter (wall) | largest PDF KB (reminder / demand / lawyer) |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
// Node's defaults, then the heap limits the README advises for a process that renders in its main
// thread (the render pools give each worker thread such limits): the difference is how far V8 lets
// garbage grow before it collects (old generation) and how large it lets the young generation grow
// (Node 24 grows it far more than 20 and 22), not what a letter keeps.
const peaks = { defaults: [], ceiling: [] };
for (const [label, flags] of [
  ['defaults', []],
  ['ceiling', ['--max-old-space-size=128', '--max-semi-space-size=8']],
]) {
  for (let run = 1; run <= MEMORY_RUNS; run++) {
    const mem = runMemory(MEMORY_N, flags);
    peaks[label].push(mem.peak);
    const kb = ['reminder', 'demand', 'lawyer-letter']
      .map((k) => `${(mem.maxKb[k] ?? 0).toFixed(0)}${overKb(mem.maxKb[k] ?? 0)}`)
      .join(' / ');
    console.log(
      `| ${run} | ${flags.join(' ') || '(none)'} | ${mem.n} | ${mem.rss100.toFixed(0)} | ${mem.peak.toFixed(0)}${mem.peak > RSS_MAX_MB ? ' **over**' : ''} | ${mem.end.toFixed(0)} | ${mem.fontMb.toFixed(1)} | ${ms(mem.msPerLetter)} | ${kb} |`,
    );
  }
}
console.log(
  `\nTarget (issue 16): peak RSS ≤ ${RSS_MAX_MB} MB over 2,000 letters, every run (worst here: ${Math.max(...peaks.defaults).toFixed(0)} MB with Node's defaults, ${Math.max(...peaks.ceiling).toFixed(0)} MB with the limits); every kind's largest letter ≤ ${MAX_KB} KB.`,
);

// Batch figure (issue 4).
const { batchBench } = await import('./batch.bench.mjs');
const b = batchBench();
const w = b.summary.afterWarmup ?? {};
console.log(`\nbatch: ${b.n} letters (reminder / demand / lawyer's letter in turn), --workers 2\n`);
console.log(
  '| letters | PDFs | wall s | letters/s overall | letters/s after letter 100 | RSS at letter 100 MB | RSS at end MB | growth MB | peak RSS MB (process, both workers) | naive (process per letter) letters/s |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
console.log(
  `| ${b.n} | ${b.pdfs} | ${b.wall.toFixed(1)} | ${b.summary.lettersPerSecond} | ${w.lettersPerSecond ?? 'n/a'} | ${w.rssAtLetter100Mb ?? 'n/a'} | ${w.rssAtEndMb ?? 'n/a'} | ${w.rssAtEndMb !== undefined ? (w.rssAtEndMb - w.rssAtLetter100Mb).toFixed(1) : 'n/a'} | ${b.peakMb ? b.peakMb.toFixed(0) + (b.peakMb > RSS_MAX_MB ? ' **over**' : '') : 'n/a (no /usr/bin/time)'} | ${b.naiveRate.toFixed(2)} |`,
);
console.log(
  `\nTargets (issue 4): ≥ 50 letters/s after warm-up; RSS growth from letter 100 to 1,000 < 50 MB. Issue 16: the pool's peak RSS ≤ ${RSS_MAX_MB} MB.`,
);
