/**
 * Test files in the order vitest would run them, except that the few that take minutes start
 * first: on a fresh clone vitest knows no durations (it runs larger files first), and a long
 * file started last would be the run's tail while the other forks sit idle.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONG_FIRST = [
  'test/jobs/batches/instances.test.ts',
  'test/http/instances.test.ts',
  'test/web/workspace.test.ts',
  'test/cli/cli.test.ts',
];

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONG_FIRST.findIndex((p) => f.moduleId.replace(/\\/g, '/').endsWith(p));
      return i === -1 ? LONG_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map((x) => x.f);
  }
}
