/**
 * Issue 27, through the library: figures a court would recompute and get the same — deadlines in
 * years without a notice, private loans of 2022-05 and 2019-10, a wrong overdue-interest figure,
 * an instalment sale below one fifth, every example's figures, and the smaller statements.
 */
import { describe, expect, it } from 'vitest';
import { composeLetter } from '../../src/pipeline/compose.js';
import { statutoryHolidays } from '../../src/pipeline/facts/statutory.js';
import { previewLetter, renderText, summarize, validate } from '../../src/pipeline/index.js';
import { addDays, weekday } from '../../src/pipeline/schema/dates.js';
import { getCatalog } from '../../src/pipeline/templates/catalog.js';
import { HanjianError } from '../../src/shared/errors.js';
import { example, variant } from '../helpers.js';

function caught(fn: () => unknown): HanjianError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HanjianError) return e;
    throw e;
  }
  throw new Error('expected a HanjianError');
}

/** The lawyer-letter@2 example (counts from the issue date) issued on `day`, with overdue interest that follows. */
const issuedOn = (day: string, days = 7) =>
  variant(example('lawyer-letter', 2), (x) => {
    x.issueDate = day;
    x.asOf = day;
    x.engagement.date = day;
    x.demand.days = days;
    x.debt.overdueInterest = (
      (12000 * 0.0005 * Math.round((Date.parse(day) - Date.parse('2026-11-17')) / 864e5)) as number
    ).toFixed(2);
    delete x.debt.total;
    delete x.template;
    delete x.letterNo;
  });

describe('deadlines around 元旦, 春节 and 清明 of 2027 and 2028 (no notice yet)', () => {
  it.each([
    ['2026-12-26', 6], // day 6 is 2027-01-01, 元旦
    ['2027-01-29', 7], // day 7 is 2027-02-05, 除夕
    ['2027-02-01', 7], // day 7 is 2027-02-08, 初三
    ['2027-03-29', 7], // day 7 is 2027-04-05, 清明
    ['2027-12-25', 7], // day 7 is 2028-01-01, 元旦 on a Saturday
    ['2028-01-18', 7], // day 7 is 2028-01-25, 除夕
    ['2028-03-28', 7], // day 7 is 2028-04-04, 清明
  ])(
    'issued %s with %i days: never due on a statutory holiday, later than the plain count, with a warning naming the year',
    (day, days) => {
      const s = summarize(issuedOn(day, days), { today: day });
      const deadline = s.deadline!;
      const year = Number(deadline.slice(0, 4));
      expect(statutoryHolidays(year).flatMap((h) => h.days)).not.toContain(deadline);
      expect([0, 6]).not.toContain(weekday(deadline));
      expect(deadline > addDays(day, days)).toBe(true);
      expect(s.warnings.find((w) => w.code === 'CALENDAR_YEAR_MISSING')!.message).toContain(`${year} 年`);
    },
  );

  it('春节 2027 as a whole week: a deadline falling on 除夕 moves past 初七 and the weekend', () => {
    expect(summarize(issuedOn('2027-01-29'), { today: '2027-01-29' }).deadline).toBe('2027-02-15');
  });

  it('the 2026 deadlines stay as the notice makes them', () => {
    expect(summarize(issuedOn('2026-12-01'), { today: '2026-12-01' }).deadline).toBe('2026-12-08');
  });
});

describe('a deadline that starts when the letter arrives (lawyer-letter@5, demand@5)', () => {
  it('leaves the demanded days after the expected receipt for the channel', () => {
    const lawyer = example('lawyer-letter', 5);
    const text = renderText(lawyer, { today: lawyer.issueDate });
    // EMS: expected by 12-21, + 7 days → 12-28.
    expect(text).toContain('预计于2026年12月21日前送达');
    expect(text).toContain('请您于2026年12月28日24时前');
    const electronic = summarize({ ...lawyer, delivery: 'electronic' }, { today: lawyer.issueDate });
    expect(electronic.deadline).toBe('2026-12-24');
    const demand = example('demand', 5);
    expect(summarize(demand, { today: demand.issueDate }).deadline).toBe('2026-12-29'); // registered mail: 12-22 + 7
  });
});

