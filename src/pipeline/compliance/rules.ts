/** The rate data files: the one-year LPR (rules/lpr.json) and the dated caps (rules/caps.json). Loaded once; data, not code. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { rulesPath } from '../../shared/paths.js';
import { parseRate } from '../schema/money.js';

export interface CapRule {
  lenderType: 'licensed' | 'private';
  from: string;
  /** A fixed annual cap (rate × 1e8), or … */
  scaled?: number;
  /** … a multiple of the one-year LPR in force on the contract date. */
  lprMultiple?: number;
  basis: { zh: string; en: string };
}

export interface RateTable {
  lpr: { from: string; scaled: number }[];
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
          basis: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }),
        })
        .refine((c) => (c.rate === undefined) !== (c.lprMultiple === undefined), 'exactly one of rate and lprMultiple'),
    )
    .min(1),
});

export function loadRates(lprFile = rulesPath('lpr.json'), capsFile = rulesPath('caps.json')): RateTable {
  const lpr = JSON.parse(readFileSync(lprFile, 'utf8')) as { oneYear: { from: string; rate: string }[] };
  const caps = capsSchema.safeParse(JSON.parse(readFileSync(capsFile, 'utf8')));
  if (!caps.success)
    throw new Error(`${capsFile}: ${caps.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return {
    lpr: lpr.oneYear
      .map((x) => ({ from: x.from, scaled: scaled(x.rate, lprFile) }))
      .sort((a, b) => a.from.localeCompare(b.from)),
    caps: caps.data.caps
      .map((c) => ({
        lenderType: c.lenderType,
        from: c.from,
        basis: c.basis,
        ...(c.rate !== undefined ? { scaled: scaled(c.rate, capsFile) } : { lprMultiple: c.lprMultiple }),
      }))
      .sort((a, b) => a.from.localeCompare(b.from)),
  };
}

let rates: RateTable | undefined;
export const getRates = (): RateTable => (rates ??= loadRates());
