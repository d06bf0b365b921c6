/**
 * Signing a person in: sessions are server-side rows (only the token's sha256 is kept), so
 * signing out, disabling a user or changing a password ends a session at once and no server
 * secret has to be configured. The workspace (web/session.ts) carries the token in a cookie;
 * what a session may do follows the person's role (scopesOf).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Audit } from '../audit/audit.js';
import type { Caller, Org, User } from './model.js';
import type { OrgStore } from './org-store.js';
import { verifyPassword } from './passwords.js';

export const SESSION_HOURS = 12;

export const tokenSha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SignedIn {
  user: User;
  org: Org;
  csrf: string;
  caller: Caller;
  tokenSha256: string;
}

/** What a person may do follows their role; the review still checks the engagement. */
export function scopesOf(user: User): Set<string> {
  const base = ['read', 'request', 'preview'];
  if (user.role === 'lawyer') return new Set([...base, 'review', 'void']);
  if (user.role === 'admin') return new Set([...base, 'void', 'admin']);
  return new Set(base);
}

/** The key a person is recorded under when they act in the workspace (audit actor, letter requester). */
export const personKeyId = (userId: string): string => `web:${userId}`;

/** A person as a caller: their organisation, and what their role lets them do now. */
export function callerOfPerson(user: User): Caller {
  return { orgId: user.orgId, userId: user.id, keyId: personKeyId(user.id), scopes: scopesOf(user) };
}

export class Sessions {
  constructor(
    private store: OrgStore,
    private audit: Audit,
  ) {}

  /**
   * A new session for the right login and password; null otherwise. 'disabled' only for the
   * right password of a disabled user: whoever learns that already knew the password.
   */
  async signIn(login: string, password: string): Promise<{ user: User; token: string } | 'disabled' | null> {
    const user = login ? await this.store.findUser(login) : null;
    // The same scrypt work whether or not the login exists: no user enumeration by timing.
    const ok = verifyPassword(password, user?.login === login ? user.passwordHash : null);
    if (!ok || !user) return null;
    if (user.disabledAt) return 'disabled';
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    await this.store.transaction(async () => {
      await this.store.addSession({
        tokenSha256: tokenSha256(token),
        userId: user.id,
        csrf: randomBytes(24).toString('base64url'),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(),
      });
      await this.audit.append({
        orgId: user.orgId,
        actor: personKeyId(user.id),
        action: 'user.sign-in',
        subject: user.id,
      });
    });
    return { user, token };
  }

  /** The person a live session belongs to, if they are still active. */
  async resume(token: string, now = new Date()): Promise<SignedIn | null> {
    const s = await this.store.session(tokenSha256(token), now.toISOString());
    if (!s) return null;
    const user = await this.store.user(s.userId);
    // Disabling deletes the user's sessions; this check also ends one that raced with it.
    if (!user || user.disabledAt) return null;
    const org = await this.store.org(user.orgId);
    if (!org) return null;
    return { user, org, csrf: s.csrf, caller: callerOfPerson(user), tokenSha256: s.tokenSha256 };
  }

  end(sha256: string): Promise<void> {
    return this.store.dropSession(sha256);
  }
}
