/** Issue 27 §1: a calendar for every year a letter touches. */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { LunarDay, type SolarDay, SolarTerm } from 'tyme4ts';
import { describe, expect, it } from 'vitest';
import {
  addNotice,
  computeDeadline,
  dayKind,
  getCalendar,
  isRestDay,
  loadCalendar,
} from '../../../src/pipeline/facts/calendar.js';
import { checkNotice, noticeRestDays, noticeSchema } from '../../../src/pipeline/facts/notice.js';
import { conservativeRestDays, lunarDates, statutoryHolidays } from '../../../src/pipeline/facts/statutory.js';
import { addDays, weekday } from '../../../src/pipeline/schema/dates.js';
import { diskCacheDir, setDiskCacheDir } from '../../../src/pipeline/templates/disk-cache.js';
import { ROOT } from '../../helpers.js';

const cal = getCalendar();
const statutoryDays = (y: number) => statutoryHolidays(y).flatMap((h) => h.days);

describe('the lunar dates of a year (issue 31: kept in the disk cache)', () => {
  it('are tyme4ts’s, 2014–2100, and are written to the cache (test/pipeline/templates/disk-cache.test.ts reads them back)', () => {
    const iso = (d: SolarDay) =>
      `${d.getYear()}-${String(d.getMonth()).padStart(2, '0')}-${String(d.getDay()).padStart(2, '0')}`;
    const before = diskCacheDir();
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-lunar-'));
    setDiskCacheDir(dir);
    try {
      for (let year = 2014; year <= 2100; year++)
        expect(lunarDates(year), String(year)).toEqual({
          newYear: iso(LunarDay.fromYmd(year, 1, 1).getSolarDay()),
          qingming: iso(SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay()),
          duanwu: iso(LunarDay.fromYmd(year, 5, 5).getSolarDay()),
          midAutumn: iso(LunarDay.fromYmd(year, 8, 15).getSolarDay()),
        });
    } finally {
      setDiskCacheDir(before);
    }
  });
});

describe('statutory holidays (《全国年节及纪念日放假办法》)', () => {
  it('2024 rules from 2025: 除夕 to 初三, 清明 from the solar term, 劳动节 two days', () => {
    expect(Object.fromEntries(statutoryHolidays(2027).map((h) => [h.name, h.days]))).toEqual({
      元旦: ['2027-01-01'],
      春节: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'],
      清明节: ['2027-04-05'],
      劳动节: ['2027-05-01', '2027-05-02'],
      端午节: ['2027-06-09'],
      中秋节: ['2027-09-15'],
      国庆节: ['2027-10-01', '2027-10-02', '2027-10-03'],
    });
    expect(statutoryHolidays(2028).find((h) => h.name === '春节')!.days[0]).toBe('2028-01-25');
    expect(statutoryHolidays(2028).find((h) => h.name === '清明节')!.days).toEqual(['2028-04-04']);
    // 2013 rules: 初一 to 初三, one day for 劳动节.
    expect(statutoryHolidays(2024).find((h) => h.name === '春节')!.days).toEqual([
      '2024-02-10',
      '2024-02-11',
      '2024-02-12',
    ]);
    expect(statutoryHolidays(2024).find((h) => h.name === '劳动节')!.days).toEqual(['2024-05-01']);
  });

  it('the 2025 and 2026 notices are loaded, and each passes its own statutory check', () => {
    expect([...cal.notices.keys()].sort()).toEqual(expect.arrayContaining([2025, 2026]));
    for (const n of cal.notices.values()) {
      expect(checkNotice(n)).toEqual([]);
      expect(n.source).toMatch(/国务院办公厅关于\d{4}年部分节假日安排的通知/);
    }
    expect(isRestDay(cal, '2025-01-28')).toBe(true); // 除夕
    expect(isRestDay(cal, '2025-01-26')).toBe(false); // Sunday make-up day
    expect(isRestDay(cal, '2025-10-08')).toBe(true);
  });

  it('without a notice, every day a notice gave off under the 2024 rules is a rest day (checked against 2025 and 2026)', () => {
    for (const y of [2025, 2026]) {
      const conservative = conservativeRestDays(y);
      for (const d of noticeRestDays(cal.notices.get(y)!)) {
        if (!d.startsWith(String(y))) continue;
        const weekend = weekday(d) === 0 || weekday(d) === 6;
        expect(conservative.has(d) || weekend, `${d} given off by the ${y} notice`).toBe(true);
      }
    }
  });

  it('春节 and 国庆 as whole weeks, 中秋 merged with 国庆 when it falls in it', () => {
    const c2027 = conservativeRestDays(2027);
    for (let d = '2027-02-05'; d <= '2027-02-12'; d = addDays(d, 1)) expect(c2027.has(d), d).toBe(true);
    for (let d = '2027-10-01'; d <= '2027-10-07'; d = addDays(d, 1)) expect(c2027.has(d), d).toBe(true);
    const c2028 = conservativeRestDays(2028); // 中秋 2028-10-03
    for (let d = '2028-10-01'; d <= '2028-10-08'; d = addDays(d, 1)) expect(c2028.has(d), d).toBe(true);
    expect(c2027.has('2027-06-09')).toBe(true); // 端午 on a Wednesday: that day only
    expect(c2027.has('2027-06-08') || c2027.has('2027-06-10')).toBe(false);
  });
});

