/**
 * Calendar dates as `YYYY-MM-DD` strings. They are civil dates in Asia/Shanghai, so date
 * arithmetic works on day numbers (no clock, no DST); only "today" needs the time zone.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

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

let memo = { at: -Infinity, day: '' };
/** Today's date in Asia/Shanghai. Memoised for a second: time-zone formatting is costly per letter. */
export function todayInShanghai(now: Date = new Date()): string {
  const t = now.getTime();
  if (Math.abs(t - memo.at) < 1000) return memo.day;
  memo = { at: t, day: dayjs(now).tz(ZONE).format('YYYY-MM-DD') };
  return memo.day;
}

/** An instant (ISO 8601) as Beijing time for Chinese readers, e.g. "2026-11-29 14:25:24（北京时间）": UTC+8, no daylight saving. */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')}（北京时间）`;
}
