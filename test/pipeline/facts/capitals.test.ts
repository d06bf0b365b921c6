import { describe, expect, it } from 'vitest';
import { fenToCapitals } from '../../../src/pipeline/facts/capitals.js';
import { parseYuanToFen } from '../../../src/pipeline/schema/money.js';

// Every vector from shared/domain/formats.md; where two forms are accepted, both are listed.
const VECTORS: [string, string[]][] = [
  ['0.00', ['零元整']],
  ['0.05', ['伍分']],
  ['0.50', ['伍角', '伍角整']],
  ['10.05', ['壹拾元零伍分']],
  ['325.04', ['叁佰贰拾伍元零肆分']],
  ['1001.00', ['壹仟零壹元整']],
  ['1409.50', ['壹仟肆佰零玖元伍角']],
  ['6007.14', ['陆仟零柒元壹角肆分']],
  ['12000.00', ['壹万贰仟元整']],
  ['16409.02', ['壹万陆仟肆佰零玖元零贰分']],
  ['107000.53', ['壹拾万柒仟元零伍角叁分', '壹拾万零柒仟元伍角叁分']],
  ['1000001.00', ['壹佰万零壹元整']],
  ['10000010.00', ['壹仟万零壹拾元整']],
  ['100000000.00', ['壹亿元整']],
];

describe('fenToCapitals', () => {
  it.each(VECTORS)('%s → %s', (figures, accepted) => {
    const r = parseYuanToFen(figures);
    expect(r.ok).toBe(true);
    expect(accepted).toContain(fenToCapitals((r as { fen: number }).fen));
  });

  it('is consistent about the optional 零 (万 digit written, 元 digit before 角 not)', () => {
    expect(fenToCapitals(10700053)).toBe('壹拾万零柒仟元伍角叁分');
    expect(fenToCapitals(10000100)).toBe('壹拾万零壹元整');
    expect(fenToCapitals(10000000100)).toBe('壹亿零壹元整');
    expect(fenToCapitals(10001000000)).toBe('壹亿零壹万元整');
    expect(fenToCapitals(1000)).toBe('壹拾元整');
    expect(fenToCapitals(1242600)).toBe('壹万贰仟肆佰贰拾陆元整');
  });

  it('never uses the forbidden characters 一二两毛另', () => {
    for (let fen = 0; fen < 300000; fen += 997) expect(fenToCapitals(fen)).not.toMatch(/[一二两毛另]/);
  });

  it('rejects negative and fractional fen', () => {
    expect(() => fenToCapitals(-1)).toThrow(RangeError);
    expect(() => fenToCapitals(1.5)).toThrow(RangeError);
  });
});
