/** How numbers and dates are written in a letter. */

/** 1242600 → "12,426.00" (always two decimals, thousands separators). */
export function fenToFigures(fen: number): string {
  const yuan = Math.floor(fen / 100);
  const cents = String(fen % 100).padStart(2, '0');
  return `${String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/**
 * 1242600 → "12426.00": the one money form on the wire and in JSON results (yuan, two
 * decimals, no separators), so a client parses it exactly like the input it sent.
 */
export function fenToYuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** "12426.00" → "12,426.00": a wire amount written for people (a page, a terminal). */
export function yuanToFigures(yuan: string): string {
  const [whole, cents = '00'] = yuan.split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** "2026-11-28" → "2026年11月28日". */
export function dateArabic(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${d}日`;
}

const HAN_DIGITS = '〇一二三四五六七八九';

/** "2026-11-28" → "二〇二六年十一月二十八日" (〇 is U+3007, never 零 or the letter O). */
export function dateHan(iso: string): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  const year = [...y].map((c) => HAN_DIGITS[Number(c)]).join('');
  return `${year}年${smallNumberHan(Number(m))}月${smallNumberHan(Number(d))}日`;
}

/** 1–99 in Han numerals: 十, 十一, 二十, 二十八. */
export function smallNumberHan(n: number): string {
  if (n < 10) return HAN_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : HAN_DIGITS[tens]}十${ones ? HAN_DIGITS[ones] : ''}`;
}

/** Rate scaled by 1e8 → percent text: 18000000 → "18%", 50000 → "0.05%". */
export function rateToPercent(scaled: number): string {
  const hundredths = scaled / 1_000_000; // percent, exact for ≤ 6 decimals of percent
  return `${Number(hundredths.toFixed(6))}%`;
}
