import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, type ProblemCode } from '../../src/http/problem-codes.js';
import { statusFor } from '../../src/server-kit/problem.js';
import { HanjianError } from '../../src/shared/errors.js';
import { ROOT } from '../helpers.js';

// Raised only at start-up or by the CLI, never in an HTTP answer.
const NOT_HTTP = new Set(['CONFIG_INVALID', 'SEALS_INVALID', 'SEAL_NOT_PNG', 'INPUT_UNREADABLE', 'DATA_KEY_MISSING']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('problem codes', () => {
  it('lists every code the service can answer with, at the status it is sent with', () => {
    const found = new Set<string>();
    const sentWith: [string, number][] = [];
    for (const file of sources(join(ROOT, 'src')).filter((f) => !f.includes(join('src', 'cli')))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new HanjianError\(\{[^}]*?\bcode: '([A-Z_]+)'/gs)) found.add(m[1]!);
      for (const m of text.matchAll(/(?:sendProblem\(res, |problemBody\()(\d{3}), '([A-Z_]+)'/g)) {
        found.add(m[2]!);
        sentWith.push([m[2]!, Number(m[1])]);
      }
    }
    expect(found.size).toBeGreaterThan(20);
    expect([...found].filter((c) => !(c in PROBLEM_CODES) && !NOT_HTTP.has(c))).toEqual([]);
    for (const [code, status] of sentWith) expect(PROBLEM_CODES[code as ProblemCode].status, code).toBe(status);
  });

  it('agrees with problem.ts on the status of every code it maps by name', () => {
    for (const [code, { status }] of Object.entries(PROBLEM_CODES)) {
      const viaCode = statusFor(new HanjianError({ code, zh: '', en: '', category: 'internal' }));
      // 500 here means problem.ts maps the code by its category, or it is sent with its status directly (checked above).
      if (viaCode !== 500) expect(viaCode, code).toBe(status);
    }
  });
});
