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
import { TokenBuckets } from '../server-kit/buckets.js';
import { sendProblem } from '../server-kit/problem.js';

/** Answers that say "your request is malformed", as opposed to "not allowed" or "not now". */
const MALFORMED = new Set([400, 413, 415, 422]);
/** How long a throttled request waits for its 429; long enough to slow a closed loop to a trickle. */
export const REFUSAL_DELAY_MS = 1_000;
/** At most this many throttled answers are held at once; past it they are answered at once. */
const MAX_HELD = 256;

/** How long the answer to "are there API keys?" is reused: it changes when keys are added, rarely. */
const KEYS_KNOWN_MS = 1_000;

export function refusalBudget(perMinute: number, keysConfigured: () => Promise<boolean>) {
  const buckets = new TokenBuckets();
  let held = 0;
  // Asked for every request that presents a key; with keys stored in the registry that is a
  // database round trip, so the answer is kept for a second rather than asked each time.
  let known: { at: number; value: Promise<boolean> } | null = null;
  const keysExist = () => {
    const now = Date.now();
    if (!known || now - known.at > KEYS_KNOWN_MS) known = { at: now, value: keysConfigured().catch(() => false) };
    return known.value;
  };
  return async (req: Request, res: Response, next: NextFunction) => {
    const source = req.ip ?? req.socket.remoteAddress ?? '?';
    // Whether keys exist is asked only of requests that present one (the registry may be remote).
    const presentsKey = req.headers.authorization !== undefined && (await keysExist());
    const wait = presentsKey ? 0 : buckets.wait(source, perMinute);
    if (wait > 0) {
      const answer = () => {
        res.set({ 'Retry-After': String(wait), Connection: 'close' });
        sendProblem(
          res,
          429,
          'TOO_MANY_REFUSALS',
          '来自此地址的无效请求过多，请稍后再试 / too many malformed requests from this address, retry later',
        );
      };
      if (held >= MAX_HELD) return answer();
      held++;
      const timer = setTimeout(() => {
        held--;
        answer();
      }, REFUSAL_DELAY_MS);
      res.on('close', () => {
        if (!res.writableEnded) {
          clearTimeout(timer);
          held--;
        }
      });
      return;
    }
    res.on('finish', () => {
      const keyed = res.locals.keyId !== undefined && res.locals.keyId !== 'local';
      if (MALFORMED.has(res.statusCode) && !keyed) buckets.take(source, perMinute);
    });
    next();
  };
}
