import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './test/long-first.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // PDF rendering of full letters with CJK fonts is CPU-heavy on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one fork on a 2-core machine (cores − 1), but many files wait on servers, PostgreSQL
    // and Chromium rather than on CPU: three forks took the suite from 562 s to 406 s here, every test passing.
    maxWorkers: 3,
    // Test files in one fork share loaded modules instead of loading pdfkit, fontkit, express, pg… afresh for
    // each of ~117 files: module loading went from 196 s to 42 s of worker time and the suite from 513 s to 447 s
    // here, every test passing. A file that changes shared state (process.env, a module's cache) must undo it.
    isolate: false,
    // The 5,000-row batch test takes minutes: started first, it overlaps the rest instead of trailing it.
    sequence: { sequencer: LongFirstSequencer },
    // One PostgreSQL for the run (embedded, or HANJIAN_TEST_DATABASE_URL); each PostgreSQL test file creates its own database.
    globalSetup: ['test/store/postgres/server.ts'],
    // In CI a JSON report as well, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results.json' }]] : ['default'],
  },
});
