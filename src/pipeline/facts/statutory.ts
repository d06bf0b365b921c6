/**
 * Statutory holidays of any year, computed from the rules in force (《全国年节及纪念日放假办法》),
 * and the conservative rest days of a year whose State Council notice is not known yet.
 *
 * Lunar dates (除夕, 端午, 中秋) and the 清明 solar term come from tyme4ts. Compared on the npm
 * registry with lunar-typescript / lunar-javascript (same author, older design, built-in 黄历 and
 * holiday tables we do not want), solarlunar (a lookup table with a fixed range, no solar terms)
 * and chinese-lunar-calendar (unmaintained since 2019): tyme4ts is MIT, has no dependencies,
 * ships its own types, is maintained (releases through 2026) and computes solar terms
 * astronomically (寿星天文历) rather than from a table that ends. Only its lunar → solar
 * conversion and solar-term dates are used; its own holiday data is not (notices stay our data).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Tyme from 'tyme4ts';
import { addDays, weekday } from '../schema/dates.js';
import { cacheKey, readEntry, writeEntry } from '../templates/disk-cache.js';

export type HolidayName = '元旦' | '春节' | '清明节' | '劳动节' | '端午节' | '中秋节' | '国庆节';

export interface StatutoryHoliday {
  name: HolidayName;
  /** The statutory days off (全体公民放假的节日), ISO dates. */
  days: string[];
}

/** Which rules a year falls under. 2024 amendment (国务院令第795号), in force from 2025-01-01. */
export type HolidayRules = '2013' | '2024';
export const FIRST_RULES_YEAR = 2014;

export function rulesFor(year: number): HolidayRules | null {
  if (year >= 2025) return '2024';
  if (year >= FIRST_RULES_YEAR) return '2013';
  return null;
}

/** The dates of a year that come from the lunar calendar and the solar terms. */
interface LunarDates {
  /** 正月初一 of the lunar year that begins in this Gregorian year. */
  newYear: string;
  qingming: string;
  /** 五月初五, 八月十五. */
  duanwu: string;
  midAutumn: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const lunarMemo = new Map<number, LunarDates>();
let tymeLib: { version: string; lib?: typeof Tyme } | undefined;

/**
 * tyme4ts, loaded on first use, and its version, read without loading it. Why: its astronomy
 * (寿星天文历) takes a cold process ~50 ms for the few years a letter touches, and loading it
 * ~20 ms more (issue 31): its answers are kept in the disk cache under its version and the
 * year, so a process whose years are all there never loads it.
 */
function tyme(): { version: string; lib?: typeof Tyme } {
  if (!tymeLib) {
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve('tyme4ts'));
    let version = '';
    for (let up = 0; up < 4 && !version; up++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'tyme4ts') version = pkg.version ?? '';
      } catch {
        // Not the package's own folder yet.
      }
    }
    tymeLib = { version };
  }
  return tymeLib;
}

function computeLunarDates(year: number): LunarDates {
  const t = tyme();
  const lib = (t.lib ??= createRequire(import.meta.url)('tyme4ts') as typeof Tyme);
  const iso = (d: Tyme.SolarDay): string =>
    `${d.getYear()}-${String(d.getMonth()).padStart(2, '0')}-${String(d.getDay()).padStart(2, '0')}`;
  const lunar = (month: number, day: number): string => iso(lib.LunarDay.fromYmd(year, month, day).getSolarDay());
  return {
    newYear: lunar(1, 1),
    qingming: iso(lib.SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay()),
    duanwu: lunar(5, 5),
    midAutumn: lunar(8, 15),
  };
}

/** A year's lunar dates: from this process, the disk cache, or tyme4ts (then kept in both). */
export function lunarDates(year: number): LunarDates {
  let dates = lunarMemo.get(year);
  if (dates) return dates;
  const { version } = tyme();
  // Without a version to name them by, answers are not kept on disk.
  const key = version ? cacheKey('lunar-dates-1', version, String(year)) : null;
  const hit = key ? readEntry('lunar', key) : null;
  if (hit) {
    try {
      const d = JSON.parse(hit.toString('utf8')) as LunarDates;
      if ([d.newYear, d.qingming, d.duanwu, d.midAutumn].every((v) => typeof v === 'string' && ISO_DATE.test(v)))
        dates = d;
    } catch {
      // A damaged entry: computed again below.
    }
  }
  if (!dates) {
    dates = computeLunarDates(year);
    if (key) writeEntry('lunar', key, Buffer.from(JSON.stringify(dates), 'utf8'));
  }
  lunarMemo.set(year, dates);
  return dates;
}

const span = (from: string, n: number): string[] => Array.from({ length: n }, (_, i) => addDays(from, i));

