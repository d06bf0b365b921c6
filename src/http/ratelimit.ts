/** A token bucket per client (API key id, or IP for public routes): 429 with Retry-After when empty. */
import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from './problem.js';

interface Bucket { tokens: number; at: number }

export function rateLimit(perMinute: number, keyOf: (req: Request, res: Response) => string, perKeyRate?: (res: Response) => number | undefined) {
  const buckets = new Map<string, Bucket>();
  return (req: Request, res: Response, next: NextFunction) => {
    const rate = perKeyRate?.(res) ?? perMinute;
    const key = keyOf(req, res);
    const now = Date.now();
    const b = buckets.get(key) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 60_000) * rate);
    b.at = now;
    if (b.tokens < 1) {
      buckets.set(key, b);
      res.set('Retry-After', String(Math.ceil(((1 - b.tokens) * 60) / rate)));
      return sendProblem(res, 429, 'RATE_LIMITED', '请求过于频繁，请稍后再试 / too many requests, retry later');
    }
    b.tokens -= 1;
    buckets.set(key, b);
    if (buckets.size > 10_000) buckets.clear(); // bounded memory under a flood of distinct clients
    next();
  };
}
