/**
 * API keys with scopes. Presented keys are hashed and compared in constant time with the
 * configured hashes; keys are never logged (only their id). With no keys configured the
 * service is local-only (the server binds 127.0.0.1) and every scope is allowed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKey } from '../app/config.js';
import { type Caller, DEFAULT_ORG } from '../orgs/model.js';
import { TokenBuckets } from '../server-kit/buckets.js';
import { sendProblem } from '../server-kit/problem.js';

export type Scope = ApiKey['scopes'][number];

export interface KeyEntry {
  id: string;
  hash: Buffer;
  scopes: Set<string>;
  ratePerMinute?: number;
  orgId: string;
  userId: string | null;
}

/** Keys created with `hanjian keys add` (stored as sha256 in the registry), looked up by the presented key's hash. */
export interface StoredKeys {
  find(sha256Hex: string): Promise<KeyEntry | null>;
  any(): Promise<boolean>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** `orgOf` maps a configured key's organisation (id or name) to its id; keys without one belong to the default organisation. */
export function makeKeyring(keys: ApiKey[], orgOf: (idOrName: string) => string = (x) => x): KeyEntry[] {
  return keys.map((k) => ({
    id: k.id,
    hash: k.key ? sha256(k.key) : Buffer.from(k.keySha256!, 'hex'),
    scopes: new Set(k.scopes),
    ratePerMinute: k.ratePerMinute,
    orgId: k.org ? orgOf(k.org) : DEFAULT_ORG,
    userId: null,
  }));
}

/** The auth scheme is case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" work too. */
function presentedKey(req: Request): string | null {
  const m = /^bearer[ \t]+(.+)$/i.exec(req.get('authorization') ?? '');
  if (m) return m[1]!.trim();
  return req.get('x-api-key') ?? null;
}

export function findKey(ring: KeyEntry[], presented: string): KeyEntry | null {
  const h = sha256(presented);
  let found: KeyEntry | null = null;
  // Compare against every key, so the time taken does not reveal which one matched.
  for (const k of ring) if (timingSafeEqual(h, k.hash) && !found) found = k;
  return found;
}

/**
 * Failed attempts are throttled per source address: after `failuresPerMinute` wrong or missing
 * keys, that source gets 429 until its bucket refills, so keys cannot be guessed at speed.
 */
export function authenticate(ring: KeyEntry[], failuresPerMinute = 30, stored?: StoredKeys): RequestHandler {
  const failures = new TokenBuckets();
  return (req: Request, res: Response, next: NextFunction) => {
    // The stored keys live in the registry's database: an outage there is a 503 (REGISTRY_UNAVAILABLE), passed on to the error handler.
    check(req, res, next).catch(next);
  };
  async function check(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (ring.length === 0 && !(await stored?.any())) {
      res.locals.keyId = 'local';
      res.locals.scopes = null; // local-only mode: every scope
      res.locals.caller = { orgId: DEFAULT_ORG, userId: null, keyId: 'local', scopes: null } satisfies Caller;
      return next();
    }
    const source = req.ip ?? '?';
    const wait = failures.wait(source, failuresPerMinute);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      return sendProblem(
        res,
        429,
        'AUTH_THROTTLED',
        '认证失败次数过多，请稍后再试 / too many failed authentication attempts, retry later',
      );
    }
    const presented = presentedKey(req);
    const key = presented
      ? (findKey(ring, presented) ?? (await stored?.find(sha256(presented).toString('hex'))) ?? null)
      : null;
    if (!key) {
      failures.take(source, failuresPerMinute);
      return presented
        ? sendProblem(res, 401, 'UNAUTHENTICATED', 'API 密钥无效 / invalid API key')
        : sendProblem(
            res,
            401,
            'UNAUTHENTICATED',
            '需要 API 密钥（Authorization: Bearer …）/ an API key is required (Authorization: Bearer …)',
          );
    }
    res.locals.keyId = key.id;
    res.locals.keyRate = key.ratePerMinute;
    res.locals.scopes = key.scopes;
    res.locals.caller = { orgId: key.orgId, userId: key.userId, keyId: key.id, scopes: key.scopes } satisfies Caller;
    next();
  }
}

/** Checks a scope after authenticate(); the scope may depend on the parsed body (issuing needs issue:<kind>). */
export function needScope(scope: Scope | ((req: Request) => string)): RequestHandler {
  return (req, res, next) => {
    const scopes = res.locals.scopes as Set<string> | null;
    const need = typeof scope === 'function' ? scope(req) : scope;
    if (scopes && !scopes.has(need))
      return sendProblem(res, 403, 'FORBIDDEN', `此密钥没有 ${need} 权限 / this key lacks the ${need} scope`);
    next();
  };
}

export function requireScope(auth: RequestHandler, scope: Scope): RequestHandler[] {
  return [auth, needScope(scope)];
}
