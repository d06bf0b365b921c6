// npm run bench:guard — the compliance guard's cost per letter, against the version-1 guard
// (fixed phrases, rules/compliance.json v1 kept in test/bench/fixtures) in the same run, and the
// free-text check for payment diversion (links, numbers that are not the letter's own).
// Prints a table; asserts nothing.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listTemplates } from '../../dist/index.js';
import { findConduct } from '../../dist/pipeline/compliance/conduct.js';
import { loadConductRules } from '../../dist/pipeline/compliance/conduct-rules.js';
import { checkFreeText } from '../../dist/pipeline/compliance/free-text.js';
import { composeLetter } from '../../dist/pipeline/compose.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = Number(process.env.BENCH_N ?? 300);
const v1 = JSON.parse(
  readFileSync(join(ROOT, 'test', 'bench', 'fixtures', 'compliance-v1.json'), 'utf8'),
).forbidden.map((r) => new RegExp(r.pattern, 'gu'));
const v1Guard = (text) => {
  const hits = [];
  for (const line of text.split('\n')) for (const p of v1) for (const m of line.matchAll(p)) hits.push(m[0]);
  return hits;
};

const letters = listTemplates().map((t) => {
  const example = JSON.parse(readFileSync(join(ROOT, 'templates', t.kind, String(t.version), 'example.json'), 'utf8'));
  const c = composeLetter(example, { today: example.issueDate, preview: true });
  return { id: t.id, text: c.text, data: c.data };
});

function perLetter(fn) {
  for (let i = 0; i < 20; i++) for (const l of letters) fn(l.text, l.data);
  const s = performance.now();
  for (let i = 0; i < N; i++) for (const l of letters) fn(l.text, l.data);
  return (performance.now() - s) / (N * letters.length);
}

const fresh = () => loadConductRules(); // a new rule set has an empty sentence cache
const warm = fresh();
const rows = [
  { guard: 'v1: fixed phrases (baseline)', 'ms per letter': perLetter(v1Guard) },
  {
    guard: 'v2: categories, cold (no sentence cache)',
    'ms per letter': (() => {
      // One fresh rule set per round, made before timing, so every letter of a round starts with an empty cache.
      const sets = Array.from({ length: N + 20 }, fresh);
      let n = 0;
      return perLetter((t) => findConduct(t, sets[Math.floor(n++ / letters.length)]));
    })(),
  },
  {
    guard: 'v2: categories, warm (template sentences cached)',
    'ms per letter': perLetter((t) => findConduct(t, warm)),
  },
  {
    guard: "free text: links and numbers not the letter's own",
    'ms per letter': perLetter((t, d) => checkFreeText(d, t)),
  },
].map((r) => ({ ...r, 'ms per letter': r['ms per letter'].toFixed(3) }));
console.log(
  `compliance guard, ${letters.length} template examples (${letters.map((l) => l.text.length).join('/')} chars), ${N} rounds`,
);
console.table(rows);
