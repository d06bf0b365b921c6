/**
 * The test configuration names some files by path (the soak project, the files started first).
 * A file that moves without its entry there silently changes which project runs it — the soak
 * test once ran inside npm test for minutes after test/batches became test/jobs/batches.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const NAMED_FILE = /'(test\/[^'*{}]+\.(?:test\.)?ts)'/g;

function namedFiles(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(NAMED_FILE)].map((m) => m[1] as string);
}

describe('the test configuration', () => {
  for (const file of ['vitest.config.ts', 'test/long-first.ts']) {
    it(`${file} names only files that exist`, () => {
      const named = namedFiles(file);
      expect(named.length).toBeGreaterThan(0);
      expect(named.filter((p) => !existsSync(p))).toEqual([]);
    });
  }
});

describe('the benchmarks', () => {
  it('import only built modules that have a source (a moved file would break npm run bench* unseen)', () => {
    const dir = 'test/bench';
    const missing = readdirSync(dir)
      .filter((f) => f.endsWith('.mjs'))
      .flatMap((f) =>
        [...readFileSync(join(dir, f), 'utf8').matchAll(/dist\/([\w/.-]+)\.js/g)].map((m) => `src/${m[1]}.ts`),
      )
      .filter((src) => !existsSync(src));
    expect(missing).toEqual([]);
  });
});
