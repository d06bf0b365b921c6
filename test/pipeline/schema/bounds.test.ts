import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInputBounds, INPUT_LIMITS } from '../../../src/pipeline/schema/bounds.js';
import { validateLetter } from '../../../src/pipeline/schema/validate.js';
import { example, TODAY, variant } from '../../helpers.js';

const base = example('lawyer-letter');

/** [[[…]]] nested n deep, built without recursion. */
function deepArray(n: number): unknown {
  let v: unknown = [];
  for (let i = 1; i < n; i++) v = [v];
  return v;
}

describe('input bounds', () => {
  it('accepts every example', () => {
    for (const kind of ['reminder', 'demand', 'lawyer-letter'] as const)
      expect(checkInputBounds(example(kind))).toEqual([]);
  });

  it('refuses nesting past the limit with INPUT_TOO_DEEP and the path where it happened', () => {
    const input = variant(base, (x) => {
      x.history = deepArray(100_000);
    });
    const issues = checkInputBounds(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'INPUT_TOO_DEEP' });
    expect(issues[0]!.path).toMatch(/^history(\.0)+$/);
    expect(issues[0]!.path.split('.')).toHaveLength(INPUT_LIMITS.maxDepth);
  });

  it('validateLetter answers a 100,000-deep body with an issue, not a stack overflow', () => {
    const r = validateLetter(
      variant(base, (x) => {
        x.history = deepArray(100_000);
      }),
      { today: TODAY },
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.code)).toEqual(['INPUT_TOO_DEEP']);
  });

  it('is linear: a 60,000-deep input costs about twice a 30,000-deep one, not four times', () => {
    // Counted in visited values rather than timed: the walk stops at the depth limit, so both are cheap.
    const small = deepArray(30_000);
    const big = deepArray(60_000);
    expect(checkInputBounds(small)).toHaveLength(1);
    expect(checkInputBounds(big)).toHaveLength(1);
    // With a limit high enough to walk everything, the number of values bounds the work.
    expect(checkInputBounds(big, { maxDepth: 100_000, maxValues: 1_000_000 })).toEqual([]);
  });

  it('refuses inputs with too many values', () => {
    const issues = checkInputBounds({ history: { lettersSent: Array.from({ length: 6_000 }, () => 0) } });
    expect(issues).toEqual([expect.objectContaining({ code: 'INPUT_TOO_LARGE', path: '' })]);
  });

  it('finds prototype keys at any depth, in document order', () => {
    const input = JSON.parse('{"a":{"__proto__":1},"b":[{"constructor":2}],"prototype":3}');
    expect(checkInputBounds(input).map((i) => [i.path, i.code])).toEqual([
      ['a.__proto__', 'FORBIDDEN_KEY'],
      ['b.0.constructor', 'FORBIDDEN_KEY'],
      ['prototype', 'FORBIDDEN_KEY'],
    ]);
  });
});

describe('validateLetter under any input (property)', () => {
  const protoKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'kind', 'debtor', 'debt', 'history');
  const oddString = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('', ' ', '\u0000', '\ud800', '1e999', '-0', 'NaN', '０', '2026-02-30', '0000-01-01'),
  );
  const oddNumber = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.constantFrom(0.1 + 0.2, -0, 1e308, Number.MAX_SAFE_INTEGER + 2),
  );
  const anyJson = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      oddString,
      oddNumber,
      fc.boolean(),
      fc.constant(null),
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(fc.oneof(protoKeys, fc.string()), tie('value'), { maxKeys: 5 }),
  })).value;

  it('returns {ok:false, issues} or {ok:true} and never throws, for any JSON value', () => {
    fc.assert(
      fc.property(anyJson, (x) => {
        const r = validateLetter(JSON.parse(JSON.stringify(x) ?? 'null'), { today: TODAY });
        if (!r.ok) expect(r.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws for a real letter with any field replaced by any value', () => {
    const paths = [
      ['kind'],
      ['issueDate'],
      ['debtor'],
      ['debtor', 'name'],
      ['debtor', 'idNumber'],
      ['account', 'dueDate'],
      ['debt'],
      ['debt', 'principal'],
      ['debt', 'total'],
      ['lawyers'],
      ['demand'],
      ['history'],
      ['relief', 'installments'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), anyJson, (path, value) => {
        const input = variant(base, (x) => {
          let cur = x;
          for (const k of path.slice(0, -1)) cur = cur[k];
          cur[path.at(-1)!] = value;
        });
        const r = validateLetter(input, { today: TODAY });
        if (!r.ok) for (const i of r.issues) expect(i.message).toContain(' / ');
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on deep or wide inputs of any shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.boolean(), (n, asObject) => {
        let v: unknown = 1;
        for (let i = 0; i < n; i++) v = asObject ? { history: v } : [v];
        const r = validateLetter({ ...base, history: v }, { today: TODAY });
        expect(r.ok).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
