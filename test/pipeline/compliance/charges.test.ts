/** Caps in total per period (issue 14): rates that run together and amounts the letter claims, against dated caps. */
import { describe, expect, it } from 'vitest';
import { capFor, checkCharges } from '../../../src/pipeline/compliance/charges.js';
import { getRates, type RateTable } from '../../../src/pipeline/compliance/rules.js';
import { parseLetter } from '../../../src/pipeline/schema/validate.js';
import { example, TODAY, variant } from '../../helpers.js';

const rates = getRates();
const data = (mutate: (x: any) => void) =>
  parseLetter(
    variant(example('lawyer-letter'), (x) => {
      delete x.debt.total;
      mutate(x);
    }),
    { today: TODAY },
  );
const codes = (mutate: (x: any) => void, table: RateTable = rates) =>
  checkCharges(data(mutate), table).map((i) => `${i.code} ${i.path}`);

describe('charges in total per period', () => {
  it('the example is within the cap', () => expect(codes(() => {})).toEqual([]));

  it('refuses contract interest through today plus overdue interest: each under 24 % alone, about 35 % together', () => {
    // 18 % a year plus 0.047 % a day (17.155 %) = 35.155 % in the overdue period.
    const running = (x: any) => {
      x.account.overdueDailyRate = '0.00047';
      x.account.contractRateAfterDue = 'continues';
    };
    expect(
      codes((x) => {
        x.account.overdueDailyRate = '0.00047';
      }),
    ).toEqual([]);
    const issues = checkCharges(data(running), rates);
    expect(issues.map((i) => i.path)).toEqual(['account.contractRateAfterDue']);
    expect(issues[0]!.message).toContain('35.155%');
  });

  it('adds the amounts as well: interest claimed through today plus overdue interest, annualised over the days each covers', () => {
    // No rates given, only amounts. 12,000 at 18 % from 2025-06-01 to 2026-11-28 (545 days) is 3,225.21;
    // overdue interest 62.00 over 11 days is 17.1 % a year; together 35.1 % in the overdue period.
    const amounts = (continues: boolean) => (x: any) => {
      delete x.account.annualRate;
      delete x.account.overdueDailyRate;
      x.debt.interest = '3225.21';
      x.debt.overdueInterest = '62.00';
      if (continues) x.account.contractRateAfterDue = 'continues';
    };
    expect(codes(amounts(true))).toEqual(['CHARGE_OVER_CAP debt']);
    // If the contract rate stops at the due date, 3,225.21 over the 534-day contract period is 18.4 % — lawful — and the overdue period alone is 17.1 %.
    expect(codes(amounts(false))).toEqual([]);
  });

  it('refuses interest that is too much for the days it covers', () => {
    expect(
      codes((x) => {
        x.debt.interest = '5000.00';
      }),
    ).toEqual(['CHARGE_OVER_CAP debt.interest']);
  });

  it('caps overdue interest, penalty and fees together', () => {
    expect(
      codes((x) => {
        x.debt.penalty = '200.00';
      }),
    ).toEqual(['CHARGE_OVER_CAP debt']);
  });

  it('takes the cap in force on the contract date from dated data, so a rule change is a data change', () => {
    const changed: RateTable = {
      ...rates,
      caps: [
        ...rates.caps,
        { lenderType: 'licensed', from: '2026-01-01', scaled: 15_000_000, basis: { zh: '测试上限', en: 'test cap' } },
      ],
    };
    expect(codes(() => {}, changed)).toEqual([]); // contract 2025-06-01: the 24 % entry applies
    expect(
      codes((x) => {
        x.account.contractDate = '2026-02-01';
      }, changed),
    ).toEqual([
      'CHARGE_OVER_CAP account.annualRate',
      'CHARGE_OVER_CAP account.overdueDailyRate',
      'CHARGE_OVER_CAP debt',
    ]);
    const cap = capFor(
      data((x) => {
        x.account.contractDate = '2026-02-01';
      }),
      changed,
    );
    expect(cap).toMatchObject({ scaled: 15_000_000 });
    expect(
      codes((x) => {
        x.account.contractDate = '2017-01-01';
      }),
    ).toEqual(['CAP_UNKNOWN account.contractDate']);
  });
});
