/**
 * Statutory rest days and deadlines (letters.md). Each year's State Council notice is data
 * (rules/holidays.json, added with `hanjian calendar add`), never code. A year without a notice
 * is not guessed as weekends only: its statutory holidays are computed from the rules in force
 * (statutory.ts) and the days a notice would put to rest around them count as rest days, so a
 * deadline in such a year can only come out later than the notice would make it — and every
 * date computed that way carries a warning naming the year.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rulesPath } from '../../shared/paths.js';
import { addDays, weekday } from '../schema/dates.js';
import { checkNotice, type Notice, type NoticeProblem, noticeRestDays, noticeSchema } from './notice.js';
import { conservativeRestDays, rulesFor } from './statutory.js';

export interface Calendar {
  /** The notices known, by year. */
  notices: Map<number, Notice>;
  rest: Set<string>;
  work: Set<string>;
  /** Conservative rest days of years without a notice, computed once each. */
  conservative: Map<number, Set<string>>;
}

interface HolidaysFile {
  description?: string;
  years: Record<string, Omit<Notice, 'year'>>;
}

export function calendarOf(notices: Notice[]): Calendar {
  const cal: Calendar = { notices: new Map(), rest: new Set(), work: new Set(), conservative: new Map() };
  for (const n of notices) {
    cal.notices.set(n.year, n);
    for (const d of noticeRestDays(n)) cal.rest.add(d);
    for (const d of n.workDays) cal.work.add(d);
  }
  return cal;
}

/** The notices of a holidays file, each parsed and checked; a bad one names its year and field. */
export function readNotices(file: string): Notice[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as HolidaysFile;
  return Object.entries(raw.years).map(([year, data]) => {
    const parsed = noticeSchema.safeParse({ ...data, year: Number(year) });
    if (!parsed.success)
      throw new Error(`${file}: ${year}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)}`);
    const problems = checkNotice(parsed.data);
    if (problems.length) throw new Error(`${file}: ${year}: ${problems.map((p) => `${p.path}: ${p.en}`).join('; ')}`);
    return parsed.data;
  });
}

export function loadCalendar(file = rulesPath('holidays.json')): Calendar {
  return calendarOf(readNotices(file));
}

let defaultCalendar: Calendar | undefined;
export function getCalendar(): Calendar {
  return (defaultCalendar ??= loadCalendar());
}

/**
 * Adds a notice to a holidays file (validated first; an existing year only with `replace`).
 * Written to a temporary file and renamed, so a reader never sees half a file.
 */
export function addNotice(
  file: string,
  input: unknown,
  options: { replace?: boolean } = {},
): { ok: true; notice: Notice; replaced: boolean } | { ok: false; problems: NoticeProblem[] } {
  const parsed = noticeSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), zh: i.message, en: i.message })),
    };
  const notice = parsed.data;
  const problems = checkNotice(notice);
  if (problems.length) return { ok: false, problems };
  const raw = JSON.parse(readFileSync(file, 'utf8')) as HolidaysFile;
  const key = String(notice.year);
  const replaced = Object.hasOwn(raw.years, key);
  if (replaced && !options.replace)
    return {
      ok: false,
      problems: [
        {
          path: 'year',
          zh: `${key} 年的通知已存在（如需更正请加 --replace）`,
          en: `a notice for ${key} is already there (use --replace to correct it)`,
        },
      ],
    };
  const { year: _, ...data } = notice;
  const years = Object.fromEntries(
    Object.entries({ ...raw.years, [key]: data }).sort(([a], [b]) => Number(a) - Number(b)),
  );
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...raw, years }, null, 2)}\n`);
  renameSync(tmp, file);
  if (file === rulesPath('holidays.json')) defaultCalendar = undefined;
  return { ok: true, notice, replaced };
}

/** Whether the State Council notice of the date's year is known. */
export function hasYear(cal: Calendar, iso: string): boolean {
  return cal.notices.has(Number(iso.slice(0, 4)));
}

function conservativeOf(cal: Calendar, year: number): Set<string> | null {
  if (!rulesFor(year)) return null;
  let set = cal.conservative.get(year);
  if (!set) cal.conservative.set(year, (set = conservativeRestDays(year)));
  return set;
}

export type RestKind = 'work' | 'weekend' | 'notice' | 'conservative' | 'make-up';

/** Why a day is or is not a rest day: a notice's holiday or make-up day, a weekend, or a conservative rest day. */
export function dayKind(cal: Calendar, iso: string): RestKind {
  if (cal.work.has(iso)) return 'make-up';
  if (cal.rest.has(iso)) return 'notice';
  if (!hasYear(cal, iso) && conservativeOf(cal, Number(iso.slice(0, 4)))?.has(iso)) return 'conservative';
  const wd = weekday(iso);
  return wd === 0 || wd === 6 ? 'weekend' : 'work';
}

/** Weekends are rest days unless declared make-up working days; holidays are rest days. */
export function isRestDay(cal: Calendar, iso: string): boolean {
  const k = dayKind(cal, iso);
  return k !== 'work' && k !== 'make-up';
}

export interface Deadline {
  date: string;
  /** The last day fell on a rest day and was moved to the next working day. */
  extended: boolean;
  /** Years without a notice that the date was computed in (conservatively): each gets a warning. */
  unknownYears: number[];
}

/** Counting starts the day after `start`; a last day on a rest day moves to the next working day. */
export function computeDeadline(cal: Calendar, start: string, days: number): Deadline {
  const last = addDays(start, days);
  const { date, unknownYears } = nextWorkingDay(cal, last);
  return { date, extended: date !== last, unknownYears };
}

/** The day itself when it is a working day, else the first working day after it, with the years read without a notice. */
export function nextWorkingDay(cal: Calendar, day: string): { date: string; unknownYears: number[] } {
  let date = day;
  const unknown = new Set<number>();
  const note = (d: string) => {
    if (!hasYear(cal, d)) unknown.add(Number(d.slice(0, 4)));
  };
  note(date);
  while (isRestDay(cal, date)) {
    date = addDays(date, 1);
    note(date);
  }
  return { date, unknownYears: [...unknown].sort() };
}

/** The warning for dates computed in a year whose notice is not known (deadlines, plan due dates). */
export function calendarWarning(year: number, what: { zh: string; en: string }): { code: string; message: string } {
  return {
    code: 'CALENDAR_YEAR_MISSING',
    message: `${year} 年的国务院节假日安排通知尚未录入：${what.zh}按 2024 年修订的《全国年节及纪念日放假办法》从宽计算（通知可能放假的日期均按休息日，春节、国庆按整周），只会晚于通知公布后的日期；通知公布后请用 hanjian calendar add 录入并复核 / no State Council holiday notice for ${year} yet: ${what.en} computed conservatively from the 2024 holiday rules (every day a notice may give off counts as a rest day), so it can only be later than the notice will make it; add the notice with hanjian calendar add and check again`,
  };
}
