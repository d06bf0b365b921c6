/**
 * API keys with scopes. Presented keys are hashed and compared in constant time with the
 * configured hashes; keys are never logged (only their id). With no keys configured the
 * service is local-only (the server binds 127.0.0.1) and every scope is allowed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKey } from './config.js';
import { sendProblem } from './problem.js';

export type Scope = ApiKey['scopes'][number];

interface KeyEntry { id: string; hash: Buffer; scopes: Set<string>; ratePerMinute?: number }

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export function makeKeyring(keys: ApiKey[]): KeyEntry[] {
  return keys.map((k) => ({ id: k.id, hash: k.key ? sha256(k.key) : Buffer.from(k.keySha256!, 'hex'), scopes: new Set(k.scopes), ratePerMinute: k.ratePerMinute }));
}

function presentedKey(req: Request): string | null {
  const h = req.get('authorization');
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  return req.get('x-api-key') ?? null;
}

export function findKey(ring: KeyEntry[], presented: string): KeyEntry | null {
  const h = sha256(presented);
  let found: KeyEntry | null = null;
  // Compare against every key, so the time taken does not reveal which one matched.
  for (const k of ring) if (timingSafeEqual(h, k.hash) && !found) found = k;
  return found;
}

export function authenticate(ring: KeyEntry[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (ring.length === 0) {
      res.locals.keyId = 'local';
      res.locals.scopes = null; // local-only mode: every scope
      return next();
    }
    const presented = presentedKey(req);
    if (!presented) return sendProblem(res, 401, 'UNAUTHENTICATED', '需要 API 密钥（Authorization: Bearer …）/ an API key is required (Authorization: Bearer …)');
    const key = findKey(ring, presented);
    if (!key) return sendProblem(res, 401, 'UNAUTHENTICATED', 'API 密钥无效 / invalid API key');
    res.locals.keyId = key.id;
    res.locals.keyRate = key.ratePerMinute;
    res.locals.scopes = key.scopes;
    next();
  };
}

/** Checks a scope after authenticate(); the scope may depend on the parsed body (issuing needs issue:<kind>). */
export function needScope(scope: Scope | ((req: Request) => string)): RequestHandler {
  return (req, res, next) => {
    const scopes = res.locals.scopes as Set<string> | null;
    const need = typeof scope === 'function' ? scope(req) : scope;
    if (scopes && !scopes.has(need)) return sendProblem(res, 403, 'FORBIDDEN', `此密钥没有 ${need} 权限 / this key lacks the ${need} scope`);
    next();
  };
}

export function requireScope(ring: KeyEntry[], scope: Scope): RequestHandler[] {
  return [authenticate(ring), needScope(scope)];
}
