/**
 * Signing in to the workspace. Sessions are server-side rows (only the cookie token's sha256
 * is kept) rather than HMAC-signed cookies: signing out, disabling a user or changing a
 * password ends the session at once (org/store.ts deletes the rows, and every request reads
 * the user's status again), and no server secret has to be configured and rotated.
 * The cookie is HttpOnly, SameSite=Strict, and Secure whenever the service is reached over
 * https (directly, behind a trusted proxy, or as its public https address says). Every form
 * carries the session's CSRF token; the sign-in form, before there is a session, a
 * double-submit token. Attempts are throttled per source address and per login.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { TokenBuckets } from '../http/buckets.js';
import type { Caller, Org, User } from '../orgs/model.js';
import { verifyPassword } from '../orgs/passwords.js';
import type { OrgStore } from '../orgs/store.js';
import type { WebStore } from './store.js';

export const SESSION_HOURS = 12;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export interface WebUser {
  user: User;
  org: Org;
  csrf: string;
  caller: Caller;
  tokenSha256: string;
}

export function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get('cookie') ?? '').slice(0, 8192).split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

export class Sessions {
  private perSource = new TokenBuckets();
  private perLogin = new TokenBuckets();

  constructor(
    private store: WebStore,
    private orgs: OrgStore,
    private options: { publicBaseUrl?: string; attemptsPerMinute?: { source: number; login: number } },
  ) {}

  /** Secure cookies when the browser talks https to us, or to the public https address in front of us. */
  secure(req: Request): boolean {
    if (req.secure) return true;
    const loopback = /^(localhost|127\.|\[::1\])/.test(req.hostname ?? '');
    return !loopback && !!this.options.publicBaseUrl?.startsWith('https:');
  }

  cookieName(req: Request): string {
    // __Host-: the browser refuses it unless Secure, path / and no Domain, so no subdomain can plant one.
    return this.secure(req) ? '__Host-hanjian_session' : 'hanjian_session';
  }

  private cookie(req: Request, name: string, value: string, maxAge: number): string {
    return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${this.secure(req) ? '; Secure' : ''}`;
  }

  /** The sign-in form's double-submit token (there is no session yet to hold one). */
  preToken(req: Request, res: Response): string {
    const have = readCookies(req).hanjian_signin;
    const token = have && /^[\w-]{32,64}$/.test(have) ? have : randomBytes(24).toString('base64url');
    res.append('Set-Cookie', this.cookie(req, 'hanjian_signin', token, 3600));
    return token;
  }

  checkPreToken(req: Request): boolean {
    const have = readCookies(req).hanjian_signin;
    return !!have && sameToken((req.body as Record<string, unknown>)?._csrf, have);
  }

  /** Seconds to wait before another attempt from this source or for this login (0: go ahead), taking a token from each. */
  throttle(ip: string, login: string): number {
    const perMinute = this.options.attemptsPerMinute ?? { source: 20, login: 5 };
    return Math.max(
      this.perSource.take(ip, perMinute.source),
      this.perLogin.take(login.toLowerCase(), perMinute.login),
    );
  }

  /**
   * A session for the right login and password; null otherwise. 'disabled' only for the right
   * password of a disabled user: whoever learns the account is disabled already knew its
   * password, so it tells nothing to someone guessing logins.
   */
  async signIn(req: Request, res: Response, login: string, password: string): Promise<User | 'disabled' | null> {
    const user = login ? await this.orgs.findUser(login) : null;
    // The same scrypt work whether or not the login exists: no user enumeration by timing.
    const ok = verifyPassword(password, user?.login === login ? user.passwordHash : null);
    if (!ok || !user) return null;
    if (user.disabledAt) return 'disabled';
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    await this.store.addSession({
      tokenSha256: sha(token),
      userId: user.id,
      csrf: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(),
    });
    res.append('Set-Cookie', this.cookie(req, this.cookieName(req), token, SESSION_HOURS * 3600));
    return user;
  }

  async signOut(req: Request, res: Response): Promise<void> {
    const web = res.locals.web as WebUser | undefined;
    if (web) await this.store.dropSession(web.tokenSha256);
    res.append('Set-Cookie', this.cookie(req, this.cookieName(req), '', 0));
  }

  /** Loads the signed-in user, if any, into res.locals.web. */
  load(): RequestHandler {
    return (req, res, next) => {
      const token = readCookies(req)[this.cookieName(req)];
      if (!token || !/^[\w-]{20,64}$/.test(token)) return next();
      this.store.session(sha(token), new Date().toISOString()).then(async (s) => {
        if (!s) return next();
        const user = await this.orgs.findUser(s.userId);
        // Disabling deletes the user's sessions; this check also ends one that raced with it.
        if (!user || user.disabledAt) return next();
        const org = await this.orgs.org(user.orgId);
        const caller: Caller = { orgId: org.id, userId: user.id, keyId: `web:${user.id}`, scopes: scopesOf(user) };
        res.locals.web = { user, org, csrf: s.csrf, caller, tokenSha256: s.tokenSha256 } satisfies WebUser;
        next();
      }, next);
    };
  }
}

/** What a person may do in the workspace follows their role; the workflow still checks the engagement. */
export function scopesOf(user: User): Set<string> {
  const base = ['read', 'request', 'preview'];
  if (user.role === 'lawyer') return new Set([...base, 'review', 'void']);
  if (user.role === 'admin') return new Set([...base, 'void', 'admin']);
  return new Set(base);
}
