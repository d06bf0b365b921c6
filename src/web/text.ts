/** How the workspace writes for people: Chinese only, dates the way the letters write them. */
import type { RowProblem } from '../jobs/batches/batch-store.js';
import { dateArabic } from '../pipeline/facts/format.js';

const DAY = /^(\d{4}-\d{2}-\d{2})$/;
/** A calendar day inside a sentence (…催告函付款期限 2026-12-07 尚未届满), not part of a longer code. */
const DAY_IN_TEXT = /(?<![\w-])(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\w-])/g;

/**
 * Policy reasons and messages come as "中文 / English": the workspace is Chinese, so it shows the
 * first half, with the days in it written as the letters write them (2026-12-07 → 2026年12月7日).
 */
export const chineseOnly = (s: string): string => s.split(' / ')[0]!.replace(DAY_IN_TEXT, (iso) => dateArabic(iso));

/**
 * Why a row of a background task failed, for the page: the Chinese half of its problem, without
 * the input path the API puts first (debtor.address: 地址… → 地址…).
 */
export function problemInChinese(p: RowProblem | null): string {
  if (!p) return '';
  const detail = p.path && p.detail.startsWith(`${p.path}: `) ? p.detail.slice(p.path.length + 2) : p.detail;
  return chineseOnly(detail);
}

/** A calendar day as the letters print it (pipeline's dateArabic): 2026-12-07 → 2026年12月7日; anything else as it is. */
export function chineseDate(iso: string | null | undefined): string {
  if (!iso) return '';
  return DAY.test(iso) ? dateArabic(iso) : iso;
}

/** The Beijing calendar day of a moment (an ISO timestamp): 2026-12-07T17:00:00Z → 2026年12月8日. */
export function beijingDate(iso: string | null | undefined): string {
  if (!iso) return '';
  if (DAY.test(iso)) return dateArabic(iso);
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : dateArabic(new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10));
}

/** A moment (an ISO timestamp) in Beijing time, to the minute: 2026-12-07T11:29:00Z → 2026年12月7日 19:29. */
export function beijingTime(iso: string | null | undefined): string {
  if (!iso) return '';
  if (DAY.test(iso)) return dateArabic(iso);
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const wall = new Date(ms + 8 * 3_600_000).toISOString();
  return `${dateArabic(wall.slice(0, 10))} ${wall.slice(11, 16)}`;
}
