/** The rate data files: the one-year LPR (rules/lpr.json) and the dated caps (rules/caps.json). Loaded once; data, not code. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { byCodeUnits } from '../../shared/order.js';
import { rulesPath } from '../../shared/paths.js';
import { parseRate } from '../schema/money.js';

export interface CapRule {
  lenderType: 'licensed' | 'private';
  from: string;
  /** A fixed annual cap (rate × 1e8), or … */
  scaled?: number;
  /** … a multiple of the one-year LPR in force on the contract date. */
  lprMultiple?: number;
  /** Transitional (民间借贷规定 第三十一条): `scaled` caps interest up to this day; after it … */
  until?: string;
  /** … this multiple of the one-year LPR at filing (a letter: its as-of date). */
  after?: { lprMultiple: number };
  basis: { zh: string; en: string };
  /** The provisions quoted verbatim, with where the text comes from. */
  quotes?: { cite: string; text: string; source: string }[];
}

export interface RateTable {
  lpr: { from: string; scaled: number }[];
  /** The last LPR entered: dates after it use that rate until the next month is added. */
  lprKnownUntil?: string;
  caps: CapRule[];
}

function scaled(s: string, file: string): number {
  const r = parseRate(s);
  if (!r.ok) throw new Error(`${file}: bad rate ${s}`);
  return r.scaled;
}

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const capsSchema = z.object({
  version: z.number().int().min(1),
  caps: z
    .array(
      z
        .strictObject({
          lenderType: z.enum(['licensed', 'private']),
          from: isoDay,
          rate: z.string().optional(),
          lprMultiple: z.number().positive().max(10).optional(),
          until: isoDay.optional(),
          after: z.strictObject({ lprMultiple: z.number().positive().max(10), lprOn: z.literal('filing') }).optional(),
          basis: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }),
          quotes: z
            .array(z.strictObject({ cite: z.string().min(1), text: z.string().min(1), source: z.string().min(1) }))
            .default([]),
        })
        .refine((c) => (c.rate === undefined) !== (c.lprMultiple === undefined), 'exactly one of rate and lprMultiple')
        .refine((c) => (c.until === undefined) === (c.after === undefined), 'until and after go together'),
    )
    .min(1),
});

export function loadRates(lprFile = rulesPath('lpr.json'), capsFile = rulesPath('caps.json')): RateTable {
  const lpr = JSON.parse(readFileSync(lprFile, 'utf8')) as {
    oneYear: { from: string; rate: string }[];
    knownUntil?: string;
  };
  const caps = capsSchema.safeParse(JSON.parse(readFileSync(capsFile, 'utf8')));
  if (!caps.success)
    throw new Error(`${capsFile}: ${caps.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return {
    lpr: lpr.oneYear
      .map((x) => ({ from: x.from, scaled: scaled(x.rate, lprFile) }))
      .sort((a, b) => byCodeUnits(a.from, b.from)),
    lprKnownUntil: lpr.knownUntil,
    caps: caps.data.caps
      .map((c) => ({
        lenderType: c.lenderType,
        from: c.from,
        basis: c.basis,
        quotes: c.quotes,
        ...(c.until && c.after ? { until: c.until, after: { lprMultiple: c.after.lprMultiple } } : {}),
        ...(c.rate !== undefined ? { scaled: scaled(c.rate, capsFile) } : { lprMultiple: c.lprMultiple }),
      }))
      .sort((a, b) => byCodeUnits(a.from, b.from)),
  };
}

let rates: RateTable | undefined;
export const getRates = (): RateTable => (rates ??= loadRates());
