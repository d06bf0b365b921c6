/**
 * The guard on a repayment plan's own cost (compliance/plan-cost.ts): an offered plan whose rate
 * is above the contract's cap, and a confirmation whose instalments carry more interest than the
 * cap allows, are refused with PLAN_COST_OVER_CAP naming the field — even where over-cap charges
 * are configured as warnings. Plan settings are held to the strictest cap of any contract.
 */
import { describe, expect, it } from 'vitest';
import { planRateOverCap, strictestCap } from '../../../src/pipeline/compliance/plan-cost-cap.js';
import { getRates, type RateTable } from '../../../src/pipeline/compliance/rules.js';
import { composeLetter } from '../../../src/pipeline/compose.js';
import { HanjianError } from '../../../src/shared/errors.js';
import { example, variant } from '../../helpers.js';

const demand4 = example('demand', 4);
const confirmation2 = example('plan-confirmation', 2);
const compose = (input: unknown, options: Parameters<typeof composeLetter>[1] = {}) =>
  composeLetter(input, { today: (input as { issueDate: string }).issueDate, ...options });

function refusal(fn: () => unknown): HanjianError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HanjianError);
    return e as HanjianError;
  }
  throw new Error('expected a refusal');
}

/** The example moved to private lending (contract 2024-12-01: LPR 3.10 % → cap 12.4 %), its own charges under that cap. */
const privateLoan = (x: Record<string, any>) => {
  x.account = { ...x.account, lenderType: 'private', annualRate: '0.12', overdueDailyRate: '0.0003' };
  x.debt = { ...x.debt, overdueInterest: '200.00', penalty: '0.00' };
  delete x.debt.total;
};

describe("an offered plan against the contract's cap", () => {
  it("a licensed lender's plan at 10 % (and at the cap itself, 24 %) passes", () => {
    expect(() => compose(demand4)).not.toThrow();
    expect(() =>
      compose(
        variant(demand4, (x) => {
          x.plans.annualRateBp = 2400;
        }),
      ),
    ).not.toThrow();
  });

  it("refuses a private lender's plan at 13 %: above 4 × the LPR at contract formation (12.4 %)", () => {
    expect(() =>
      compose(
        variant(demand4, (x) => {
          privateLoan(x);
          x.plans.annualRateBp = 1240;
        }),
      ),
    ).not.toThrow();
    const e = refusal(() =>
      compose(
        variant(demand4, (x) => {
          privateLoan(x);
          x.plans.annualRateBp = 1300;
        }),
      ),
    );
    expect(e.code).toBe('COMPLIANCE');
    expect(e.issues).toEqual([expect.objectContaining({ code: 'PLAN_COST_OVER_CAP', path: 'plans.annualRateBp' })]);
    expect(e.issues[0]!.message).toContain('13%');
    expect(e.issues[0]!.message).toContain('12.4%');
    expect(e.issues[0]!.message).toContain('第二十五条');
  });

  it('is never a mere warning: chargesOverCap "warn" does not let an over-cap plan through', () => {
    const e = refusal(() =>
      compose(
        variant(demand4, (x) => {
          privateLoan(x);
          x.plans.annualRateBp = 1300;
        }),
        { compliance: { chargesOverCap: 'warn' } },
      ),
    );
    expect(e.issues.map((i) => i.code)).toEqual(['PLAN_COST_OVER_CAP']);
  });

  it('no rate above 24 % is accepted at all, and a rate needs interest to continue', () => {
    const e = refusal(() =>
      compose(
        variant(demand4, (x) => {
          x.plans.annualRateBp = 2401;
        }),
      ),
    );
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.issues.map((i) => i.path)).toContain('plans.annualRateBp');
    const stops = refusal(() =>
      compose(
        variant(demand4, (x) => {
          x.plans.interest = 'stops';
        }),
      ),
    );
    expect(stops.issues.map((i) => i.path)).toContain('plans.annualRateBp');
    const noRate = refusal(() =>
      compose(
        variant(demand4, (x) => {
          delete x.plans.annualRateBp;
        }),
      ),
    );
    expect(noRate.issues.map((i) => i.path)).toContain('plans.annualRateBp');
  });

  it('a version that says a plan costs nothing cannot carry one that costs something', () => {
    const e = refusal(() =>
      compose(
        variant(demand4, (x) => {
          x.template = 'demand@3';
        }),
      ),
    );
    expect(e.issues).toContainEqual(expect.objectContaining({ code: 'NOT_PRINTED', path: 'plans.interest' }));
    expect(() =>
      compose(
        variant(demand4, (x) => {
          x.template = 'demand@3';
          x.plans.interest = 'stops';
          delete x.plans.annualRateBp;
        }),
      ),
    ).not.toThrow();
  });
});

