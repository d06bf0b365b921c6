import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './test/long-first.js';

// HANJIAN_SUITE_FIXTURE=<name> runs only test/fixtures/suite-can-fail/<name>.test.ts, with this same config and
// global set-up: test/suite/suite-can-fail.test.ts uses it to prove that a failing test fails the run.
const fixture = process.env.HANJIAN_SUITE_FIXTURE;

/**
 * unit: pure functions of the pipeline and the rules around it — no database, no server, no
 * process; they run on every supported Node (CI also runs them on Node 24).
 * integration: everything else npm test runs — registry, PostgreSQL, HTTP, CLI, browser.
 * soak: minutes-long load, flood and kill tests (5,000-row batches, instances SIGKILLed, slow-client
 * floods, hostile uploads, the nginx front, the packed package installed); CI runs them
 * after npm test (`npm run test:soak`).
 */
const UNIT = [
  'test/pipeline/**/*.test.ts',
  'test/{shared,policy,imports}/**/*.test.ts',
  'test/seals/seal-{png,transparency}.test.ts',
  'test/catalogs/{diff,style}.test.ts',
  'test/suite/no-self-skips.test.ts',
];
const SOAK = [
  'test/jobs/batches/instances.test.ts',
  'test/http/instances.test.ts',
  // Kill and flood tests: a batch's process SIGKILLed and restarted, 1,100 slow sockets, hostile uploads
  // against /healthz, the nginx front (their correctness checks of single requests stay in npm test).
  'test/jobs/batches/restart.test.ts',
  'test/http/slow-clients.test.ts',
  'test/http/hostile-upload.test.ts',
  'test/http/nginx.test.ts',
  // The package as a user gets it: npm pack, npm install of the tarball into an empty project, its
  // binary and library run (a minute of npm install alone; the library's own behaviour stays in npm test).
  'test/package.test.ts',
];
const POSTGRES = ['test/store/postgres/server.ts'];

export default defineConfig({
  test: {
    // PDF rendering of full letters with CJK fonts is CPU-heavy on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The built package (dist/: the CLI run in-process by test/cli/run.ts, the package tests) is loaded by
    // Node as a user's program loads it, not transformed by vitest: 8 s of transforms per fork saved.
    server: { deps: { external: [/\/dist\//] } },
    // vitest's default is one fork on a 2-core machine (cores − 1), but many files wait on servers, PostgreSQL
    // and Chromium rather than on CPU: three forks took the suite from 562 s to 406 s here, and four (after the
    // CLI tests moved in-process) measured 243 s against 256–274 s on a warm checkout — but 291 s on CI's fresh
    // clone, where each fork also compiles and transforms every module cold: three it stays.
    maxWorkers: 3,
    // Test files in one fork share loaded modules instead of loading pdfkit, fontkit, express, pg… afresh for
    // each of ~117 files: module loading went from 196 s to 42 s of worker time and the suite from 513 s to 447 s
    // here, every test passing. A file that changes shared state (process.env, a module's cache) must undo it.
    isolate: false,
    // The longest files start first, so that they overlap the rest instead of trailing it.
    sequence: { sequencer: LongFirstSequencer },
    // In CI a JSON report as well, which .ci/run reads (scripts/ci-report.mjs).
    reporters: [
      'default',
      './test/support/skip-reporter.ts',
      // HANJIAN_TEST_REPORT names another file (the suite's own nested runs: test/suite/suite-can-fail.test.ts).
      ...(process.env.CI || process.env.HANJIAN_TEST_REPORT
        ? [['json', { outputFile: process.env.HANJIAN_TEST_REPORT ?? 'test-results.json' }] as [string, object]]
        : []),
    ],
    projects: fixture
      ? [
          {
            extends: true,
            test: {
              name: 'fixture',
              include: [`test/fixtures/suite-can-fail/${fixture}.test.ts`],
              globalSetup: POSTGRES,
            },
          },
        ]
      : [
          { extends: true, test: { name: 'unit', include: UNIT } },
          // One PostgreSQL for the run (embedded, or HANJIAN_TEST_DATABASE_URL); each PostgreSQL test file creates its own database.
          {
            extends: true,
            test: {
              name: 'integration',
              include: ['test/**/*.test.ts'],
              exclude: ['test/fixtures/**', ...UNIT, ...SOAK],
              globalSetup: POSTGRES,
            },
          },
          { extends: true, test: { name: 'soak', include: SOAK, globalSetup: POSTGRES } },
        ],
  },
});
