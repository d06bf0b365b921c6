/**
 * Statutory rest days and deadlines (letters.md). The calendar is data
 * (rules/holidays.json): a new year's State Council notice is added there, not in code.
 */
import { readFileSync } from 'node:fs';
import { rulesPath } from '../../shared/paths.js';
import { addDays, weekday } from '../schema/dates.js';

interface YearData {
  source: string;
  restDays: [string, string][];
  workDays: string[];
}

export interface Calendar {
  years: Map<number, { rest: Set<string>; work: Set<string> }>;
}

export function loadCalendar(file = rulesPath('holidays.json')): Calendar {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { years: Record<string, YearData> };
  const years = new Map<number, { rest: Set<string>; work: Set<string> }>();
  for (const [year, data] of Object.entries(raw.years)) {
    const rest = new Set<string>();
    for (const [from, to] of data.restDays) {
      for (let d = from; d <= to; d = addDays(d, 1)) rest.add(d);
    }
    years.set(Number(year), { rest, work: new Set(data.workDays) });
  }
  return { years };
}

let defaultCalendar: Calendar | undefined;
export function getCalendar(): Calendar {
  return (defaultCalendar ??= loadCalendar());
}

export function hasYear(cal: Calendar, iso: string): boolean {
  return cal.years.has(Number(iso.slice(0, 4)));
}

/** Weekends are rest days unless declared make-up working days; holidays are rest days. */
export function isRestDay(cal: Calendar, iso: string): boolean {
  const y = cal.years.get(Number(iso.slice(0, 4)));
  if (y?.work.has(iso)) return false;
  if (y?.rest.has(iso)) return true;
  const wd = weekday(iso);
  return wd === 0 || wd === 6;
}

export interface Deadline {
  date: string;
  /** The last day fell on a rest day and was moved to the next working day. */
  extended: boolean;
  /** Years whose holiday schedule is unknown: the deadline was computed with weekends only. */
  unknownYears: number[];
}

/** Counting starts the day after `start`; a last day on a rest day moves to the next working day. */
export function computeDeadline(cal: Calendar, start: string, days: number): Deadline {
  let date = addDays(start, days);
  const unknown = new Set<number>();
  const note = (d: string) => {
    if (!hasYear(cal, d)) unknown.add(Number(d.slice(0, 4)));
  };
  note(date);
  while (isRestDay(cal, date)) {
    date = addDays(date, 1);
    note(date);
  }
  return { date, extended: date !== addDays(start, days), unknownYears: [...unknown].sort() };
}
