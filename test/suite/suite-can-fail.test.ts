/**
 * The suite can fail: vitest, run with this project's own config and global set-up (the
 * embedded PostgreSQL, or HANJIAN_TEST_DATABASE_URL), exits non-zero for a failing assertion,
 * a file that fails to load, a failing hook and an unhandled error — and exits 0 for a file
 * that passes, so the failures are the fixtures' own and not a broken config.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ROOT } from '../helpers.js';

interface Run {
  status: number | null;
  output: string;
}

function runFixture(name: string, env: Record<string, string> = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, HANJIAN_SUITE_FIXTURE: name, NO_COLOR: '1' };
  delete childEnv.CI; // no JSON report from the nested run over the outer run's own
  delete childEnv.VITEST; // the nested vitest must not think it runs inside a test
  delete childEnv.VITEST_WORKER_ID;
  delete childEnv.VITEST_POOL_ID;
  if (!env.HANJIAN_TEST_DATABASE_URL) delete childEnv.HANJIAN_TEST_DATABASE_URL;
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
    cwd: ROOT,
    env: childEnv,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
}

const FAILING: Record<string, RegExp> = {
  assertion: /expected 1 to be 2/,
  'load-error': /this file fails while it loads/,
  hook: /a set-up hook that fails/,
  unhandled: /an unhandled rejection/,
  'worker-exit': /Worker exited unexpectedly|process\.exit/,
};

describe('a failing test fails the run', () => {
  it('with the embedded PostgreSQL: a failing assertion exits non-zero, the passing control exits 0', async () => {
    const [failing, passing] = await Promise.all([runFixture('assertion'), runFixture('passes')]);
    expect(failing.output).toMatch(FAILING.assertion!);
    expect(failing.status, failing.output).not.toBe(0);
    expect(passing.status, passing.output).toBe(0);
  });

  // The other kinds of failure use the outer run's database (HANJIAN_TEST_DATABASE_URL): an
  // embedded server per nested run cost the suite about 15 s of CPU and proved nothing more.
  it('with HANJIAN_TEST_DATABASE_URL: each kind of failure exits non-zero, the passing control exits 0', async () => {
    const env = { HANJIAN_TEST_DATABASE_URL: inject('pgUrl') };
    const names = [...Object.keys(FAILING), 'passes'];
    const runs = await Promise.all(names.map((n) => runFixture(n, env)));
    for (const [i, name] of names.entries()) {
      const { status, output } = runs[i]!;
      if (name === 'passes') {
        expect(status, output).toBe(0);
      } else {
        expect(output, name).toMatch(FAILING[name]!);
        expect(status, `${name} exited ${status}:\n${output}`).not.toBe(0);
      }
    }
  });

  it('a worker that dies under its tests fails the run, and CI reading the JSON report names what never ran', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'hanjian-report-')), 'report.json');
    const run = await runFixture('worker-exit', {
      HANJIAN_TEST_REPORT: report,
      HANJIAN_TEST_DATABASE_URL: inject('pgUrl'),
    });
    expect(run.status, run.output).not.toBe(0);
    const read = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ci-report.mjs'), report], { encoding: 'utf8' });
    expect(read.status, read.stdout + read.stderr).toBe(1);
    expect(read.stderr).toContain('never ran');
  });
});