describe('caps for private loans of 2022-05 and 2019-10', () => {
  const privateLoan = (contractDate: string, annualRate: string) =>
    variant(example('lawyer-letter', 2), (x) => {
      // 0.04 % a day is 14.6 % a year: under the 2022-05 cap.
      x.account = { ...x.account, lenderType: 'private', contractDate, annualRate, overdueDailyRate: '0.0004' };
      x.debt.overdueInterest = '67.20';
      delete x.debt.total;
      x.terms = { schedule: [{ dueDate: '2026-11-17', principal: '12000.00', interest: '360.00' }] };
    });

  it('2022-05: 4 × the LPR then (3.70 %) = 14.8 %, not LPR_UNKNOWN', () => {
    expect(() => composeLetter(privateLoan('2022-05-10', '0.148'), { today: '2026-12-01' })).not.toThrow();
    const e = caught(() => composeLetter(privateLoan('2022-05-10', '0.15'), { today: '2026-12-01' }));
    expect(e.issues.map((i) => i.code)).toContain('CHARGE_OVER_CAP');
    expect(e.issues.find((i) => i.code === 'CHARGE_OVER_CAP')!.message).toContain('14.8%');
  });

  it('2019-10: the transitional rule of 法释〔2020〕17号 第三十一条', () => {
    const e = caught(() => composeLetter(privateLoan('2019-10-15', '0.2'), { today: '2026-12-01' }));
    const over = e.issues.find((i) => i.code === 'CHARGE_OVER_CAP')!;
    expect(over.message).toContain('第三十一条');
    expect(over.message).toContain('24%');
  });
});

describe('figures that reconcile', () => {
  const wrong = variant(example('lawyer-letter', 3), (x) => {
    x.debt.overdueInterest = '84.00'; // 29 days at 0.05 % of 12,000.00 is 174.00
    delete x.debt.total;
  });

  it('a 29-day overdue with a wrong overdue-interest figure: a warning in a preview, refused at issue', async () => {
    const p = await previewLetter(wrong, { today: '2026-12-16' });
    expect(p.warnings.find((w) => w.code === 'FIGURES_MISMATCH')!.message).toContain('174.00');
    const e = caught(() => composeLetter(wrong, { today: '2026-12-16', issue: true }));
    expect(e.issues).toContainEqual(
      expect.objectContaining({ code: 'FIGURES_MISMATCH', path: 'debt.overdueInterest' }),
    );
  });

  it('unless the input states another basis; the letter then says so instead of a formula', () => {
    const ledger = variant(wrong, (x) => {
      x.debt.basis = 'ledger';
      x.template = 'lawyer-letter@5';
    });
    const c = composeLetter(ledger, { today: '2026-12-16', issue: true });
    expect(c.warnings.map((w) => w.code)).toContain('FIGURES_MISMATCH');
    expect(c.text).toContain('以上利息和逾期利息依据委托人的账务记录列示');
    expect(c.text).not.toContain('×日利率');
  });

  it('every example of every version composes as an issued letter', () => {
    for (const v of getCatalog().versions) {
      const x = v.example as { issueDate: string };
      const c = composeLetter(x, { today: x.issueDate, issue: true });
      expect(
        c.warnings.map((w) => w.code).filter((code) => code !== 'CALENDAR_YEAR_MISSING'),
        v.id,
      ).toEqual([]);
    }
  });

  it('the debt table shows its basis (本金 × 日利率 × 天数), and payments as 第五百六十一条 applies them unless agreed otherwise', () => {
    const x = variant(example('lawyer-letter', 5), (y) => {
      y.debt.paid = '174.00';
      y.debt.total = '12360.00';
      y.terms.payments = [{ date: '2026-12-16', amount: '174.00' }];
    });
    const text = renderText(x, { today: x.issueDate });
    expect(text).toContain('逾期利息：12,000.00元×日利率0.05%×29天（2026年11月18日至2026年12月16日）＝174.00元');
    expect(text).toContain(
      '除合同另有约定外，依照《中华人民共和国民法典》第五百六十一条依次抵充实现债权的有关费用、利息和主债务',
    );
    expect(text).not.toContain('分期本金');
  });

  it('says the contract rate keeps running after the due date when it does', () => {
    const x = variant(example('lawyer-letter', 5), (y) => {
      y.account.contractRateAfterDue = 'continues';
      y.account.overdueDailyRate = '0.0001';
      y.debt.interest = '531.62'; // 360.00 scheduled + 12,000.00 × 18 % × 29 / 365 = 171.62
      y.debt.overdueInterest = '34.80';
      delete y.debt.total;
    });
    const text = renderText(x, { today: x.issueDate });
    expect(text).toContain('到期后合同约定的年利率18%继续计收，与逾期利息同时计算');
  });
});

