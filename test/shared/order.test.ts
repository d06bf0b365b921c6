import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInCatalog } from '../../src/pipeline/index.js';
import { byCodeUnits } from '../../src/shared/order.js';

const sign = (n: number) => Math.sign(n);
const date = fc
  .date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const kind = fc.stringMatching(/^[a-z]{1,8}(?:-[a-z]{1,8}){0,2}$/);
const id = fc.tuple(kind, fc.integer({ min: 1, max: 10_000 })).map(([k, v]) => `${k}@${v}`);

describe('byCodeUnits (issue 31: no ICU collation on a preview’s path)', () => {
  it('orders ISO dates as localeCompare does', () => {
    fc.assert(
      fc.property(date, date, (a, b) => sign(byCodeUnits(a, b)) === sign(a.localeCompare(b))),
      {
        numRuns: 2000,
      },
    );
  });

  it('orders template ids (kind@version) as localeCompare does, the built-in ones among them', () => {
    fc.assert(
      fc.property(id, id, (a, b) => sign(byCodeUnits(a, b)) === sign(a.localeCompare(b))),
      { numRuns: 2000 },
    );
    const ids = builtInCatalog().versions.map((v) => v.id);
    expect([...ids].sort(byCodeUnits)).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
  });
});
