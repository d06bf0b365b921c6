import { describe, expect, it } from 'vitest';
import { parseRate, parseYuanToFen } from '../../../src/pipeline/schema/money.js';

describe('money → integer fen', () => {
  it.each([
    ['12000.00', 1200000],
    ['12000', 1200000],
    ['0.5', 50],
    ['0', 0],
    [12426, 1242600],
    [0.1, 10],
    [66.05, 6605],
    ['1000000000.00', 100000000000],
    [100000, 10000000],
  ] as const)('%j → %i fen', (v, fen) => expect(parseYuanToFen(v)).toEqual({ ok: true, fen }));

  it.each([
    ['12.345', 'MONEY_FORMAT'],
    ['-1', 'MONEY_NEGATIVE'],
    [-1, 'MONEY_NEGATIVE'],
    ['1e5', 'MONEY_FORMAT'],
    ['NaN', 'MONEY_FORMAT'],
    ['１２', 'MONEY_FORMAT'],
    [0.30000000000000004, 'MONEY_FORMAT'],
    ['', 'MONEY_FORMAT'],
    ['01.00', 'MONEY_FORMAT'],
    ['1,000.00', 'MONEY_FORMAT'],
    [' 12', 'MONEY_FORMAT'],
    ['1000000000.01', 'MONEY_RANGE'],
    [Infinity, 'MONEY_FORMAT'],
    [1e21, 'MONEY_FORMAT'],
    [true, 'MONEY_FORMAT'],
    [null, 'MONEY_FORMAT'],
  ] as const)('%j is rejected with %s', (v, code) => {
    const r = parseYuanToFen(v);
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.code).toBe(code);
  });
});

describe('rates', () => {
  it('parses exactly, scaled by 1e8', () => {
    expect(parseRate('0.18')).toEqual({ ok: true, scaled: 18_000_000 });
    expect(parseRate('0.0005')).toEqual({ ok: true, scaled: 50_000 });
    expect(parseRate('1.5').ok).toBe(false);
    expect(parseRate('18%').ok).toBe(false);
  });
});