describe('a plan confirmation against the cap', () => {
  it('the example (10 %, interest computed by the schedule) passes', () => {
    expect(() => compose(confirmation2)).not.toThrow();
  });

  it('refuses instalments that carry more interest than the cap allows, whatever rate they state', () => {
    // The first instalment's interest ×10 (349.30 instead of 34.93): 422.38 on about 40 million fen-days ≈ 38 % a year.
    const tampered = variant(confirmation2, (x) => {
      x.plan.instalments[0] = { dueDate: '2026-12-30', amount: '3280.46', interest: '349.30' };
    });
    const e = refusal(() => compose(tampered));
    expect(e.issues).toEqual([expect.objectContaining({ code: 'PLAN_COST_OVER_CAP', path: 'plan.instalments' })]);
    expect(e.issues[0]!.message).toMatch(/年化 3\d\.\d+%/);
  });

  it("refuses a stated rate above the contract's cap, and a confirmation of a costed plan on a version that does not state cost", () => {
    // The debt stays as confirmed (its own charges only warned about here): the plan's rate is what is refused.
    const privateAccount = (x: Record<string, any>) => {
      x.account = { ...x.account, lenderType: 'private', annualRate: '0.12', overdueDailyRate: '0.0003' };
    };
    expect(() =>
      compose(variant(confirmation2, privateAccount), { compliance: { chargesOverCap: 'warn' } }),
    ).not.toThrow();
    const e = refusal(() =>
      compose(
        variant(confirmation2, (x) => {
          privateAccount(x);
          x.plan.cost.annualRateBp = 1300;
        }),
        { compliance: { chargesOverCap: 'warn' } },
      ),
    );
    expect(e.issues).toContainEqual(
      expect.objectContaining({ code: 'PLAN_COST_OVER_CAP', path: 'plan.cost.annualRateBp' }),
    );
    const v1 = refusal(() =>
      compose(
        variant(confirmation2, (x) => {
          x.template = 'plan-confirmation@1';
        }),
      ),
    );
    expect(v1.issues).toContainEqual(expect.objectContaining({ code: 'NOT_PRINTED', path: 'plan.cost' }));
  });

  it('instalments with interest need the cost, and their principal parts add up to what is owed', () => {
    const noCost = refusal(() =>
      compose(
        variant(confirmation2, (x) => {
          delete x.plan.cost;
        }),
      ),
    );
    expect(noCost.issues).toContainEqual(expect.objectContaining({ code: 'REQUIRED', path: 'plan.cost' }));
    const off = refusal(() =>
      compose(
        variant(confirmation2, (x) => {
          x.plan.instalments[2].interest = '23.14';
        }),
      ),
    );
    expect(off.issues).toContainEqual(
      expect.objectContaining({ code: 'PLAN_TOTAL_MISMATCH', path: 'plan.instalments' }),
    );
  });
});

describe('plan settings: the strictest cap of any contract', () => {
  it('today that is private lending at 4 × 3.00 % = 12 %: 12 % is saved, 12.01 % is refused naming annualRateBp', () => {
    expect(strictestCap(getRates(), '2026-11-29')!.scaled).toBe(12_000_000);
    expect(planRateOverCap({ interest: 'continues', annualRateBp: 1200 }, '2026-11-29')).toBeNull();
    expect(planRateOverCap({ interest: 'continues', annualRateBp: 1201 }, '2026-11-29')).toMatchObject({
      path: 'annualRateBp',
      code: 'PLAN_COST_OVER_CAP',
    });
    expect(planRateOverCap({ interest: 'stops' }, '2026-11-29')).toBeNull();
  });

  it("takes the lowest LPR since the rule took effect, not only today's: a contract made then keeps its cap", () => {
    const rates: RateTable = {
      ...getRates(),
      lpr: [
        { from: '2023-08-21', scaled: 3_450_000 },
        { from: '2025-05-20', scaled: 3_000_000 },
        { from: '2026-06-01', scaled: 3_500_000 },
      ],
    };
    expect(strictestCap(rates, '2026-11-29')!.scaled).toBe(12_000_000);
    expect(strictestCap(rates, '2025-01-01')!.scaled).toBe(13_800_000);
    expect(strictestCap({ lpr: [], caps: [] }, '2026-11-29')).toBeNull();
    expect(
      planRateOverCap({ interest: 'continues', annualRateBp: 500 }, '2026-11-29', { lpr: [], caps: [] }),
    ).toMatchObject({ code: 'CAP_UNKNOWN' });
  });
});
