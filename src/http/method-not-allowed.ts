/**
 * A known path asked with a method it does not serve answers 405 with `Allow` (RFC 9110
 * §15.5.6), not 404: the client learns the route exists and what it takes. Mounted after every
 * route and before the 404 handler; it reads the app's own routes, so it never goes stale.
 * OPTIONS on a known path answers 204 with the same Allow list (the 404 handler would
 * otherwise take it before express's own OPTIONS reply).
 */
import type express from 'express';
import { sendProblem } from '../server-kit/problem.js';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match: (path: string) => unknown;
}

function allowedMethods(app: express.Express, path: string): string[] {
  const stack = (app.router as unknown as { stack: RouteLayer[] }).stack;
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route || !layer.match(path)) continue;
    for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') methods.add(m.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

export function methodNotAllowed(app: express.Express): express.RequestHandler {
  return (req, res, next) => {
    const allow = allowedMethods(app, req.path);
    if (!allow.length) return next();
    if (req.method === 'OPTIONS') {
      res
        .set('Allow', [...allow, 'OPTIONS'].join(', '))
        .status(204)
        .end();
      return;
    }
    res.set('Allow', allow.join(', '));
    sendProblem(
      res,
      405,
      'METHOD_NOT_ALLOWED',
      `${req.method} 不适用于此地址，可用：${allow.join(', ')} / ${req.method} is not allowed here; allowed: ${allow.join(', ')}`,
    );
  };
}
