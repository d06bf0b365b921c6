/**
 * One sender, one number series. Letters of the default organisation (the keyless, single-
 * creditor setup) are numbered per sender identity — a creditor's credit code, a firm's
 * letter prefix — while a registered organisation has a series of its own. Without care the
 * two would print the same number for the same sender: a letter issued before the creditor
 * was registered, and the registered creditor's first letter. So a newly registered
 * organisation continues after the default series' numbers of the year, and once it exists
 * the default organisation no longer issues in its name.
 */

import type { NewOrg, OrgStore } from '../orgs/store.js';
import type { LetterData } from '../pipeline/schema/validate.js';
import { HanjianError } from '../shared/errors.js';
import type { Db } from '../store/db.js';
import { identitySeriesKey, senderIdentity } from './numbers.js';

/** Refuses a default-organisation letter whose sender is a registered organisation. */
export async function assertSenderUnregistered(orgs: OrgStore, data: LetterData): Promise<void> {
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
function defaultSeriesKey(o: NewOrg): string | null {
  const identity = o.kind === 'law-firm' ? o.letterPrefix : o.creditCode;
  return identity ? identitySeriesKey(o.kind, identity) : null;
}

/** The organisation to add, with its register's next number raised past the default series' letters of `year`. */
export async function continuingDefaultSeries(db: Db, o: NewOrg, year: number): Promise<NewOrg> {
  const key = defaultSeriesKey(o);
  if (!key || (o.registerYear !== undefined && o.registerYear !== year)) return o;
  const row = await db.get<{ m: number | string | null }>(
    'SELECT MAX(seq) m FROM letters WHERE series = ? AND year = ?',
    [key, year],
  );
  const last = Number(row?.m ?? 0);
  if (last === 0 || (o.registerNext ?? 1) > last) return o;
  return { ...o, registerYear: year, registerNext: last + 1 };
}

/**
 * A newly registered organisation takes over the letters the default organisation issued in
 * its name (the keyless trial that came first): they are its letters, under its numbers. For a
 * creditor the debtor's side comes along — disputes, hardship requests, accepted plans — so a
 * dispute filed against a trial letter still stops the next letter for that contract, and the
 * creditor can see and resolve it (a new-user review found both lost after registering).
 * Run inside the transaction that adds the organisation. Returns how many letters moved.
 */
export async function adoptDefaultLetters(db: Db, org: NewOrg & { id: string }): Promise<number> {
  const key = defaultSeriesKey(org);
  if (!key) return 0;
  const { n } = (await db.get<{ n: number | string }>(
    "SELECT COUNT(*) n FROM letters WHERE org_id = 'default' AND series = ?",
    [key],
  ))!;
  if (Number(n) === 0) return 0;
  if (org.kind === 'creditor') {
    // The debtor's side first, while the letters still say which ones are the default organisation's.
    const ours = "SELECT id FROM letters WHERE org_id = 'default' AND series = ?";
    await db.run(
      `UPDATE debtor_responses SET client_org_id = ? WHERE client_org_id = 'default' AND letter_id IN (${ours})`,
      [org.id, key],
    );
    await db.run(
      `UPDATE repayment_plans SET client_org_id = ? WHERE client_org_id = 'default' AND letter_id IN (${ours})`,
      [org.id, key],
    );
    await db.run(
      "UPDATE letters SET client_org_id = ? WHERE org_id = 'default' AND series = ? AND client_org_id = 'default'",
      [org.id, key],
    );
  }
  await db.run("UPDATE letters SET org_id = ? WHERE org_id = 'default' AND series = ?", [org.id, key]);
  return Number(n);
}
