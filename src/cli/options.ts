/** Options shared by the commands that render letters. */

import { assertDatedToday } from '../letters/rules.js';
import type { RenderOptions } from '../pipeline/index.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import { loadSealConfig, type SealSource, specimenSeals } from '../pipeline/seals.js';
import { HanjianError, isHanjianError } from '../shared/errors.js';
import { UsageError } from './exit.js';
import { terminal } from './terminal.js';

export const RENDER_FLAGS = {
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  today: { type: 'string' },
  seals: { type: 'string' },
  'specimen-seal': { type: 'boolean' },
  'charges-over-cap': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface RenderFlagValues {
  today?: string;
  seals?: string;
  'specimen-seal'?: boolean;
  'charges-over-cap'?: string;
}

/** A date option must be a real calendar date: 2026-13-45 is a typo to refuse, not a day to roll over into. */
export function checkDateFlag(flag: string, value: string | undefined): void {
  if (value === undefined) return;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const real = !!m && y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (!real) throw new UsageError(`${flag} takes a real date YYYY-MM-DD (got "${value}")`);
}

/**
 * A final letter is dated the day it is made, as the service requires (ISSUE_DATE_NOT_TODAY):
 * `--today` (or an input's issueDate) may name another day only for a preview, whose every page
 * is marked 预览 · 草稿. `hanjian render` calls it; every other path that makes a final letter
 * (batch without --preview, issue) is to call it the same way.
 */
export function checkFinalDate(
  what: { today?: string; issueDate?: unknown },
  preview: boolean,
  now: string = todayInShanghai(),
): void {
  if (preview) return;
  try {
    // The service's rule (letters/rules.ts), for --today and for the input's own date.
    assertDatedToday(what.today, now, '--today');
    if (typeof what.issueDate === 'string') assertDatedToday(what.issueDate, now, 'issueDate');
  } catch (e) {
    if (!isHanjianError(e)) throw e;
    throw new HanjianError({
      code: e.code,
      category: e.category,
      path: e.path,
      zh: `${e.zh}：其他日期只能预览（hanjian preview，每页标注“预览 · 草稿”）`,
      en: `${e.en}: other dates only in a preview (hanjian preview, marked as a draft on every page)`,
    });
  }
}

/** Seals come from operator configuration only: --seals <file> or HANJIAN_SEALS; previews fall back to the specimen. */
export function renderOptionsFrom(v: RenderFlagValues, preview: boolean): RenderOptions {
  checkDateFlag('--today', v.today);
  const cap = v['charges-over-cap'];
  if (cap && cap !== 'error' && cap !== 'warn') throw new UsageError('--charges-over-cap takes error or warn');
  const sealFile = v.seals ?? terminal().env.HANJIAN_SEALS;
  let seals: SealSource | undefined;
  if (v['specimen-seal']) seals = specimenSeals;
  else if (sealFile) seals = loadSealConfig(sealFile);
  else if (preview) seals = specimenSeals;
  return { today: v.today, seals, compliance: cap ? { chargesOverCap: cap as 'error' | 'warn' } : undefined };
}

/** Signing keys (PKCS#12 per sender) come from operator configuration only: --signing <file> or HANJIAN_SIGNING. */
export function signingFileFrom(v: { signing?: string }): string | undefined {
  return v.signing ?? (terminal().env.HANJIAN_SIGNING || undefined);
}
