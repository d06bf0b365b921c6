/** The compliance data files: forbidden phrases and the LPR table. Loaded once; data, not code. */
import { readFileSync } from 'node:fs';
import { rulesPath } from '../paths.js';
import { parseRate } from '../schema/money.js';

export interface ForbiddenRule {
  category: string;
  pattern: RegExp;
  zh: string;
  en: string;
}

export function loadForbidden(file = rulesPath('compliance.json')): ForbiddenRule[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { forbidden: { category: string; pattern: string; zh: string; en: string }[] };
  return raw.forbidden.map((r) => ({ ...r, pattern: new RegExp(r.pattern, 'gu') }));
}

export interface RateTable {
  lpr: { from: string; scaled: number }[];
  licensedCap: number;
}

function scaled(s: string): number {
  const r = parseRate(s);
  if (!r.ok) throw new Error(`rules/lpr.json: bad rate ${s}`);
  return r.scaled;
}

export function loadRates(file = rulesPath('lpr.json')): RateTable {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { oneYear: { from: string; rate: string }[]; licensedCap: string };
  return {
    lpr: raw.oneYear.map((x) => ({ from: x.from, scaled: scaled(x.rate) })).sort((a, b) => a.from.localeCompare(b.from)),
    licensedCap: scaled(raw.licensedCap),
  };
}

let forbidden: ForbiddenRule[] | undefined;
let rates: RateTable | undefined;
export const getForbidden = (): ForbiddenRule[] => (forbidden ??= loadForbidden());
export const getRates = (): RateTable => (rates ??= loadRates());
