import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { describe, expect, it } from 'vitest';
import { beijingTime, todayInShanghai, ZONE } from '../../../src/pipeline/schema/dates.js';

dayjs.extend(utc);
dayjs.extend(timezone);

describe('beijingTime', () => {
  it('shows an instant at UTC+8, across midnight and the year end, and leaves what is not a time alone', () => {
    expect(beijingTime('2026-11-29T06:25:24.000Z')).toBe('2026-11-29 14:25:24（北京时间）');
    expect(beijingTime('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00:00（北京时间）');
    expect(beijingTime('not a time')).toBe('not a time');
  });
});

describe('todayInShanghai', () => {
  // What it computed before issue 31 (dayjs's time-zone plugin over the time-zone database).
  const byZone = (t: number) => dayjs(new Date(t)).tz(ZONE).format('YYYY-MM-DD');
  const HOUR = 3_600_000;

  it('gives the date the time-zone database gives, every hour around the summer times of 1986–1991 and their end', () => {
    for (let t = Date.UTC(1986, 3, 1); t < Date.UTC(1991, 10, 1); t += 73 * HOUR)
      expect(todayInShanghai(new Date(t))).toBe(byZone(t));
    for (let t = Date.UTC(1991, 8, 13); t < Date.UTC(1991, 8, 17); t += HOUR / 2)
      expect(todayInShanghai(new Date(t)), new Date(t).toISOString()).toBe(byZone(t));
  });

  it('and at UTC+8 since, across midnights and year ends, up to 2100', () => {
    for (let t = Date.UTC(1991, 8, 17); t < Date.UTC(2100, 0, 1); t += 1511 * HOUR + 13 * 60_000)
      expect(todayInShanghai(new Date(t))).toBe(byZone(t));
    for (const iso of ['2026-12-31T15:59:59.999Z', '2026-12-31T16:00:00.000Z', '2028-02-28T16:00:00Z'])
      expect(todayInShanghai(new Date(iso))).toBe(byZone(Date.parse(iso)));
  });
});
