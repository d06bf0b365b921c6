/**
 * Security headers of every workspace response (helmet's defaults, set by hand: a dozen
 * headers do not need a dependency) with a strict CSP: scripts and styles only from this
 * origin, no inline script, frames only of our own PDFs, forms only back to us.
 */
import type { RequestHandler } from 'express';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
].join('; ');

export const securityHeaders =
  (secure: (req: Parameters<RequestHandler>[0]) => boolean): RequestHandler =>
  (req, res, next) => {
    res.set({
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      // SAMEORIGIN, not DENY: the review page frames the draft PDF.
      'X-Frame-Options': 'SAMEORIGIN',
      'Referrer-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
      // Pages show personal data: never cached on a shared machine or a proxy.
      'Cache-Control': 'no-store',
    });
    if (secure(req)) res.set('Strict-Transport-Security', 'max-age=31536000');
    next();
  };
