/**
 * Calendar dates as `YYYY-MM-DD` strings. They are civil dates in Asia/Shanghai, so date
 * arithmetic works on day numbers (no clock, no DST); only "today" needs the time zone.
 */

export const ZONE = 'Asia/Shanghai';
const ISO = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

export function isRealDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Day number (days since 1970-01-01) of an ISO date. */
export function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

export function fromDayNumber(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso) + days);
}

export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(iso: string): number {
  return (dayNumber(iso) + 4) % 7; // 1970-01-01 was a Thursday
}

/**
 * Asia/Shanghai has been UTC+8 without daylight saving since its last summer time ended, at
 * 02:00 UTC+9 on 1991-09-15 (tz database, rule PRC). After that instant "today" is plain
 * arithmetic; before it, the time-zone database says. Why: the first use of a time zone loads
 * its rules, which with dayjs's plugins was ~30 ms of a cold preview (issue 31).
 * test/pipeline/schema/dates.test.ts compares both sides of the instant with the database.
 */
const UTC8_SINCE = Date.UTC(1991, 8, 14, 17);
let zoneFormat: Intl.DateTimeFormat | undefined;

/** The date in Asia/Shanghai at `now`. */
export function todayInShanghai(now: Date = new Date()): string {
  const t = now.getTime();
  if (t >= UTC8_SINCE) return new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
  zoneFormat ??= new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const part = (type: string) => zoneFormat!.formatToParts(now).find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** An instant (ISO 8601) as Beijing time for Chinese readers, e.g. "2026-11-29 14:25:24（北京时间）": UTC+8, no daylight saving. */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')}（北京时间）`;
}
