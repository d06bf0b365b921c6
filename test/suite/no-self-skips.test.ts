/**
 * No test skips itself: the only skips are the person's own (HANJIAN_TEST_SKIP, through
 * requirePrograms), and no `.only` narrows a run by accident. A new `it.skip`, `skipIf(…)`
 * on anything else, `ctx.skip()` or `.only` in a test file fails here with its place.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : testSources(path);
    return /\.(ts|mts|mjs)$/.test(e.name) ? [path] : [];
  });
}

const ALLOWED = /\.skipIf\((skipped|requirePrograms\([^)]*\))\)/g;
const SELF_SKIP = /\.(skip|skipIf|todo|only)\b|\bctx\.skip\b|context\.skip\b/;

it('tests are skipped only on request (requirePrograms), and none is marked .only', () => {
  const found: string[] = [];
  for (const file of testSources(join(ROOT, 'test'))) {
    if (file.endsWith('no-self-skips.test.ts')) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (SELF_SKIP.test(line.replace(ALLOWED, ''))) found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  expect(found).toEqual([]);
});