describe('instalment sales', () => {
  const sale = (s: Record<string, unknown>, principal = '3000.00') =>
    variant(example('lawyer-letter', 5), (x) => {
      x.account.contractType = 'instalment-sale';
      x.debt = { principal, interest: '0.00', overdueInterest: '0.00' };
      x.terms = { schedule: [{ dueDate: '2026-11-17', principal }] };
      delete x.plans;
      x.sale = s;
    });

  it('below one fifth: a demand for the whole price is refused', () => {
    const r = validate(
      sale(
        {
          totalPrice: '20000.00',
          instalments: 10,
          unpaidDue: '3000.00',
          accelerate: true,
          priorDemand: { date: '2026-11-20', deadline: '2026-11-30' },
        },
        '12000.00',
      ),
      { today: '2026-12-16' },
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues).toContainEqual(
        expect.objectContaining({ path: 'sale.accelerate', code: 'ACCELERATION_NOT_ALLOWED' }),
      );
  });

  it('more than is due without acceleration is refused; with its conditions met the letter says why', () => {
    const more = validate(sale({ totalPrice: '20000.00', instalments: 10, unpaidDue: '3000.00' }, '12000.00'), {
      today: '2026-12-16',
    });
    expect(more.ok ? [] : more.issues.map((i) => i.code)).toContain('PRICE_NOT_DUE');
    const ok = sale(
      {
        totalPrice: '20000.00',
        instalments: 10,
        unpaidDue: '4000.00',
        accelerate: true,
        priorDemand: { date: '2026-11-20', deadline: '2026-11-30' },
      },
      '12000.00',
    );
    const text = renderText(ok, { today: '2026-12-16' });
    expect(text).toContain('全部未付价款');
    expect(text).toContain('委托人据此请求您支付全部未付价款');
    expect(text).not.toMatch(/借款|本金/);
  });

  it("a seller's damages are not capped as lending interest; above 130 % of the loss they get a warning", () => {
    const x = variant(sale({ totalPrice: '20000.00', instalments: 10, unpaidDue: '3000.00' }), (y) => {
      y.debt.penalty = '2000.00';
    });
    const c = composeLetter(x, { today: '2026-12-16' });
    expect(c.warnings.map((w) => w.code)).toContain('SALE_DAMAGES_EXCESSIVE');
    expect(c.warnings.map((w) => w.code)).not.toContain('CHARGE_OVER_CAP');
  });

  it('the contract type is required: refused at issue when left out, and a newer version requires it', () => {
    const x = variant(example('lawyer-letter', 2), (y) => delete y.account.contractType);
    expect(composeLetter(x, { today: x.issueDate }).warnings.map((w) => w.code)).toContain('CONTRACT_TYPE_REQUIRED');
    expect(caught(() => composeLetter(x, { today: x.issueDate, issue: true })).issues).toContainEqual(
      expect.objectContaining({ path: 'account.contractType' }),
    );
    const y = variant(example('lawyer-letter', 5), (z) => delete z.account.contractType);
    expect(caught(() => composeLetter(y, { today: y.issueDate })).issues).toContainEqual(
      expect.objectContaining({ path: 'account.contractType', code: 'REQUIRED' }),
    );
  });
});

describe('the anti-fraud warning passes the guard; diversion does not', () => {
  const withNote = (note: string) =>
    variant(example('demand', 5), (x) => {
      x.relief = { ...(x.relief ?? {}), note };
    });
  it('“请谨防骗子，切勿向任何个人账户转账。”', () => {
    expect(() =>
      composeLetter(withNote('请谨防骗子，切勿向任何个人账户转账。'), { today: '2026-12-15' }),
    ).not.toThrow();
  });
  it('a diversion is still refused', () => {
    const e = caught(() => composeLetter(withNote('请将欠款转入个人账户。'), { today: '2026-12-15' }));
    expect(e.issues.map((i) => i.message).join(' ')).toContain('个人');
  });
});