/**
 * The statutory holidays of a Gregorian year. 2024 rules (第二条): 元旦 1 day; 春节 4 days (除夕 to
 * 初三); 清明节 1; 劳动节 2 (5月1日、2日); 端午节 1; 中秋节 1; 国庆节 3 (10月1日至3日). 2013 rules:
 * 春节 3 days (初一 to 初三) and 劳动节 1. The 春节 of a year is the one whose 初一 falls in it.
 */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  const rules = rulesFor(year);
  if (!rules) throw new RangeError(`no holiday rules known for ${year} (from ${FIRST_RULES_YEAR})`);
  const dates = lunarDates(year);
  const newYear = dates.newYear;
  const chunjie = rules === '2024' ? span(addDays(newYear, -1), 4) : span(newYear, 3);
  return [
    { name: '元旦', days: [`${year}-01-01`] },
    { name: '春节', days: chunjie },
    { name: '清明节', days: [dates.qingming] },
    { name: '劳动节', days: rules === '2024' ? [`${year}-05-01`, `${year}-05-02`] : [`${year}-05-01`] },
    { name: '端午节', days: [dates.duanwu] },
    { name: '中秋节', days: [dates.midAutumn] },
    { name: '国庆节', days: span(`${year}-10-01`, 3) },
  ];
}

const isWeekend = (d: string) => weekday(d) === 0 || weekday(d) === 6;

/**
 * The days a notice would put to rest around each holiday, taken generously so that a deadline
 * computed without the notice can only be later, never earlier, than the one the notice gives:
 *
 * - 春节: 除夕 to 初七 (a whole week and more: the 2025 and 2026 notices gave 8 and 9 days; 2013
 *   rules: 除夕 to 初六); 劳动节: 5月1日 to 5日; 国庆节: 10月1日 to 7日, to 8日 with 中秋 when 中秋
 *   falls between 9月30日 and 10月8日 (2025: 10月1日至8日);
 * - every block runs on over an adjoining weekend, and a single working day between it and a
 *   weekend is bridged (a Tuesday holiday takes the Monday, a Thursday one the Friday);
 * - a one-day holiday on a weekend is made up on the next working day (补休).
 *
 * No weekend is taken as a make-up working day: only a notice makes one.
 */
export function conservativeRestDays(year: number): Set<string> {
  const holidays = statutoryHolidays(year);
  const rules = rulesFor(year)!;
  const byName = new Map(holidays.map((h) => [h.name, h.days]));
  const midAutumn = byName.get('中秋节')![0]!;
  const chuxi = addDays(lunarDates(year).newYear, -1);
  const mergedMidAutumn = midAutumn >= `${year}-09-30` && midAutumn <= `${year}-10-08`;
  const blocks: { days: string[]; oneDay: boolean }[] = [
    { days: byName.get('元旦')!, oneDay: true },
    { days: span(chuxi, rules === '2024' ? 8 : 7), oneDay: false },
    { days: byName.get('清明节')!, oneDay: true },
    { days: span(`${year}-05-01`, 5), oneDay: false },
    { days: byName.get('端午节')!, oneDay: true },
    ...(mergedMidAutumn ? [] : [{ days: [midAutumn], oneDay: true }]),
    {
      days: mergedMidAutumn
        ? span(midAutumn < `${year}-10-01` ? midAutumn : `${year}-10-01`, midAutumn < `${year}-10-01` ? 10 : 8)
        : span(`${year}-10-01`, 7),
      oneDay: false,
    },
  ];
  const rest = new Set<string>();
  for (const b of blocks) for (const d of extendBlock(b.days, b.oneDay)) rest.add(d);
  return rest;
}

function extendBlock(days: string[], oneDay: boolean): string[] {
  let first = days[0]!;
  let last = days.at(-1)!;
  const out = new Set(days);
  // 补休: a one-day holiday on a weekend is made up on the next working day after it.
  if (oneDay && isWeekend(first)) {
    let d = addDays(last, 1);
    while (isWeekend(d)) {
      out.add(d);
      d = addDays(d, 1);
    }
    out.add(d);
    last = d;
  }
  // Bridge one working day to a weekend, then run over the weekend, on both sides.
  const before = addDays(first, -1);
  if (!isWeekend(before) && isWeekend(addDays(before, -1))) {
    out.add(before);
    first = before;
  }
  for (let d = addDays(first, -1); isWeekend(d); d = addDays(d, -1)) out.add(d);
  const after = addDays(last, 1);
  if (!isWeekend(after) && isWeekend(addDays(after, 1))) {
    out.add(after);
    last = after;
  }
  for (let d = addDays(last, 1); isWeekend(d); d = addDays(d, 1)) out.add(d);
  return [...out];
}
