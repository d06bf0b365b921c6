/**
 * Reusable zod field builders. Each custom failure carries `params: { code, zh, en }`, which
 * `issues.ts` turns into the project's bilingual issue; zod's own messages never leak out.
 */
import { z } from 'zod';
import { isRealDate } from './dates.js';
import { parseRate, parseYuanToFen } from './money.js';
import { codePointLength, hasInvisible } from './text.js';

export type Ctx = z.RefinementCtx;

export function fail(ctx: Ctx, code: string, zh: string, en: string, path?: (string | number)[]): void {
  ctx.addIssue({ code: 'custom', message: en, params: { code, zh, en }, ...(path ? { path } : {}) });
}

/** Yuan → integer fen. */
export const money = z
  .unknown()
  .transform((v, ctx) => {
    const r = parseYuanToFen(v);
    if (!r.ok) {
      fail(ctx, r.code, r.zh, r.en);
      return z.NEVER;
    }
    return r.fen;
  })
  .meta({
    description:
      'Amount in yuan: a decimal string with at most two decimals ("12000.00") or a JSON number with at most two decimals; 0 … 1,000,000,000.00',
    anyOf: [
      { type: 'string', pattern: '^(0|[1-9][0-9]*)(\\.[0-9]{1,2})?$' },
      { type: 'number', minimum: 0, maximum: 1000000000 },
    ],
  });

export const rate = z
  .unknown()
  .transform((v, ctx) => {
    const r = parseRate(v);
    if (!r.ok) {
      fail(ctx, 'RATE_FORMAT', r.zh, r.en);
      return z.NEVER;
    }
    return r.scaled;
  })
  .meta({
    description: 'Rate as a decimal fraction ("0.18" = 18 %), at most 8 decimals, ≤ 1',
    anyOf: [
      { type: 'string', pattern: '^(0|[1-9][0-9]*)(\\.[0-9]{1,8})?$' },
      { type: 'number', minimum: 0, maximum: 1 },
    ],
  });

const MIN_DATE = '1900-01-01';

export const isoDate = z
  .string()
  .meta({ format: 'date', description: 'Calendar date YYYY-MM-DD (Asia/Shanghai)' })
  .transform((s, ctx) => {
    if (!isRealDate(s)) {
      fail(
        ctx,
        'DATE_INVALID',
        `日期无效：${JSON.stringify(s)}，应为真实存在的 YYYY-MM-DD`,
        `invalid date ${JSON.stringify(s)}: expected a real YYYY-MM-DD date`,
      );
      return z.NEVER;
    }
    // Year 0000 is a real ISO date but no letter, contract or due date lies before 1900.
    if (s < MIN_DATE) {
      fail(ctx, 'DATE_OUT_OF_RANGE', `日期 ${s} 早于 ${MIN_DATE}`, `date ${s} is before ${MIN_DATE}`);
      return z.NEVER;
    }
    return s;
  });

interface TextRule {
  max: number;
  pattern?: RegExp;
  zh?: string;
  en?: string;
  code?: string;
}

/** Trimmed text of 1..max code points with no control or invisible characters. */
export function text(rule: TextRule) {
  return z.string().transform((raw, ctx) => {
    const s = raw.trim();
    if (s === '') {
      fail(ctx, 'EMPTY', '不能为空', 'must not be empty');
      return z.NEVER;
    }
    if (hasInvisible(s)) {
      fail(
        ctx,
        'INVISIBLE_CHARACTER',
        '含有控制字符或不可见字符（如换行、零宽字符）',
        'contains a control or invisible character (e.g. newline, zero-width)',
      );
      return z.NEVER;
    }
    const n = codePointLength(s);
    if (n > rule.max) {
      fail(ctx, 'TOO_LONG', `长度 ${n} 超过上限 ${rule.max} 个字符`, `length ${n} exceeds ${rule.max} characters`);
      return z.NEVER;
    }
    if (rule.pattern && !rule.pattern.test(s)) {
      fail(ctx, rule.code ?? 'FORMAT', rule.zh ?? '格式错误', rule.en ?? 'malformed value');
      return z.NEVER;
    }
    return s;
  });
}

/** A string that must match a pattern exactly (identifiers, phone numbers): no trimming, no slack. */
export function token(pattern: RegExp, code: string, zh: string, en: string) {
  return z.string().refine((s) => pattern.test(s), { params: { code, zh, en }, message: en });
}

/** A field checked by a function returning `{ok}` or a coded failure. */
export function checked(check: (s: string) => { ok: true } | { ok: false; code: string; zh: string; en: string }) {
  return z.string().superRefine((s, ctx) => {
    const r = check(s);
    if (!r.ok) fail(ctx, r.code, r.zh, r.en);
  });
}
