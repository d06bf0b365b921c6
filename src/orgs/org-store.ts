/**
 * What the organisations part needs from storage (store/sql/orgs.ts implements it): rows in
 * and out, no rules. The rules — who may be a lawyer, what a password must be, which changes
 * end a person's sessions — are in orgs.ts.
 */
import type { Transactional } from '../shared/transactional.js';
import type { ApiKeyRecord, Engagement, Org, User } from './model.js';

export interface SessionRow {
  tokenSha256: string;
  userId: string;
  csrf: string;
  createdAt: string;
  expiresAt: string;
}

export interface OrgStore extends Transactional {
  insertOrg(o: Org): Promise<void>;
  updateContact(id: string, c: { address: string | null; phone: string | null }): Promise<void>;
  org(id: string): Promise<Org | null>;
  /** By id or by exact name. */
  findOrg(idOrName: string): Promise<Org | null>;
  /** The registered organisation printing as this sender: a creditor by credit code, a firm by letter prefix. */
  findBySender(kind: Org['kind'], identity: string): Promise<Org | null>;
  /** Every organisation but the implicit default one, oldest first. */
  orgs(): Promise<Org[]>;

  insertUser(u: User): Promise<void>;
  user(id: string): Promise<User | null>;
  /** By id or by login. */
  findUser(idOrLogin: string): Promise<User | null>;
  /** A user of this organisation by id or login; another organisation's is not found. */
  userOf(orgId: string, idOrLogin: string): Promise<User | null>;
  usersOf(orgId: string): Promise<User[]>;
  /** Sets or clears disabled_at when it is not already so; the number of rows changed. */
  setDisabledAt(userId: string, at: string | null): Promise<number>;
  setPasswordHash(userId: string, hash: string): Promise<void>;

  insertKey(k: ApiKeyRecord): Promise<void>;
  keyById(id: string): Promise<ApiKeyRecord | null>;
  /** An active key: not revoked and not bound to a disabled user. */
  keyBySha256(hex: string): Promise<ApiKeyRecord | null>;
  hasKeys(): Promise<boolean>;
  keysOf(orgId: string): Promise<ApiKeyRecord[]>;
  /** Revokes an active key of the organisation; false when there is none. */
  revokeKey(id: string, orgId: string, at: string): Promise<boolean>;

  insertEngagement(e: Engagement): Promise<void>;
  /** Keeps the file of an engagement recorded by its mandate's sha256 only; false when it has one already. */
  storeMandateFile(id: string, sha256: string, file: { blob: string; type: string }): Promise<boolean>;
  engagement(id: string): Promise<Engagement | null>;
  engagementsOf(orgId: string): Promise<Engagement[]>;

  /** Adds a sign-in session (and clears expired ones). */
  addSession(s: SessionRow): Promise<void>;
  session(tokenSha256: string, now: string): Promise<SessionRow | null>;
  dropSession(tokenSha256: string): Promise<void>;
  /** Ends a user's sessions, except the one named (the person changing their own password). */
  dropSessionsOf(userId: string, except?: string): Promise<void>;
}
