/** Who may do what for whom: organisations, their people, their keys, and engagements between them. */
export type OrgKind = 'creditor' | 'law-firm';
export type Role = 'lawyer' | 'assistant' | 'admin';

export const SCOPES = [
  'preview',
  'read',
  'issue:reminder',
  'issue:demand',
  'issue:lawyer-letter',
  'request',
  'review',
  'override',
  'void',
  'deliver',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

/** The organisation of keys configured without one, and of the local-only mode. */
export const DEFAULT_ORG = 'default';

export interface Org {
  id: string;
  kind: OrgKind;
  name: string;
  creditCode: string | null;
  licenseNo: string | null;
  letterPrefix: string | null;
  address: string | null;
  phone: string | null;
  /** The next number of the firm's own (paper) register in `registerYear`, so the two never clash. */
  registerYear: number | null;
  registerNext: number | null;
  reviewOwnLetters: boolean;
  createdAt: string;
}

export interface User {
  id: string;
  orgId: string;
  login: string;
  name: string;
  role: Role;
  licenseNo: string | null;
  phone: string | null;
  passwordHash: string | null;
  createdAt: string;
  /** When the user was disabled (no sign-in, no approval, sessions ended); null while active. */
  disabledAt: string | null;
}

export interface ApiKeyRecord {
  id: string;
  orgId: string;
  userId: string | null;
  keySha256: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt: string | null;
}

export interface Engagement {
  id: string;
  creditorOrgId: string;
  firmOrgId: string;
  /** The date of the signed 授权委托书. */
  signedOn: string;
  startsOn: string;
  endsOn: string | null;
  /** Products covered; empty: every product of the creditor. */
  products: string[];
  lawyerIds: string[];
  mandateSha256: string;
  /** The 授权委托书 itself, stored encrypted (orgs/mandates.ts): its blob's name and type; absent when only its sha256 was recorded. */
  mandateFile?: { blob: string; type: string } | null;
  createdAt: string;
}

/** Who is calling: the organisation every read and write is scoped to, and the user if the key is bound to one. */
export interface Caller {
  orgId: string;
  userId: string | null;
  keyId: string;
  scopes: Set<string> | null;
}

export function inForce(e: Engagement, date: string): boolean {
  return e.startsOn <= date && (!e.endsOn || date <= e.endsOn);
}
