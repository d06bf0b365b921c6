#!/usr/bin/env node
/**
 * Reads vitest's JSON report and fails (exit 1) when it counts a failed test or test file, or
 * when a test never ran (its worker died), or when there is no report at all — so CI refuses a failing run even if something swallowed
 * vitest's exit status. Prints one plain line: "N passed, N failed, N skipped".
 */
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results.json';
if (!existsSync(file)) {
  console.error(`${file}: no test report — the test run did not finish`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(
  `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped (${r.numFailedTestSuites} of ${r.numTotalTestSuites} suites failed)`,
);
// A test the report lists as pending never ran and was not skipped: its worker died under it
// (a process.exit, a crash). Vitest counts it nowhere else, and may still call the run a success.
const neverRan = (r.testResults ?? []).flatMap((f) =>
  (f.assertionResults ?? []).filter((a) => a.status === 'pending').map((a) => `${f.name}: ${a.fullName ?? a.title}`),
);
for (const t of neverRan) console.error(`never ran (its worker died): ${t}`);
if (
  r.numFailedTests > 0 ||
  r.numFailedTestSuites > 0 ||
  r.success === false ||
  r.numTotalTests === 0 ||
  neverRan.length > 0
)
  process.exit(1);
