/**
 * Test files in the order vitest would run them, except that the few that take minutes start
 * first: on a fresh clone vitest knows no durations (it runs larger files first), and a long
 * file started last would be the run's tail while the other forks sit idle.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The longest files of a CI run on a 2-core machine (Dec 2026), longest first; the soak project's two lead its own run.
const LONG_FIRST = [
  'test/jobs/batches/instances.test.ts',
  'test/http/instances.test.ts',
  'test/package.test.ts',
  'test/web/workspace.test.ts',
  'test/http/openapi.test.ts',
  'test/signing/timestamp.test.ts',
  'test/suite/suite-can-fail.test.ts',
  'test/http/hostile.test.ts',
  'test/web/posting-browser.test.ts',
  'test/web/import-mapping-browser.test.ts',
  'test/web/debtor-pages-browser.test.ts',
  'test/cli/serve.test.ts',
  'test/jobs/batches/restart.test.ts',
  'test/signing/signing.test.ts',
  'test/cli/batch.test.ts',
  'test/requests/safe-issuing.test.ts',
  'test/cli/inputs.test.ts',
  'test/http/nginx.test.ts',
  'test/web/letter-page-browser.test.ts',
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
