/**
 * A test file that needs system programs says so at its top:
 *
 *   const skipped = requirePrograms('pdfsig', 'openssl');
 *   describe.skipIf(skipped)('…', () => { … });
 *
 * A missing program fails the file as it loads, with one line naming the program and the
 * command that installs it — never a silent skip, never a confusing error later. The tests
 * are skipped only when the person asks (HANJIAN_TEST_SKIP=pdfsig, see the README); the
 * run's summary then says how many were skipped and why (skip-reporter.ts).
 */
import { missingLine, PROGRAMS, skippedOnRequest } from '../../scripts/test-prerequisites.mjs';

/** True when the person asked to skip tests needing one of these; throws when one is missing. */
export function requirePrograms(...programs: string[]): boolean {
  const asked = skippedOnRequest();
  if (programs.some((p) => asked.includes(p))) return true;
  for (const p of programs) {
    const program = PROGRAMS[p];
    if (!program) throw new Error(`requirePrograms: unknown program ${p}`);
    if (!program.works()) throw new Error(missingLine(p));
  }
  return false;
}
