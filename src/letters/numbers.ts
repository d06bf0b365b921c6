/** Letter numbers (formats.md) and verification codes. */
import { randomBytes } from 'node:crypto';
import type { LetterData } from '../pipeline/schema/validate.js';

export const DEFAULT_CREDITOR_PREFIX = '函字';

export interface Series {
  key: string;
  prefix: string;
}

/** Who prints a letter's number: its law firm (by letter prefix) for a lawyer's letter, else its creditor (by credit code). */
export function senderIdentity(data: LetterData): { kind: 'law-firm' | 'creditor'; identity: string } {
  if (data.kind === 'lawyer-letter' && data.lawFirm) return { kind: 'law-firm', identity: data.lawFirm.letterPrefix };
  return { kind: 'creditor', identity: data.creditor.creditCode };
}

/** The series key of a sender identity in the default organisation. */
export function identitySeriesKey(kind: 'law-firm' | 'creditor', identity: string): string {
  return `${kind === 'law-firm' ? 'firm' : 'creditor'}:${identity}`;
}

/** Lawyer's letters: per firm prefix per year. Reminders and demands: per creditor per year. */
export function seriesOf(data: LetterData, creditorPrefix = DEFAULT_CREDITOR_PREFIX): Series {
  const { kind, identity } = senderIdentity(data);
  return {
    key: identitySeriesKey(kind, identity),
    prefix: kind === 'law-firm' ? identity : (data.creditor.letterPrefix ?? creditorPrefix),
  };
}

/**
 * A 还款计划确认函 is not a collection letter: it confirms what the debtor agreed, so it is numbered
 * in a series of its own (issue 28 §3) — a court reading “第0007号” should not count it among the
 * demands. Same sender, key suffixed, prefix with 确 (确认) for the sender's kind character:
 * 函字 → 确字, 某某科技催字 → 某某科技确字; a prefix without 字 gets 确字 appended.
 */
export function confirmationSeries(collection: Series): Series {
  const p = collection.prefix;
  const prefix = /^.+字$/u.test(p) && [...p].length >= 2 ? `${[...p].slice(0, -2).join('')}确字` : `${p}确字`;
  return { key: `${collection.key}:confirmation`, prefix };
}

export function formatNumber(year: number, prefix: string, seq: number): string {
  return `（${year}）${prefix}第${String(seq).padStart(4, '0')}号`;
}

// No 0/O, 1/I/L: a code read off paper must survive being typed back.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newVerifyCode(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export function normaliseCode(s: string): string {
  const c = s.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return c.length === 8 ? `${c.slice(0, 4)}-${c.slice(4)}` : c;
}
