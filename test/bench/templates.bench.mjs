// npm run bench:templates — what an organisation's own catalogue costs: loading it (with the
// full lint: example composed, guarded and rendered to PDF) against loading the built-in
// catalogue (compile only) in the same run; the per-request cost of following the lock file;
// and a preview with a firm's version against the same wording built in. Prints a table; asserts nothing.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FirmCatalogs } from '../../dist/catalogs/catalogs.js';
import { previewLetter } from '../../dist/pipeline/index.js';
import { loadCatalog } from '../../dist/pipeline/templates/catalog.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = Number(process.env.BENCH_N ?? 5);

// A firm's folder holding a copy of every built-in version, renumbered +10 (the same wording, so renders compare).
const firm = mkdtempSync(join(tmpdir(), 'hanjian-bench-firm-'));
const ids = [];
for (const kind of ['reminder', 'demand', 'lawyer-letter']) {
  for (const v of [1, 2]) {
    const dir = join(firm, kind, String(v + 10));
    cpSync(join(ROOT, 'templates', kind, String(v)), dir, { recursive: true });
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, version: v + 10, status: 'active' }));
    ids.push(`${kind}@${v}`);
  }
}

async function time(fn, n = N) {
  await fn(); // warm: fonts parsed, modules loaded
  const s = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - s) / n;
}

const builtIn = await time(() => loadCatalog());
const firmLoad = await time(() => FirmCatalogs.load([{ orgId: 'org', dir: firm }]));
const catalogs = await FirmCatalogs.load([{ orgId: 'org', dir: firm }]);
const lookups = 20000;
const s = performance.now();
for (let i = 0; i < lookups; i++) catalogs.catalogFor('org');
const perLookup = (performance.now() - s) / lookups;

const example = JSON.parse(readFileSync(join(ROOT, 'templates', 'lawyer-letter', '2', 'example.json'), 'utf8'));
const opts = { today: example.issueDate };
const previewBuiltIn = await time(() => previewLetter({ ...example, template: 'lawyer-letter@2' }, opts), N * 4);
const previewFirm = await time(
  () =>
    previewLetter({ ...example, template: 'firm:lawyer-letter@12' }, { ...opts, catalog: catalogs.catalogFor('org') }),
  N * 4,
);

console.table([
  { what: `load the built-in catalogue (${ids.length} versions, compile only) — baseline`, ms: builtIn.toFixed(1) },
  {
    what: `load a firm's catalogue (${ids.length} versions: hash, lock, compile, lint, example composed + guarded + rendered)`,
    ms: firmLoad.toFixed(1),
    'ms per version': (firmLoad / ids.length).toFixed(1),
  },
  {
    what: 'catalogFor(org) per request (stat of the lock file; re-read only when it changed)',
    ms: perLookup.toFixed(4),
  },
  { what: 'preview lawyer-letter@2 (built-in) — baseline', ms: previewBuiltIn.toFixed(1) },
  { what: "preview firm:lawyer-letter@12 (the same wording, from the firm's catalogue)", ms: previewFirm.toFixed(1) },
]);
