import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/app/config.js';
import { ROOT } from './helpers.js';

/**
 * The README and docs/ state facts about the code; these tests hold them to it. Each fact lives
 * in one document (the README is the short tour, docs/ the rest), so each check reads the
 * document that holds its fact.
 */
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);

interface Heading {
  level: number;
  title: string;
  line: number;
}

/** The headings of a Markdown text, fenced code ignored (a `# comment` in a shell block is no heading). */
function headingsOf(text: string): Heading[] {
  const out: Heading[] = [];
  let fenced = false;
  text.split('\n').forEach((l, line) => {
    if (/^\s*```/.test(l)) fenced = !fenced;
    const m = fenced ? null : /^(#{1,6}) (.+?)\s*$/.exec(l);
    if (m) out.push({ level: m[1]!.length, title: m[2]!, line });
  });
  return out;
}

/** The text under a heading (any level) up to the next heading of the same or a higher level. */
function section(file: string, title: string): string {
  const text = read(file);
  const hs = headingsOf(text);
  const i = hs.findIndex((h) => h.title === title);
  expect(i, `${file}: a heading "${title}"`).toBeGreaterThanOrEqual(0);
  const h = hs[i]!;
  const end = hs.slice(i + 1).find((n) => n.level <= h.level);
  return text
    .split('\n')
    .slice(h.line + 1, end ? end.line : undefined)
    .join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { title } of headingsOf(text)) {
    const base = title
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

describe('README', () => {
  const readme = read('README.md');

  it('opens with one library call, one curl and one CLI line, then the two commands', () => {
    const firstScreen = readme.slice(0, readme.indexOf('\n## Two commands'));
    expect(firstScreen).toMatch(/```js\n[^`]*await renderLetter\(/);
    expect(firstScreen).toMatch(/```sh\ncurl [^`]*\/v1\/previews/);
    expect(firstScreen).toMatch(/```sh\nnpx hanjian preview /);
    const two = section('README.md', 'Two commands');
    expect(two).toContain('npm ci && npm start');
    expect(two).toContain('npm ci && npm test');
    expect(two).toContain('HANJIAN_TEST_SKIP');
  });

  it('is short, and leads to every document in docs/ and to the architecture map', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    for (const doc of DOCS) expect(readme, doc).toContain(`](${doc}`);
    const dev = section('README.md', 'Development');
    expect(dev).toContain('npm run lint');
    expect(dev).toContain('npm run format');
    expect(dev).toContain('](docs/architecture.md)');
  });

  it('links only to files and headings that exist (README and docs/)', () => {
    for (const file of ['README.md', ...DOCS]) {
      const text = read(file);
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue; // https:, mailto:
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const resolved = path === '' ? file : normalize(join(dirname(file), path)).replaceAll('\\', '/');
        expect(existsSync(join(ROOT, resolved)), `${file}: link to ${target}`).toBe(true);
        if (anchor !== undefined && resolved.endsWith('.md'))
          expect([...anchorsOf(read(resolved))], `${file}: link to ${target}`).toContain(anchor);
      }
    }
  });
});

describe('the files the documents name', () => {
  // `src/…`, `test/…`, `rules/…` in backquotes: a file that moves must take its mentions along
  // (after the redesign, a dozen pointed at folders that were gone).
  it('exist (README, docs/, templates/README.md, fonts/README.md)', () => {
    const named = ['README.md', ...DOCS, 'templates/README.md', 'fonts/README.md'].flatMap((file) =>
      [...read(file).matchAll(/`((?:src|test|scripts|rules|templates|web|docs|fonts)\/[\w./-]+)`/g)].map((m) => ({
        file,
        path: m[1] as string,
      })),
    );
    expect(named.length).toBeGreaterThan(20);
    expect(
      named.filter(({ path }) => !existsSync(join(ROOT, path))).map(({ file, path }) => `${file}: ${path}`),
    ).toEqual([]);
  });
});

describe('docs/', () => {
  it('lists every configuration key, with the environment variables the service reads (deploying.md)', () => {
    const configuration = section('docs/deploying.md', 'Configuration');
    const rows = configuration.split('\n').filter((l) => l.startsWith('| `'));
    const keys = rows.map((r) => /^\| `(\w+)`/.exec(r)![1]);
    expect(keys.sort()).toEqual(Object.keys(configSchema.shape).sort());
    const envRead = [...readFileSync(join(ROOT, 'src', 'app', 'config.ts'), 'utf8').matchAll(/env\.(\w+)/g)].map(
      (m) => m[1]!,
    );
    for (const name of new Set(envRead)) expect(configuration, name).toContain(`\`${name}\``);
  });

  it('documents the seals file, backups, new template versions and the Docker image', () => {
    expect(section('docs/operations.md', 'Seals')).toContain('"北京某某律师事务所": "seals/firm.png"');
    expect(section('docs/operations.md', 'Backing up `data/`')).toContain('VACUUM INTO');
    expect(section('docs/templates.md', 'Adding a template version')).toContain('UPDATE_LOCK=1');
    const docker = section('docs/deploying.md', 'Docker');
    expect(docker).toContain('docker run');
    expect(docker).toContain('could not be built');
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:24-bookworm/m);
  });
});
