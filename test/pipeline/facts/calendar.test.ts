import { describe, expect, it } from 'vitest';
import { computeDeadline, getCalendar, isRestDay } from '../../../src/pipeline/facts/calendar.js';
import { deriveFacts } from '../../../src/pipeline/facts/derive.js';
import { parseLetter } from '../../../src/pipeline/schema/validate.js';
import { example, variant } from '../../helpers.js';

const cal = getCalendar();

describe('deadlines (letters.md)', () => {
  it.each([
    // issued, days, deadline, why
    ['2026-09-18', 7, '2026-09-28', 'day 7 is 中秋 09-25; 09-26/27 are rest days'],
    ['2026-09-24', 7, '2026-10-08', 'day 7 is 2026-10-01 (国庆) → first working day 10-08'],
    ['2026-11-14', 7, '2026-11-23', 'day 7 is Saturday 11-21 → Monday 11-23'],
    ['2026-11-28', 7, '2026-12-07', 'day 7 is Saturday 12-05 → Monday 12-07'],
    ['2026-11-27', 7, '2026-12-04', 'ordinary Friday'],
    ['2026-02-07', 7, '2026-02-14', 'day 7 is Saturday 02-14, a make-up working day'],
    ['2026-02-10', 7, '2026-02-24', 'day 7 is in 春节 → 02-24'],
    ['2026-04-29', 3, '2026-05-06', 'day 3 is 05-02 (劳动节) → 05-06'],
    ['2026-05-02', 7, '2026-05-09', 'day 7 is Saturday 05-09, a make-up working day'],
    ['2025-12-29', 3, '2026-01-04', 'day 3 is 元旦 → 01-04 is a make-up working day (Sunday)'],
  ])('%s + %i days → %s (%s)', (start, days, expected) => {
    const d = computeDeadline(cal, start, days);
    expect(d.date).toBe(expected);
  });

  it('says whether the last day was moved', () => {
    expect(computeDeadline(cal, '2026-09-18', 7)).toMatchObject({ date: '2026-09-28', extended: true });
    expect(computeDeadline(cal, '2026-11-27', 7)).toMatchObject({ date: '2026-12-04', extended: false });
  });

  it('reports a year with no holiday data instead of guessing', () => {
    const d = computeDeadline(cal, '2026-12-28', 7); // 2027-01-04, a Monday
    expect(d.date).toBe('2027-01-04');
    expect(d.unknownYears).toEqual([2027]);
  });

  it('puts that warning on the letter facts', () => {
    const input = variant(example('lawyer-letter'), (x) => {
      x.issueDate = '2026-12-28';
      x.asOf = '2026-12-28';
    });
    const { warnings, facts } = deriveFacts(parseLetter(input, { today: '2026-12-28' }));
    expect(facts.deadline?.iso).toBe('2027-01-04');
    expect(warnings.map((w) => w.code)).toEqual(['CALENDAR_YEAR_MISSING']);
  });

  it('knows weekends, holidays and make-up days', () => {
    expect(isRestDay(cal, '2026-10-01')).toBe(true);
    expect(isRestDay(cal, '2026-10-10')).toBe(false); // Saturday make-up day
    expect(isRestDay(cal, '2026-11-28')).toBe(true); // Saturday
    expect(isRestDay(cal, '2026-11-30')).toBe(false);
  });
});

describe('overdue days (formats.md)', () => {
  it('counts from the due date (exclusive) to as-of (inclusive)', () => {
    const { facts } = deriveFacts(parseLetter(example('lawyer-letter'), { today: '2026-11-28' }));
    expect(facts.overdueDays).toBe(11);
    expect(facts.debt.total.capitals).toBe('壹万贰仟肆佰贰拾陆元整');
    expect(facts.debtor.idMasked).toBe('110105********1239');
  });
});
