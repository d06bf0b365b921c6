/**
 * The dispute receipt number (受理编号) a debtor reads out on the phone: nine digits in three
 * groups, 385-271-496 — digits only (read aloud in Chinese without spelling a letter), the last
 * one a Damm check digit, so that any single wrong digit and any swap of two neighbours is
 * caught when staff type what they hear. Random, unique per creditor (the store's index);
 * the response keeps its internal id beside it.
 */
import { randomInt } from 'node:crypto';

/** The Damm algorithm's quasigroup (a weakly totally anti-symmetric table of order 10). */
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

const damm = (digits: string) => [...digits].reduce((interim, d) => DAMM[interim]![Number(d)]!, 0);

const grouped = (digits: string) => `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)}`;

/** A new receipt number: eight random digits and their check digit, grouped 3-3-3. */
export function newReceiptNo(): string {
  const body = String(randomInt(0, 100_000_000)).padStart(8, '0');
  return grouped(`${body}${damm(body)}`);
}

/**
 * What someone typed or heard, as the stored form: spaces, hyphens and full-width digits
 * allowed; null unless it is nine digits whose check digit holds.
 */
export function receiptNoOf(typed: string): string | null {
  const digits = typed
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[\s\-－—]/g, '');
  return /^\d{9}$/.test(digits) && damm(digits) === 0 ? grouped(digits) : null;
}
