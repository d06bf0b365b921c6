/**
 * Money arrives as yuan (decimal string or JSON number with ≤ 2 decimals) and leaves as
 * integer fen. No float ever does arithmetic on money: numbers are only accepted when their
 * shortest decimal representation already has ≤ 2 decimals, then parsed as a string.
 */
export const MAX_YUAN_FEN = 100_000_000_000; // 1,000,000,000.00 yuan

export type MoneyParse = { ok: true; fen: number } | { ok: false; code: string; zh: string; en: string };

const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

export function parseYuanToFen(value: unknown): MoneyParse {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return bad('MONEY_FORMAT', '金额必须是有限数字', 'amount must be a finite number');
    text = String(value);
    if (/e/i.test(text)) return bad('MONEY_FORMAT', '金额不能用科学计数法', 'amount must not use exponent notation');
    if (text.startsWith('-')) return negative();
  } else if (typeof value === 'string') {
    text = value;
    if (text.trim() === '') return bad('MONEY_FORMAT', '金额不能为空', 'amount must not be empty');
    if (text.startsWith('-')) return negative();
  } else {
    return bad(
      'MONEY_FORMAT',
      '金额必须是字符串或数字，如 "12000.00"',
      'amount must be a string or number such as "12000.00"',
    );
  }
  const m = DECIMAL.exec(text);
  if (!m) {
    return bad(
      'MONEY_FORMAT',
      `金额格式错误：${JSON.stringify(text)}，应为最多两位小数的半角数字，如 "12000.00"`,
      `malformed amount ${JSON.stringify(text)}: use ASCII digits with at most two decimals, e.g. "12000.00"`,
    );
  }
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen) || fen > MAX_YUAN_FEN) {
    return bad('MONEY_RANGE', '金额不能超过 1,000,000,000.00 元', 'amount must not exceed 1,000,000,000.00 yuan');
  }
  return { ok: true, fen };
}

function negative(): MoneyParse {
  return bad('MONEY_NEGATIVE', '金额不能为负数', 'amount must not be negative');
}

function bad(code: string, zh: string, en: string): MoneyParse {
  return { ok: false, code, zh, en };
}

/**
 * Rates ("0.18", "0.0005") as integers scaled by 1e8, so caps can be compared exactly.
 * Eight decimals is finer than any contract states a rate.
 */
export const RATE_SCALE = 100_000_000;
const RATE = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,8}))?$/;

export function parseRate(value: unknown): { ok: true; scaled: number } | { ok: false; zh: string; en: string } {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string')
    return { ok: false, zh: '利率必须是小数字符串，如 "0.18"', en: 'rate must be a decimal string such as "0.18"' };
  const m = RATE.exec(text);
  if (!m)
    return {
      ok: false,
      zh: `利率格式错误：${JSON.stringify(text)}，应为小数，如 "0.18"（即 18%）`,
      en: `malformed rate ${JSON.stringify(text)}: use a decimal fraction such as "0.18" (18%)`,
    };
  const scaled = Number(m[1]) * RATE_SCALE + Number((m[2] ?? '').padEnd(8, '0'));
  if (scaled > RATE_SCALE) return { ok: false, zh: '利率不能超过 1（100%）', en: 'rate must not exceed 1 (100%)' };
  return { ok: true, scaled };
}
