/** A token bucket per client (API key id, or IP for public routes): 429 with Retry-After when empty. */
import type { NextFunction, Request, Response } from 'express';
import { TokenBuckets } from '../server-kit/buckets.js';
import { sendProblem } from '../server-kit/problem.js';

export function rateLimit(
  perMinute: number,
  keyOf: (req: Request, res: Response) => string,
  perKeyRate?: (res: Response) => number | undefined,
) {
  const buckets = new TokenBuckets();
  return (req: Request, res: Response, next: NextFunction) => {
    const wait = buckets.take(keyOf(req, res), perKeyRate?.(res) ?? perMinute);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      return sendProblem(res, 429, 'RATE_LIMITED', '请求过于频繁，请稍后再试 / too many requests, retry later');
    }
    next();
  };
}
