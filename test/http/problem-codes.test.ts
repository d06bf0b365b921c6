import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../../src/http/problem-codes.js';
import { statusFor } from '../../src/http/problem.js';
import { HanjianError } from '../../src/errors.js';
import { ROOT } from '../helpers.js';

// Raised only at start-up or by the CLI, never in an HTTP answer.
const NOT_HTTP = new Set(['CONFIG_INVALID', 'SEAL_NOT_PNG', 'INPUT_UNREADABLE']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('problem codes', () => {
  it('lists every code the service can answer with (a HanjianError or a problem sent directly)', () => {
    const found = new Set<string>();
    for (const file of sources(join(ROOT, 'src')).filter((f) => !f.includes(`${join('src', 'cli')}`))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new HanjianError\(\{[^}]*?\bcode: '([A-Z_]+)'/gs)) found.add(m[1]!);
      for (const m of text.matchAll(/(?:sendProblem\(res, |problemBody\()\d{3}, '([A-Z_]+)'/g)) found.add(m[1]!);
    }
    expect(found.size).toBeGreaterThan(20);
    const missing = [...found].filter((c) => !(c in PROBLEM_CODES) && !NOT_HTTP.has(c));
    expect(missing).toEqual([]);
  });

  it('gives each code the status the service answers it with', () => {
    for (const [code, { status }] of Object.entries(PROBLEM_CODES)) {
      const category = status === 404 ? 'not_found' : status === 409 ? 'conflict' : status === 422 ? 'invalid_input' : 'internal';
      const mapped = statusFor(new HanjianError({ code, zh: '', en: '', category }));
      // Codes answered only via sendProblem (auth, 405, 415 …) keep the status given there; the rest map through problem.ts.
      if (mapped !== status) expect(['BAD_REQUEST', 'METHOD_NOT_ALLOWED', 'NOT_READY', 'INTERNAL', 'STORED_PDF_MISSING', 'STORED_PDF_CORRUPT'].concat(status >= 500 ? [code] : []), code).toContain(code);
    }
  });
});
