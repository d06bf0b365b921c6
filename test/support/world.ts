/**
 * The people and organisations most tests need, built once here instead of in every file: a
 * creditor (the client), a second creditor (the organisation that must see nothing), a law
 * firm with a lawyer, an assistant and an admin, and an engagement (委托) between the client
 * and the firm. Everything goes through the parts, as the CLI and the workspace do it.
 */
import { createHash } from 'node:crypto';
import type { Hanjian } from '../../src/app/hanjian.js';
import type { Engagement, Org, Scope, User } from '../../src/orgs/model.js';
import type { NewOrg, NewUser } from '../../src/orgs/orgs.js';
import { addDays, todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { mandatePdf } from '../fixtures/mandate.js';
import { example, restated } from '../helpers.js';
import { CLIENT, FIRM, LAWYER, OTHER_CLIENT, PASSWORD } from './cast.mjs';

/** Who the tests say made a change (the audit trail's actor). */
export const ACTOR = 'test';
// The cast's records are plain data in cast.mjs, which the benches share.
export { CLIENT, FIRM, LAWYER, OTHER_CLIENT, PASSWORD } from './cast.mjs';

/** The sha256 of an engagement recorded without its file (only as registries did before mandates were stored). */
export const MANDATE_SHA256 = createHash('sha256').update('授权委托书').digest('hex');

export interface World {
  client: Org;
  other: Org;
  firm: Org;
  lawyer: User;
  assistant: User;
  admin: User;
  otherAdmin: User;
  engagement: Engagement;
}

export interface WorldOptions {
  today?: string;
  /** Changes to the firm (e.g. its register's next number). */
  firm?: Partial<NewOrg>;
  /** Changes to the client (e.g. reviewOwnLetters). */
  client?: Partial<NewOrg>;
  /** Products the engagement covers (default 白条). */
  products?: string[];
  /** The lawyer's password (null: none set). */
  lawyerPassword?: string | null;
}

/**
 * Adds the standard cast; returns every record by role. With the registry's mandates, the
 * engagement keeps its signed 授权委托书 (test/fixtures/mandate.ts), which every lawyer's letter
 * lists and so carries; without, it records only a sha256 and lawyer's letters are refused.
 */
export async function addWorld(
  h: Pick<Hanjian, 'orgs'> & Partial<Pick<Hanjian, 'mandates'>>,
  o: WorldOptions = {},
): Promise<World> {
  const today = o.today ?? todayInShanghai();
  const orgs = h.orgs;
  const client = await orgs.addOrg({ ...CLIENT, ...o.client }, ACTOR);
  const other = await orgs.addOrg(OTHER_CLIENT, ACTOR);
  const firm = await orgs.addOrg({ ...FIRM, ...o.firm }, ACTOR);
  const password = o.lawyerPassword === undefined ? PASSWORD : (o.lawyerPassword ?? undefined);
  const lawyer = await orgs.addUser({ ...LAWYER, orgId: firm.id, password }, ACTOR);
  const assistant = await orgs.addUser(
    { orgId: firm.id, login: 'zhaoliu', name: '赵六', role: 'assistant', password: PASSWORD },
    ACTOR,
  );
  const admin = await orgs.addUser(
    { orgId: firm.id, login: 'admin', name: '欧阳娜娜', role: 'admin', password: PASSWORD },
    ACTOR,
  );
  const otherAdmin = await orgs.addUser(
    { orgId: other.id, login: 'other', name: '钱七', role: 'admin', password: PASSWORD },
    ACTOR,
  );
  const stored = h.mandates ? await h.mandates.store(await mandatePdf()) : null;
  const engagement = await orgs.addEngagement(
    {
      creditorOrgId: client.id,
      firmOrgId: firm.id,
      signedOn: addDays(today, -30),
      startsOn: addDays(today, -30),
      products: o.products ?? ['白条'],
      lawyerIds: [lawyer.id],
      mandateSha256: stored?.sha256 ?? MANDATE_SHA256,
      mandateFile: stored?.file ?? null,
    },
    ACTOR,
  );
  return { client, other, firm, lawyer, assistant, admin, otherAdmin, engagement };
}

/** An API key of the organisation (bound to a person when `userId` is given), shown once: its text. */
export async function keyFor(
  h: Pick<Hanjian, 'orgs'>,
  orgId: string,
  scopes: Scope[],
  userId?: string,
): Promise<string> {
  return (await h.orgs.addKey({ orgId, scopes, userId }, ACTOR)).key;
}

/** The least a lawyer's letter is requested or issued under: a client, its firm, a lawyer, an engagement. */
export interface EngagedFirm {
  client: Org;
  firm: Org;
  lawyer: User;
  engagement: Engagement;
}

/**
 * The firm, its client, a lawyer (no password unless given) and an engagement holding a signed
 * 授权委托书 (test/fixtures/mandate.ts, or `mandate`'s bytes) that every lawyer's letter lists:
 * lighter than addWorld (no second client, no assistant or admin), for tests that need no more.
 */
export async function addEngagedFirm(
  h: Pick<Hanjian, 'orgs' | 'mandates'>,
  o: {
    today?: string;
    client?: Partial<NewOrg>;
    firm?: Partial<NewOrg>;
    lawyer?: Partial<Omit<NewUser, 'orgId'>>;
    /** When the engagement was signed and began (default 30 days before today). */
    daysAgo?: number;
    /** Products the engagement covers (default 白条; null: none named). */
    products?: string[] | null;
    mandate?: Buffer;
  } = {},
): Promise<EngagedFirm> {
  const today = o.today ?? todayInShanghai();
  const client = await h.orgs.addOrg({ ...CLIENT, ...o.client }, ACTOR);
  const firm = await h.orgs.addOrg({ ...FIRM, ...o.firm }, ACTOR);
  const lawyer = await h.orgs.addUser({ ...LAWYER, ...o.lawyer, orgId: firm.id }, ACTOR);
  const stored = await h.mandates.store(o.mandate ?? (await mandatePdf()));
  const since = addDays(today, -(o.daysAgo ?? 30));
  const products = o.products === undefined ? ['白条'] : o.products;
  const engagement = await h.orgs.addEngagement(
    {
      creditorOrgId: client.id,
      firmOrgId: firm.id,
      signedOn: since,
      startsOn: since,
      ...(products ? { products } : {}),
      lawyerIds: [lawyer.id],
      mandateSha256: stored.sha256,
      mandateFile: stored.file,
    },
    ACTOR,
  );
  return { client, firm, lawyer, engagement };
}

/**
 * The least a lawyer's letter is issued under directly (`letters.issue` with an approval, as the
 * review does): an engaged firm of a year and more. Returns what to pass to `issue`.
 */
export async function mandatedFirm(
  h: Pick<Hanjian, 'orgs' | 'mandates'>,
  o: { firm?: Partial<NewOrg>; today?: string } = {},
): Promise<{ orgId: string; approval: { requestId: string; approvedBy: string; clientOrgId: string } }> {
  const { client, firm, lawyer } = await addEngagedFirm(h, { ...o, daysAgo: 400, products: null });
  return { orgId: firm.id, approval: { requestId: 'test-request', approvedBy: lawyer.id, clientOrgId: client.id } };
}

/**
 * A lawyer's letter as a creditor requests it: the example's, on `contractNo`, without the firm,
 * the lawyers or a number (the engagement and the review give those); its amounts as of `today`
 * (the day approval itemises them at) and no asOf: the review fills it in.
 */
export function requestedLetter(contractNo: string, today = todayInShanghai(), version = 1): Record<string, any> {
  const x = example('lawyer-letter', version);
  // What the engagement and the review give (later versions' examples state the engagement too).
  for (const k of ['lawFirm', 'lawyers', 'letterNo', 'issueDate', 'engagement']) delete x[k];
  restated(x, today);
  delete x.asOf;
  x.account.contractNo = contractNo;
  return x;
}

/**
 * `n` lawyer's letters the client requests under the engagement, pending the lawyer's review:
 * their ids. Each is requestedLetter on its own contract (REQ-1, REQ-2, …), after a delivered demand.
 */
export async function requestLawyerLetters(
  h: Pick<Hanjian, 'requests'>,
  o: { engagementId: string; clientOrgId: string },
  n: number,
  today = todayInShanghai(),
  /** The lawyer's letter version requested: 1 lists no 附件, 2 and later list the 授权委托书. */
  version = 1,
): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = requestedLetter(`REQ-${i + 1}`, today, version);
    x.history = {
      overdueCount12m: 2,
      lettersSent: [{ kind: 'demand', date: addDays(today, -9), deadline: addDays(today, -2), delivery: 'delivered' }],
    };
    const caller = { orgId: o.clientOrgId, userId: null, keyId: 'test', scopes: null };
    out.push((await h.requests.request({ engagement: o.engagementId, letter: x }, caller)).id);
  }
  return out;
}

/** The creditor of a letter as the organisation's record has it, paid through its app. */
export const creditorOf = (org: Pick<Org, 'name' | 'creditCode' | 'address' | 'phone'>) => ({
  name: org.name,
  creditCode: org.creditCode,
  address: org.address,
  phone: org.phone,
  paymentChannels: [{ type: 'online', description: '某某APP—我的—立即还款' }],
});
