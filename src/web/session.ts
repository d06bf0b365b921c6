/**
 * Signing in to the workspace: the session token in a cookie (orgs/sessions.ts keeps the
 * sessions). The cookie is HttpOnly, SameSite=Strict, and Secure whenever the service is
 * reached over https (directly, behind a trusted proxy, or as its public https address says).
 * Every form carries the session's CSRF token; the sign-in form, before there is a session, a
 * double-submit token. Failed attempts are throttled per (address, login) pair with back-off
 * (server-kit/sign-in-throttle.ts), never locking the owner out from another address.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { User } from '../orgs/model.js';
import { verifyPassword } from '../orgs/passwords.js';
import { SESSION_HOURS, type Sessions, type SignedIn } from '../orgs/sessions.js';
import { SignInThrottle, type SignInThrottleOptions } from '../server-kit/sign-in-throttle.js';

export type WebUser = SignedIn;

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

export class WebSessions {
  private throttled: SignInThrottle;

  constructor(
    private sessions: Sessions,
    private options: { publicBaseUrl?: string; throttle?: Partial<SignInThrottleOptions> },
  ) {
    this.throttled = new SignInThrottle(options.throttle);
  }

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

  /**
   * Seconds this address must wait before trying this login again (0: go ahead). An attempt let
   * through is counted against the pair at once (so parallel guesses count too) and cleared by
   * signIn when the password is right; a wrong one also counts against the address.
   */
  throttle(ip: string, login: string): number {
    return this.throttled.attempt(ip, login);
  }

  /** Signs in and sets the session cookie; the user, 'disabled' (right password, disabled user) or null. */
  async signIn(req: Request, res: Response, login: string, password: string): Promise<User | 'disabled' | null> {
    const r = await this.sessions.signIn(login, password);
    if (!r) {
      this.throttled.addressFailed(req.ip ?? '?');
      return r;
    }
    this.throttled.succeeded(req.ip ?? '?', login);
    if (r === 'disabled') return r;
    res.append('Set-Cookie', this.cookie(req, this.cookieName(req), r.token, SESSION_HOURS * 3600));
    return r.user;
  }

  /**
   * The signed-in person's password asked again before a decision that issues many letters at
   * once: 'ok', 'wrong', or the seconds to wait (throttled like signing in, so the form cannot
   * be used to guess it).
   */
  confirmPassword(req: Request, user: User, password: string): 'ok' | 'wrong' | number {
    const ip = req.ip ?? '?';
    const wait = this.throttled.attempt(ip, user.login);
    if (wait) return wait;
    if (!verifyPassword(password, user.passwordHash)) {
      this.throttled.addressFailed(ip);
      return 'wrong';
    }
    this.throttled.succeeded(ip, user.login);
    return 'ok';
  }

  async signOut(req: Request, res: Response): Promise<void> {
    const web = res.locals.web as WebUser | undefined;
    if (web) await this.sessions.end(web.tokenSha256);
    res.append('Set-Cookie', this.cookie(req, this.cookieName(req), '', 0));
  }

  /** Loads the signed-in user, if any, into res.locals.web. */
  load(): RequestHandler {
    return (req, res, next) => {
      const token = readCookies(req)[this.cookieName(req)];
      if (!token || !/^[\w-]{20,64}$/.test(token)) return next();
      this.sessions.resume(token).then((signedIn) => {
        if (signedIn) res.locals.web = signedIn;
        next();
      }, next);
    };
  }
}
