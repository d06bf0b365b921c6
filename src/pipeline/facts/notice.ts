/**
 * A State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知) as data: its rest days
 * (inclusive ranges) and make-up working days, with where it comes from. Checked against the
 * statutory holidays of its year (statutory.ts): a notice that leaves a statutory day a working
 * day, or makes a weekday a "make-up" working day, is a typo to refuse, not a schedule to apply.
 */
import { z } from 'zod';
import { addDays, isRealDate, weekday } from '../schema/dates.js';
import { rulesFor, statutoryHolidays } from './statutory.js';

const day = z.string().refine(isRealDate, { message: 'a real date YYYY-MM-DD' });

export const noticeSchema = z.strictObject({
  year: z.number().int().min(2014).max(2100),
  /** The notice's title, number and date of publication, e.g. 国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）. */
  source: z.string().min(8).max(300),
  restDays: z
    .array(z.tuple([day, day]))
    .min(1)
    .max(20),
  workDays: z.array(day).max(20).default([]),
});
export type Notice = z.output<typeof noticeSchema>;

export interface NoticeProblem {
  path: string;
  zh: string;
  en: string;
}

/** Every day of the notice's rest ranges. */
export function noticeRestDays(n: Pick<Notice, 'restDays'>): string[] {
  const out: string[] = [];
  for (const [from, to] of n.restDays) for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Problems with a notice, [] when it may be added. The schema has already parsed it. */
export function checkNotice(n: Notice): NoticeProblem[] {
  const out: NoticeProblem[] = [];
  // A notice may reach into the days around its year (2024's 元旦 ran from 2023-12-30).
  const lo = `${n.year - 1}-12-01`;
  const hi = `${n.year + 1}-01-31`;
  n.restDays.forEach(([from, to], i) => {
    if (from > to)
      out.push({
        path: `restDays.${i}`,
        zh: `区间 ${from}–${to} 起止颠倒`,
        en: `range ${from}–${to} ends before it starts`,
      });
    if (from < lo || to > hi)
      out.push({
        path: `restDays.${i}`,
        zh: `区间 ${from}–${to} 不在 ${n.year} 年前后`,
        en: `range ${from}–${to} is not around ${n.year}`,
      });
    if (from <= to && (Date.parse(to) - Date.parse(from)) / 86_400_000 > 15)
      out.push({
        path: `restDays.${i}`,
        zh: `区间 ${from}–${to} 超过 16 天`,
        en: `range ${from}–${to} is longer than 16 days`,
      });
  });
  const rest = new Set(out.length ? [] : noticeRestDays(n));
  if (!out.length && rulesFor(n.year)) {
    for (const h of statutoryHolidays(n.year))
      for (const d of h.days)
        if (!rest.has(d))
          out.push({
            path: 'restDays',
            zh: `法定节假日 ${h.name} ${d} 不在通知的放假日期内（《全国年节及纪念日放假办法》）`,
            en: `the statutory holiday ${h.name} on ${d} is not among the notice's rest days`,
          });
  }
  n.workDays.forEach((d, i) => {
    if (weekday(d) !== 0 && weekday(d) !== 6)
      out.push({
        path: `workDays.${i}`,
        zh: `调休上班日 ${d} 不是周六或周日`,
        en: `make-up working day ${d} is not a Saturday or Sunday`,
      });
    if (rest.has(d))
      out.push({
        path: `workDays.${i}`,
        zh: `${d} 既是放假日又是上班日`,
        en: `${d} is both a rest day and a working day`,
      });
    if (d < lo || d > hi)
      out.push({ path: `workDays.${i}`, zh: `${d} 不在 ${n.year} 年前后`, en: `${d} is not around ${n.year}` });
  });
  return out;
}
