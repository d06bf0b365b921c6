/**
 * Says, at the end of a run, how many tests were skipped and why. The only way a test is
 * skipped here is the person's own HANJIAN_TEST_SKIP (requirePrograms); a skip without it is
 * named as such, so that a skipped test can never pass for a passing one.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const byFile = new Map<string, number>();
    for (const m of modules) {
      let n = 0;
      for (const t of m.children.allTests()) if (t.result().state === 'skipped') n += 1;
      if (n > 0) byFile.set(m.relativeModuleId, n);
    }
    const total = [...byFile.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return;
    const files = [...byFile].map(([f, n]) => `${f} (${n})`).join(', ');
    const asked = process.env.HANJIAN_TEST_SKIP;
    const why = asked
      ? `on request, HANJIAN_TEST_SKIP=${asked}`
      : 'WITHOUT HANJIAN_TEST_SKIP — a test must not skip itself';
    process.stdout.write(`\n${total} test${total === 1 ? '' : 's'} skipped ${why}: ${files}\n`);
  }
}