describe('deadlines in years without a notice (conservative, with a warning naming the year)', () => {
  it.each([
    // issued, days, deadline, why
    ['2027-01-29', 7, '2027-02-15', '02-05 is 除夕; 春节 as a week to 02-12, then the weekend'],
    ['2026-12-25', 7, '2027-01-04', '2027-01-01 元旦 (Friday) and the weekend'],
    ['2027-03-29', 7, '2027-04-06', '04-05 is 清明 (Monday), the weekend before it too'],
    ['2027-12-25', 7, '2028-01-04', '2028-01-01 元旦 on a Saturday: made up on Monday 01-03'],
    ['2028-01-18', 7, '2028-02-02', '除夕 2028-01-25: 01-22 to 02-01 at rest'],
    ['2028-03-28', 7, '2028-04-05', '清明 2028-04-04 (Tuesday) bridged from the weekend'],
  ])('%s + %i days → %s (%s)', (start, days, expected) => {
    const d = computeDeadline(cal, start, days);
    expect(d.date).toBe(expected);
    expect(d.unknownYears).toEqual([Number(expected.slice(0, 4))]);
  });

  it('never lands on a statutory holiday or a weekend, and never before the plain count (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 * 366 }), fc.integer({ min: 1, max: 30 }), (offset, days) => {
        const start = addDays('2027-01-01', offset);
        const d = computeDeadline(cal, start, days);
        const y = Number(d.date.slice(0, 4));
        expect(statutoryDays(y)).not.toContain(d.date);
        expect([0, 6]).not.toContain(weekday(d.date));
        expect(d.date >= addDays(start, days)).toBe(true);
        expect(dayKind(cal, d.date)).toBe('work');
      }),
    );
  });
});

describe('hanjian calendar add: a notice is validated, then added', () => {
  const notice2027 = {
    year: 2027,
    source: '国务院办公厅关于2027年部分节假日安排的通知（测试数据）',
    restDays: [
      ['2027-01-01', '2027-01-03'],
      ['2027-02-05', '2027-02-12'],
      ['2027-04-03', '2027-04-05'],
      ['2027-05-01', '2027-05-05'],
      ['2027-06-09', '2027-06-09'],
      ['2027-09-15', '2027-09-15'],
      ['2027-10-01', '2027-10-07'],
    ],
    workDays: ['2027-02-13', '2027-10-09'],
  };

  it('refuses a notice that leaves a statutory day as a working day, or a weekday as a make-up day', () => {
    const missing = noticeSchema.parse({
      ...notice2027,
      restDays: notice2027.restDays.filter((r) => r[0] !== '2027-02-05'),
    });
    expect(checkNotice(missing).map((p) => p.path)).toContain('restDays');
    expect(checkNotice(missing)[0]!.zh).toContain('春节');
    const weekdayWork = noticeSchema.parse({ ...notice2027, workDays: ['2027-02-17'] });
    expect(checkNotice(weekdayWork).map((p) => p.path)).toEqual(['workDays.0']);
    expect(checkNotice(noticeSchema.parse(notice2027))).toEqual([]);
  });

  it('adds it to the file; the calendar then follows the notice, not the conservative rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-cal-'));
    const file = join(dir, 'holidays.json');
    copyFileSync(join(ROOT, 'rules', 'holidays.json'), file);
    expect(addNotice(file, notice2027)).toMatchObject({ ok: true, replaced: false });
    expect(addNotice(file, notice2027)).toMatchObject({ ok: false });
    expect(addNotice(file, notice2027, { replace: true })).toMatchObject({ ok: true, replaced: true });
    const withNotice = loadCalendar(file);
    expect(isRestDay(withNotice, '2027-02-13')).toBe(false); // a make-up Saturday
    expect(computeDeadline(withNotice, '2027-01-29', 7)).toEqual({
      date: '2027-02-13',
      extended: true,
      unknownYears: [],
    });
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).years)).toEqual(['2025', '2026', '2027']);
  });
});
