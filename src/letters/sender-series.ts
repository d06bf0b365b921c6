/**
 * One sender, one number series. Letters of the default organisation (the keyless, single-
 * creditor setup) are numbered per sender identity — a creditor's credit code, a firm's
 * letter prefix — while a registered organisation has a series of its own. Without care the
 * two would print the same number for the same sender: a letter issued before the creditor
 * was registered, and the registered creditor's first letter. So a newly registered
 * organisation continues after the default series' numbers of the year, takes over the
 * letters printed in its name, and once it exists the default organisation no longer issues
 * in its name.
 */
import type { NewOrg, Orgs } from '../orgs/orgs.js';
import type { LetterData } from '../pipeline/schema/validate.js';
import { HanjianError } from '../shared/errors.js';
import type { LetterStore } from './letter-store.js';
import { identitySeriesKey, senderIdentity } from './numbers.js';

/** Refuses a default-organisation letter whose sender is a registered organisation. */
export async function assertSenderUnregistered(orgs: Orgs, data: LetterData): Promise<void> {
  const { kind, identity } = senderIdentity(data);
  const owner = await orgs.findBySender(kind, identity);
  if (!owner) return;
  throw new HanjianError({
    code: 'SENDER_REGISTERED',
    category: 'conflict',
    path: kind === 'law-firm' ? 'lawFirm.letterPrefix' : 'creditor.creditCode',
    zh: `出具方“${owner.name}”已登记为机构，其函件须以该机构的身份出具（其 API 密钥，或命令行 --org），以免函号重复`,
    en: `the sender "${owner.name}" is a registered organisation: issue its letters as it (its API key, or --org on the command line), so that no number is printed twice`,
  });
}

/** The default series' key an organisation's letters would have been numbered in before it was registered. */
export function defaultSeriesKey(o: NewOrg): string | null {
  const identity = o.kind === 'law-firm' ? o.letterPrefix : o.creditCode;
  return identity ? identitySeriesKey(o.kind, identity) : null;
}

/** The organisation to add, with its register's next number raised past the default series' letters of `year`. */
export async function continuingDefaultSeries(letters: LetterStore, o: NewOrg, year: number): Promise<NewOrg> {
  const key = defaultSeriesKey(o);
  if (!key || (o.registerYear !== undefined && o.registerYear !== year)) return o;
  const last = await letters.maxSeq(key, year);
  if (last === 0 || (o.registerNext ?? 1) > last) return o;
  return { ...o, registerYear: year, registerNext: last + 1 };
}
