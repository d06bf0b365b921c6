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
 * digits standing apart at its end (…501室 100020). Six digits elsewhere may be a house number.
 */
const POSTCODE_PHRASE = /\s*[（(]?\s*(?:邮编|邮政编码)\s*[:：]?\s*(\d{6})(?!\d)\s*[）)]?\s*/u;
const POSTCODE_AT_END = /\s+(\d{6})\s*$/u;

/** A postcode written into the address, or ''. */
export function postcodeOf(address: string): string {
  return (POSTCODE_PHRASE.exec(address) ?? POSTCODE_AT_END.exec(address))?.[1] ?? '';
}

/** The debtor as addressed on an envelope (a postcode in the input wins over one in the address), or null without an address. */
export function addresseeOf(debtor: { name: string; address?: string; postcode?: string }): Addressee | null {
  const written = (debtor.address ?? '').trim();
  if (!written) return null;
  const postcode = debtor.postcode ?? (postcodeOf(written) || null);
  const address = written.replace(POSTCODE_PHRASE, '').replace(POSTCODE_AT_END, '').trim();
  return { name: debtor.name, address, postcode };
}

/** Delivery that puts the letter in an envelope: EMS and registered mail (and, absent a method, post is assumed). */
export function isPosted(method: (typeof DELIVERY_METHODS)[number] | undefined): boolean {
  return method !== 'electronic';
}
