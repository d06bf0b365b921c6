/**
 * Issue 10: any line in a batch file fails alone. Property-based, bounded to a few seconds:
 * in-process, every line a hostile client could write is one result and never an exception;
 * end to end, a batch of such lines between good letters renders every good letter and
 * reports every bad line in errors.jsonl.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/cli/batch/job.js';
import { readLines } from '../../src/cli/lines.js';
import { example } from '../helpers.js';
import { runCli } from './run.js';

const letter = () => structuredClone(example('reminder'));
const PATHS = [
  'kind',
  'debtor',
  'debtor.name',
  'debtor.idNumber',
  'debt.principal',
  'debt',
  'account.dueDate',
  'creditor.paymentChannels',
  'issueDate',
  'history',
  '__proto__',
  'constructor',
];

function setPath(obj: Record<string, any>, path: string, value: unknown): Record<string, any> {
  const keys = path.split('.');
  let at = obj;
  for (const k of keys.slice(0, -1)) at = at[k] ?? (at[k] = {});
  Object.defineProperty(at, keys.at(-1)!, { value, enumerable: true, configurable: true, writable: true });
  return obj;
}

/** One line of a batch file, as bytes without a newline: anything from noise to a nearly valid letter. */
const hostileLine: fc.Arbitrary<Buffer> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s.replace(/\n/g, ' '))),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b.filter((x) => x !== 0x0a))),
  fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc
    .tuple(
      fc.integer({ min: 1, max: 6000 }),
      fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"kind":"reminder","history":', '}']),
    )
    .map(([n, [open, close]]) => Buffer.from(`${open!.repeat(n)}1${close!.repeat(n)}`)),
  fc
    .tuple(fc.constantFrom(...PATHS), fc.jsonValue({ maxDepth: 3 }))
    .map(([p, v]) => Buffer.from(JSON.stringify(setPath(letter(), p, v)))),
  fc
    .constantFrom(
      '{"__proto__":{"kind":"reminder"}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '1e999',
      '-0',
      '"\\ud800"',
      '{"kind":"reminder","kind":"demand"}',
    )
    .map((s) => Buffer.from(s)),
);

describe('batch: any line fails alone (fast-check)', () => {
  it('in process: every hostile line is one result with issues, never an exception', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-prop-'));
    let id = 0;
    await fc.assert(
      fc.asyncProperty(hostileLine, async (bytes) => {
        const lines = [];
        for await (const l of readLines(Readable.from([bytes]), 'in.jsonl')) lines.push(l);
        expect(lines.length).toBeLessThanOrEqual(1); // a line without a newline is one line (or blank)
        const line = lines[0];
        if (!line || 'error' in line) return; // refused by the reader (not UTF-8): that line's error
        const r = await runJob({
          id: ++id,
          text: line.text,
          target: join(dir, `${id}.pdf`),
          preview: true,
          flags: { today: '2026-11-28' },
        });
        expect(r.id).toBe(id);
        if (!r.ok) {
          expect(r.issues.length).toBeGreaterThan(0);
          for (const i of r.issues) expect(typeof i.code).toBe('string');
        }
      }),
      { numRuns: 120, interruptAfterTimeLimit: 5000 },
    );
    expect(Object.prototype).not.toHaveProperty('polluted');
  }, 30_000);

  it('end to end: hostile lines between good letters; every good letter renders, every hostile line is accounted for', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileLine, { minLength: 10, maxLength: 20 }), async (hostile) => {
        const dir = mkdtempSync(join(tmpdir(), 'hanjian-prop-'));
        const good = (n: number) => Buffer.from(JSON.stringify(setPath(letter(), 'account.contractNo', `GOOD-${n}`)));
        const lines = [
          good(1),
          ...hostile.slice(0, hostile.length / 2),
          good(2),
          ...hostile.slice(hostile.length / 2),
          good(3),
        ];
        const input = join(dir, 'in.jsonl');
        writeFileSync(input, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
        const out = join(dir, 'out');
        const r = await runCli([
          'batch',
          input,
          '--out',
          out,
          '--workers',
          '2',
          '--preview',
          '--today',
          '2026-11-28',
          '--json',
        ]);
        expect([0, 1]).toContain(r.code);
        const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
        const errors = readFileSync(join(out, 'errors.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l));
        const pdfs = readdirSync(out).filter((f) => f.endsWith('.pdf'));
        for (const n of [1, 2, 3])
          expect(
            pdfs.some((f) => f.endsWith(`GOOD-${n}.pdf`)),
            `good line ${n}`,
          ).toBe(true);
        expect(summary.ok).toBe(pdfs.length);
        expect(summary.failed).toBe(errors.length);
        expect(summary.ok + summary.failed).toBe(summary.lines);
        const goodLines = new Set([1, hostile.length / 2 + 2, lines.length].map(Math.floor));
        for (const e of errors) expect(goodLines.has(e.line), `line ${e.line}`).toBe(false);
      }),
      { numRuns: 1, endOnFailure: true },
    );
  }, 60_000);
});
