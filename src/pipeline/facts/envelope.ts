/**
 * Who a posted letter goes to, as the envelope window and the mailing list show it (issue 29):
 * the debtor's name, postal address and postcode. One rule for both, so the list a post office
 * takes and the block it reads through the window never disagree.
 */
import type { DELIVERY_METHODS } from '../schema/letter.js';

export interface Addressee {
  name: string;
  /** The address as printed in the window: a postcode written into it is moved to its own line. */
  address: string;
  /** Six digits, or null when neither the input nor the address gives one. */
  postcode: string | null;
}

/**
 * The ways an address carries its postcode: introduced (邮编100020, （邮政编码：100020）) or six
 * digits standing apart at its start or end (100020 北京市…, …501室 100020). Six digits
 * elsewhere may be a house number.
 */
const POSTCODE_PHRASE = /\s*[（(]?\s*(?:邮编|邮政编码)\s*[:：]?\s*(\d{6})(?!\d)\s*[）)]?\s*/u;
const POSTCODE_AT_START = /^\s*(\d{6})\s+/u;
const POSTCODE_AT_END = /\s+(\d{6})\s*$/u;
const WAYS = [POSTCODE_PHRASE, POSTCODE_AT_START, POSTCODE_AT_END];

/** A postcode written into the address, or ''. */
export function postcodeOf(address: string): string {
  for (const way of WAYS) {
    const m = way.exec(address);
    if (m) return m[1]!;
  }
  return '';
}

/**
 * The debtor as addressed on an envelope, or null without an address — an address that is only a
 * postcode (邮编100020) is none. A postcode in the input and one in the address must agree
 * (postcodeConflict); the input's is used.
 */
export function addresseeOf(debtor: { name: string; address?: string; postcode?: string }): Addressee | null {
  const written = (debtor.address ?? '').trim();
  const address = WAYS.reduce((a, way) => a.replace(way, ''), written).trim();
  if (!address) return null;
  const postcode = debtor.postcode ?? (postcodeOf(written) || null);
  return { name: debtor.name, address, postcode };
}

/** The address's own postcode when it differs from the one given beside it, else null. */
export function postcodeConflict(debtor: { address?: string; postcode?: string }): string | null {
  const written = postcodeOf(debtor.address ?? '');
  return debtor.postcode && written && written !== debtor.postcode ? written : null;
}

/** Delivery that puts the letter in an envelope: EMS and registered mail (and, absent a method, post is assumed). */
export function isPosted(method: (typeof DELIVERY_METHODS)[number] | undefined): boolean {
  return method !== 'electronic';
}
