/**
 * A refusal budget per source. Refusing a malformed body is cheap but not free (the body is
 * read and parsed, often to its limit), and a client in a closed loop sends more of whatever
 * is answered fastest: measured without this, 16 hostile clients cut the letters/s of 16
 * honest ones by 53–63 % on two cores. So each source (client address, as express's
 * "trust proxy" sees it) may have `perMinute` requests refused as malformed (400, 413, 415,
 * 422); past that its requests are answered 429 TOO_MANY_REFUSALS before anything is read,
 * after a short delay that turns a closed loop into a slow one, and the connection is closed.
 *
 * Requests that authenticated with an API key are not counted: a keyed client is accountable
 * and already has its own rate limit (RATE_LIMITED). Where keys exist, a request that presents
 * one is let through the check too (a wrong key is throttled by AUTH_THROTTLED instead).
 */
import type { NextFunction, Request, Response } from 'express';
import { TokenBuckets } from './buckets.js';
import { sendProblem } from './problem.js';

/** Answers that say "your request is malformed", as opposed to "not allowed" or "not now". */
const MALFORMED = new Set([400, 413, 415, 422]);
/** How long a throttled request waits for its 429; long enough to slow a closed loop to a trickle. */
export const REFUSAL_DELAY_MS = 1_000;
/** At most this many throttled answers are held at once; past it they are answered at once. */
const MAX_HELD = 256;

export function refusalBudget(perMinute: number, keysConfigured: () => boolean) {
  const buckets = new TokenBuckets();
  let held = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    const source = req.ip ?? req.socket.remoteAddress ?? '?';
    const presentsKey = keysConfigured() && req.headers.authorization !== undefined;
    const wait = presentsKey ? 0 : buckets.wait(source, perMinute);
    if (wait > 0) {
      const answer = () => {
        res.set({ 'Retry-After': String(wait), Connection: 'close' });
        sendProblem(res, 429, 'TOO_MANY_REFUSALS', '来自此地址的无效请求过多，请稍后再试 / too many malformed requests from this address, retry later');
      };
      if (held >= MAX_HELD) return answer();
      held++;
      const timer = setTimeout(() => { held--; answer(); }, REFUSAL_DELAY_MS);
      res.on('close', () => { if (!res.writableEnded) { clearTimeout(timer); held--; } });
      return;
    }
    res.on('finish', () => {
      const keyed = res.locals.keyId !== undefined && res.locals.keyId !== 'local';
      if (MALFORMED.has(res.statusCode) && !keyed) buckets.take(source, perMinute);
    });
    next();
  };
}
