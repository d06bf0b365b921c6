/**
 * Caps as a court computes them (issue 27): the total cost of the actual cash flows annualised
 * over the principal in use (人民银行公告〔2021〕第3号, simple interest), rates against the cap of
 * the time they run in, LPR history from 2019-08-20, and the transitional rule for private
 * contracts made before 2020-08-20 (法释〔2020〕17号 第三十一条).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annualisedCost, capFor, checkCharges } from '../../../src/pipeline/compliance/charges.js';
import { getRates, type RateTable } from '../../../src/pipeline/compliance/rules.js';
import { parseLetter } from '../../../src/pipeline/schema/validate.js';
import { example, TODAY, variant } from '../../helpers.js';

const rates = getRates();
const data = (mutate: (x: any) => void) =>
  parseLetter(
    variant(example('lawyer-letter'), (x) => {
      delete x.debt.total;
      delete x.terms; // one instalment: the whole principal due on the due date
      mutate(x);
    }),
    { today: TODAY },
  );
const codes = (mutate: (x: any) => void, table: RateTable = rates) =>
  checkCharges(data(mutate), table).map((i) => `${i.code} ${i.path}`);

describe('the total cost against the cap', () => {
  it('the example is within the cap', () => expect(codes(() => {})).toEqual([]));

  it('refuses contract interest through today plus overdue interest: each under 24 % alone, about 35 % together', () => {
    const running = (x: any) => {
      x.account.overdueDailyRate = '0.00047';
      x.account.contractRateAfterDue = 'continues';
    };
    expect(codes((x) => (x.account.overdueDailyRate = '0.00047'))).toEqual([]);
    const issues = checkCharges(data(running), rates);
    expect(issues.map((i) => i.path)).toEqual(['account.contractRateAfterDue']);
    expect(issues[0]!.message).toContain('35.155%');
  });

  it('fees charged before the due date count over the whole time the principal was in use, not over the overdue days', () => {
    // 600.00 of fees on 12,000.00 with 11 days overdue: piecewise, 600 × 365 / (12,000 × 11) = 166 %;
    // over the 545 days the principal was in use, with the rest of the cost, about 8.9 %.
    expect(codes((x) => (x.debt.fees = '600.00'))).toEqual([]);
    // 24 % over 545 days on 12,000.00 is 4,300.27: the example's 426.00 plus 3,874.27 is lawful, one fen more is not.
    expect(codes((x) => (x.debt.penalty = '3874.27'))).toEqual([]);
    expect(codes((x) => (x.debt.penalty = '3874.28'))).toEqual(['CHARGE_OVER_CAP debt']);
  });

  it('no absurd figure on a short period: simple annualisation of the actual days', () => {
    // A one-month loan with a 100.00 fee and 3 days overdue: (100 + 6) × 365 / (1,000 × 34) ≈ 113.8 %, never 34,474 %.
    const issues = checkCharges(
      data((x) => {
        x.account = { ...x.account, contractDate: '2026-10-25', dueDate: '2026-11-25', annualRate: '0.0' };
        x.debt = { principal: '1000.00', interest: '0.00', overdueInterest: '1.50', fees: '100.00' };
      }),
      rates,
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/折合年化 1[0-9]{2}\.[0-9]+%/);
    expect(annualisedCost(10150, 1000_00n * 34n)).toBe(Math.floor((10150 * 365 * 1e8) / (100000 * 34)));
  });

  it('decides exactly: a cost is over the cap iff cost × 365 exceeds 24 % of the principal-days (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), (extra) => {
        const d = data((x) => {
          x.account.annualRate = '0.0';
          x.account.overdueDailyRate = '0.0';
          x.debt.interest = '0.00';
          x.debt.overdueInterest = '0.00';
          x.debt.fees = (extra / 100).toFixed(2);
        });
        const over = checkCharges(d, rates).some((i) => i.path === 'debt');
        // 12,000.00 for 545 days.
        expect(over).toBe(BigInt(extra) * 365n * 100_000_000n > 1_200_000n * 545n * 24_000_000n);
      }),
      { numRuns: 200 },
    );
  });

  it('instalment sales are not lending: no lending cap', () => {
    expect(
      codes((x) => {
        x.account.contractType = 'instalment-sale';
        x.debt.penalty = '9000.00';
      }),
    ).toEqual([]);
  });
});

describe('private lending: LPR history and the transitional rule', () => {
  const privateLoan = (contractDate: string, annualRate: string) => (x: any) => {
    x.account = { ...x.account, lenderType: 'private', contractDate, annualRate, overdueDailyRate: '0.0002' };
    x.debt.interest = '0.00';
    x.debt.overdueInterest = '26.40';
  };

  it('a private loan of 2022-05 gets 4 × the LPR then in force (3.70 % → 14.8 %)', () => {
    const cap = capFor(data(privateLoan('2022-05-10', '0.14')), rates);
    expect(cap).toMatchObject({ scaled: 14_800_000 });
    expect(codes(privateLoan('2022-05-10', '0.14'))).toEqual([]);
    expect(codes(privateLoan('2022-05-10', '0.15'))).toEqual(['CHARGE_OVER_CAP account.annualRate']);
    // 2019-08-20, the first LPR: 4.25 % → 17 %.
    expect(capFor(data(privateLoan('2020-08-20', '0.1')), rates)).toMatchObject({ scaled: 15_400_000 });
  });

  it('a private loan of 2019-10 gets 24 % to 2020-08-19, then 4 × the LPR at filing (the as-of date stands in)', () => {
    const cap = capFor(data(privateLoan('2019-10-15', '0.2')), rates);
    expect(cap).toMatchObject({
      scaled: 12_000_000,
      periods: [{ until: '2020-08-19', scaled: 24_000_000 }, { scaled: 12_000_000 }],
    });
    if ('error' in cap) throw new Error('no cap');
    expect(cap.zh).toContain('第三十一条');
    expect(cap.zh).toContain('法释〔2020〕17号');
    // 20 % runs past 2020-08-20 (to the due date 2026-11-17): above 12 % for that time.
    expect(codes(privateLoan('2019-10-15', '0.2'))).toEqual(['CHARGE_OVER_CAP account.annualRate']);
    // A loan repaid by 2020-08-19 at 20 % is within the 24 % of its time.
    expect(
      codes((x) => {
        privateLoan('2019-10-15', '0.2')(x);
        x.account.dueDate = '2020-06-30';
        x.asOf = '2020-07-10';
        x.issueDate = '2026-11-28';
        x.debt.overdueInterest = '24.00';
      }),
    ).toEqual([]);
  });

  it('the amounts too: 24 % allowed only on the days before 2020-08-20', () => {
    // 12,000.00 from 2019-10-15 to 2026-11-28: 309 days at 24 %, 2,292 days at 12 %.
    const allowed = Math.floor((1_200_000 * (309 * 24 + 2292 * 12)) / 36500);
    const at = (fen: number) =>
      codes((x) => {
        privateLoan('2019-10-15', '0.0')(x);
        x.account.overdueDailyRate = '0.0';
        x.debt.overdueInterest = '0.00';
        x.debt.interest = (fen / 100).toFixed(2);
      });
    expect(at(allowed)).toEqual([]);
    expect(at(allowed + 1)).toEqual(['CHARGE_OVER_CAP debt']);
  });

  it('a contract before any cap in the data is reported, not guessed', () => {
    expect(codes((x) => (x.account.contractDate = '2017-01-01'))).toEqual(['CAP_UNKNOWN account.contractDate']);
    expect(codes(privateLoan('2015-01-01', '0.1'))).toEqual(['CAP_UNKNOWN account.contractDate']);
  });

  it('takes the cap in force on the contract date from dated data, so a rule change is a data change', () => {
    const changed: RateTable = {
      ...rates,
      caps: [
        ...rates.caps,
        { lenderType: 'licensed', from: '2026-01-01', scaled: 15_000_000, basis: { zh: '测试上限', en: 'test cap' } },
      ],
    };
    expect(codes(() => {}, changed)).toEqual([]);
    expect(codes((x) => (x.account.contractDate = '2026-02-01'), changed)).toEqual([
      'CHARGE_OVER_CAP account.annualRate',
      'CHARGE_OVER_CAP account.overdueDailyRate',
    ]);
  });

  it('quotes 法发〔2017〕22号 第二条 and 民间借贷规定 第二十八条 in the data, with their sources', () => {
    const quotes = rates.caps.flatMap((c) => c.quotes ?? []);
    expect(quotes.map((q) => q.cite)).toEqual(
      expect.arrayContaining(['法发〔2017〕22号 第二条', '民间借贷规定 第二十八条第一款', '民间借贷规定 第三十一条']),
    );
    expect(quotes.find((q) => q.cite === '法发〔2017〕22号 第二条')!.text).toContain(
      '请求对总计超过年利率24%的部分予以调减的，应予支持',
    );
    for (const q of quotes) expect(q.source).not.toBe('');
  });
});
