// npm run bench:plans — what the plan's own cost adds: computing an option's schedule with
// interest (facts/plan-cost.ts, BigInt) against the same schedule without (the baseline, in the
// same run), and composing the demand with its attachment: demand@4 (costed, guard with the plan
// check) against demand@3 (no cost). Prints a table; asserts nothing.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderText } from '../../dist/index.js';
import { getCalendar } from '../../dist/pipeline/facts/calendar.js';
import { planOptions } from '../../dist/pipeline/facts/plan-schedule.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = Number(process.env.BENCH_N ?? 2000);
const cal = getCalendar();

function per(fn, n) {
  for (let i = 0; i < Math.min(200, n); i++) fn(i);
  const s = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((performance.now() - s) * 1000) / n; // µs
}

const terms = { terms: [3, 6, 12, 36], firstDueDays: 15, minInstalment: 0, graceDays: 10 };
const base = { bearing: 850000, from: '2026-12-15' };
// Alternated and the best of three each: the machine is shared, and the first run pays for warming up.
const best = (a, b) => {
  const x = [],
    y = [];
  for (let r = 0; r < 3; r++) {
    x.push(a());
    y.push(b());
  }
  return [Math.min(...x), Math.min(...y)];
};
const [stops, costed] = best(
  () => per((i) => planOptions(cal, 873400 + i, { ...terms, interest: 'stops' }, '2026-12-15', base), N),
  () =>
    per(
      (i) => planOptions(cal, 873400 + i, { ...terms, interest: 'continues', annualRateBp: 1000 }, '2026-12-15', base),
      N,
    ),
);

const example = (kind, v) => JSON.parse(readFileSync(join(ROOT, 'templates', kind, String(v), 'example.json'), 'utf8'));
const d3 = { ...example('demand', 3), template: 'demand@3' };
const d4 = example('demand', 4);
const M = Math.max(20, Math.floor(N / 20));
const [compose3, compose4] = best(
  () => per(() => renderText(d3, { today: d3.issueDate, preview: true }), M),
  () => per(() => renderText(d4, { today: d4.issueDate, preview: true }), M),
);

console.log(
  `plan options 3/6/12/36 instalments (${N} runs)   interest stops: ${stops.toFixed(1)} µs   continues (10 %): ${costed.toFixed(1)} µs   ×${(costed / stops).toFixed(2)}`,
);
console.log(
  `demand text with attachment (${M} runs)           demand@3: ${(compose3 / 1000).toFixed(2)} ms   demand@4 costed: ${(compose4 / 1000).toFixed(2)} ms   ×${(compose4 / compose3).toFixed(2)}`,
);
