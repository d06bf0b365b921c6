import { describe, expect, it } from 'vitest';
import {
  dateArabic,
  dateHan,
  fenToFigures,
  fenToYuan,
  rateToPercent,
  yuanToFigures,
} from '../../../src/pipeline/facts/format.js';
import { maskBankAccount, maskIdNumber, maskMobile, maskName } from '../../../src/pipeline/facts/mask.js';
import { parseYuanToFen } from '../../../src/pipeline/schema/money.js';

describe('figures and dates', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [1242600, '12,426.00'],
    [100000000, '1,000,000.00'],
    [99999, '999.99'],
    [100000000000, '1,000,000,000.00'],
  ])('%i fen → %s', (fen, s) => expect(fenToFigures(fen)).toBe(s));

  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [1242600, '12426.00'],
    [100000000000, '1000000000.00'],
  ])('%i fen on the wire → %s, read back exactly, written for people with separators', (fen, s) => {
    expect(fenToYuan(fen)).toBe(s);
    expect(parseYuanToFen(s)).toEqual({ ok: true, fen });
    expect(yuanToFigures(s)).toBe(fenToFigures(fen));
  });

  it('writes dates in both styles, 〇 never 零', () => {
    expect(dateArabic('2026-11-28')).toBe('2026年11月28日');
    expect(dateArabic('2026-01-05')).toBe('2026年1月5日');
    expect(dateHan('2026-11-28')).toBe('二〇二六年十一月二十八日');
    expect(dateHan('2030-10-10')).toBe('二〇三〇年十月十日');
    expect(dateHan('2026-01-31')).toBe('二〇二六年一月三十一日');
    expect(dateHan('2026-11-28')).not.toMatch(/[零O]/);
  });

  it('writes rates as percentages', () => {
    expect(rateToPercent(18_000_000)).toBe('18%');
    expect(rateToPercent(50_000)).toBe('0.05%');
    expect(rateToPercent(24_000_000)).toBe('24%');
  });
});

describe('masking', () => {
  it('masks per letters.md', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskMobile('13800138000')).toBe('138****8000');
    expect(maskBankAccount('6222021234567890123')).toBe('622202*********0123');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('阿依古丽·买买提')).toBe('阿******提');
    expect(maskName('𠮷田')).toBe('𠮷*');
  });
});
