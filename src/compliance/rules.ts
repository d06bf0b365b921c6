/** The LPR table (rules/lpr.json). Loaded once; data, not code. */
import { readFileSync } from 'node:fs';
import { rulesPath } from '../paths.js';
import { parseRate } from '../schema/money.js';

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

let rates: RateTable | undefined;
export const getRates = (): RateTable => (rates ??= loadRates());
