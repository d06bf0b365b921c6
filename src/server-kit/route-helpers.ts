/**
 * What every route module receives from the express app (http/app.ts builds them): the API's
 * authentication and scopes, its bounded JSON body, rate limits, and the wrapper that sends a
 * thrown error through the one problem path. The JSON API and the workspace mount with them.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Scope } from '../orgs/model.js';

export interface RouteHelpers {
  authenticate: RequestHandler;
  needScope: (scope: Scope | ((req: Request) => string)) => RequestHandler;
  requireScope: (scope: Scope) => RequestHandler[];
  jsonBody: RequestHandler[];
  limit: RequestHandler;
  publicLimit: RequestHandler;
  wrap: (fn: (req: Request, res: Response) => Promise<void> | void) => RequestHandler;
}
