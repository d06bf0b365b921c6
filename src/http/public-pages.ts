/**
 * What every answer under /v1/verify (the debtor's public pages and forms) carries: a strict CSP
 * like the workspace's (the one inline style sheet is allowed by its hash, nothing else inline;
 * fonts from this origin only),
 * and, for a person's browser, errors as a plain Chinese page with a link back instead of
 * problem+json. API clients (Accept: application/json, or no preference) keep problem+json.
 * Installed before the refusal budget and the rate limits, so their 429s are pages too.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { HtmlProblem } from '../server-kit/problem.js';
import { errorPage, PAGE_STYLE } from './verify-page.js';

const STYLE_HASH = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

export const PUBLIC_CSP = [
  "default-src 'none'",
  "script-src 'none'",
  `style-src ${STYLE_HASH}`,
  "img-src 'self' data:",
  // The workspace's CJK font, the last resort of the style sheet's font stack (debtor-style.ts).
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const wantsHtml = (req: Request) => req.accepts(['application/json', 'text/html']) === 'text/html';

/** Back to the verification page of the letter the request named (in the form or the query), or to the page that asks for it. */
function backLink(req: Request): string {
  const src = {
    ...(req.query as Record<string, unknown>),
    ...(req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)
      ? (req.body as Record<string, unknown>)
      : {}),
  };
  const number = typeof src.number === 'string' ? src.number.slice(0, 80) : '';
  const code = typeof src.code === 'string' ? src.code.slice(0, 20) : '';
  return number && code ? `/v1/verify?${new URLSearchParams({ number, code }).toString()}` : '/v1/verify';
}

export function publicPages(prefix = '/v1/verify'): RequestHandler {
  return (req, res, next) => {
    if (req.path !== prefix && !req.path.startsWith(`${prefix}/`)) return next();
    res.set({
      'Content-Security-Policy': PUBLIC_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
    if (wantsHtml(req))
      (res.locals as { htmlProblem?: HtmlProblem }).htmlProblem = (status, chinese) =>
        errorPage(status, chinese, backLink(req));
    next();
  };
}

export { chineseOf, type HtmlProblem, htmlProblemOf } from '../server-kit/problem.js';
