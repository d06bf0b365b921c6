/**
 * The house's shape, checked (docs/architecture.md draws it): every file of src/ belongs to a
 * part, the parts stand in layers, and an import may only point at its own part or a lower
 * layer — adapters → app → sms → store → domain parts → pipeline → shared. No file imports another
 * in a circle, nothing below app/ reads the environment, and only the parts named here import
 * pdfkit, pdf-lib, Handlebars or a database driver.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

const SRC = join(ROOT, 'src');

/** Lowest first: a part may import its own files and any part of a lower layer. */
const LAYERS: string[][] = [
  ['shared'],
  ['pipeline'],
  ['audit'],
  ['orgs'],
  ['seals'],
  ['signing'],
  ['catalogs'],
  ['letters'],
  ['delivery'],
  ['plans'],
  ['debtors'],
  ['history'],
  ['requests'],
  ['imports'],
  ['jobs'],
  ['store'],
  ['sms'],
  ['app'],
  ['server-kit'],
  ['web'],
  ['http'],
  ['cli'],
  ['index.ts', 'types.d.ts'],
];
const LAYER = new Map(LAYERS.flatMap((parts, i) => parts.map((p) => [p, i] as const)));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mts)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The part a file belongs to: its folder under src/, or the file itself at the top. */
const partOf = (file: string) => relative(SRC, file).split('/')[0]!;

// Static imports and re-exports (`… from '…'`), side-effect imports (`import '…'`) and dynamic ones (`import('…')`).
const IMPORT =
  /(?:^|[^\w.])(?:import|export)\s[^'";]*?from\s*'([^']+)'|^\s*import\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/gm;

function importsOf(file: string): { spec: string; target: string | null }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = (m[1] ?? m[2] ?? m[3])!;
    if (!spec.startsWith('.')) return { spec, target: null };
    return { spec, target: resolve(dirname(file), spec).replace(/\.js$/, '.ts') };
  });
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('the house', () => {
  it('every file belongs to a known part', () => {
    expect(files.map(partOf).filter((p) => !LAYER.has(p))).toEqual([]);
  });

  it('no import points upward (a lower part importing a higher one)', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      const from = partOf(file);
      for (const { target } of imports) {
        if (!target) continue;
        const to = partOf(target);
        if (to !== from && LAYER.get(to)! > LAYER.get(from)!)
          upward.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no file imports another in a circle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const { target } of graph.get(f) ?? []) {
        if (!target || !graph.has(target)) continue;
        if (state.get(target) === 'open')
          cycles.push([...stack.slice(stack.indexOf(target)), target].map((x) => relative(SRC, x)).join(' → '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('nothing below app/ reads the environment', () => {
    const readers = files.filter(
      (f) => LAYER.get(partOf(f))! < LAYER.get('app')! && /\bprocess\.env\b/.test(readFileSync(f, 'utf8')),
    );
    expect(readers.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('only the parts that own them import pdfkit, Handlebars and the database drivers', () => {
    const owners: Record<string, string[]> = {
      pdfkit: ['pipeline/pdf/'],
      // Copies pages pdfkit cannot import: the issued PDFs into a batch's print file, and the engagement's
      // 授权委托书 after the lawyer's letter that lists it (docs/architecture.md).
      'pdf-lib': ['delivery/posting.ts', 'pipeline/attach-pages.ts'],
      handlebars: ['pipeline/templates/', 'web/views.ts'],
      'better-sqlite3': ['store/'],
      pg: ['store/'],
    };
    const wrong: string[] = [];
    for (const [file, imports] of graph)
      for (const { spec } of imports) {
        const allowed = owners[spec];
        if (allowed && !allowed.some((p) => relative(SRC, file).startsWith(p)))
          wrong.push(`${relative(SRC, file)} imports ${spec}`);
      }
    expect(wrong).toEqual([]);
  });
});
