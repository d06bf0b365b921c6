/**
 * The dispute receipt number read out on the phone: nine digits in three groups, random, and a
 * check digit that catches every single wrong digit and every swap of two neighbours — what
 * mishearing and mistyping do.
 */
import { describe, expect, it } from 'vitest';
import { newReceiptNo, receiptNoOf } from '../../src/debtors/receipt-number.js';

describe('receipt numbers', () => {
  it('are nine digits grouped 3-3-3, valid, and all but a rare few distinct in 2,000 draws', () => {
    const drawn = Array.from({ length: 2_000 }, newReceiptNo);
    for (const r of drawn) {
      expect(r).toMatch(/^\d{3}-\d{3}-\d{3}$/);
      expect(receiptNoOf(r)).toBe(r);
    }
    // 2,000 draws from 10^8 repeat one about 2 % of the time (the birthday bound): the service draws
    // again on a clash (debtors.ts). Three repeats or more (about one run in a million) mean the
    // numbers are not random.
    expect(new Set(drawn).size).toBeGreaterThanOrEqual(drawn.length - 2);
  });

  it('read back as heard: spaces, no separators, full-width digits', () => {
    const r = newReceiptNo();
    const digits = r.replace(/-/g, '');
    expect(receiptNoOf(digits)).toBe(r);
    expect(receiptNoOf(` ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)} `)).toBe(r);
    expect(receiptNoOf(digits.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))))).toBe(r);
    expect(receiptNoOf(digits.slice(1))).toBeNull();
    expect(receiptNoOf('ABC-DEF-GHI')).toBeNull();
  });

  it('refuse every single wrong digit and every swap of two different neighbours', () => {
    for (let n = 0; n < 50; n++) {
      const digits = newReceiptNo().replace(/-/g, '');
      for (let i = 0; i < 9; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === digits[i]) continue;
          const wrong = `${digits.slice(0, i)}${d}${digits.slice(i + 1)}`;
          expect(receiptNoOf(wrong), `${digits} → ${wrong}`).toBeNull();
        }
        if (i < 8 && digits[i] !== digits[i + 1]) {
          const swapped = `${digits.slice(0, i)}${digits[i + 1]}${digits[i]}${digits.slice(i + 2)}`;
          expect(receiptNoOf(swapped), `${digits} → ${swapped}`).toBeNull();
        }
      }
    }
  });
});
