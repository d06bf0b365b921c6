/**
 * An organisation's own templates over HTTP: the wording diff between two versions of the
 * caller's catalogue, and releasing or retiring one of its versions (a key bound to a lawyer of
 * the firm; a workspace page can call the same routes). Loading the catalogues at start-up
 * lives here too, because the service is what logs what failed.
 */
import type express from 'express';
import type { Response } from 'express';
import type { Audit } from '../audit/audit.js';
import type { FirmCatalogs } from '../catalogs/catalogs.js';
import { diffTemplates, formatDiff } from '../catalogs/diff.js';
import { templateRef } from '../catalogs/refs.js';
import { releaseVersion, retireVersion } from '../catalogs/release.js';
import type { Caller } from '../orgs/model.js';
import type { Orgs } from '../orgs/orgs.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { HanjianError } from '../shared/errors.js';

const callerOf = (res: Response) => res.locals.caller as Caller;

export function templateRoutes({ catalogs, orgs, audit }: { catalogs: FirmCatalogs; orgs: Orgs; audit: Audit }) {
  return (app: express.Express, h: RouteHelpers): void => {
    app.get(
      '/v1/templates/diff',
      ...h.requireScope('read'),
      h.limit,
      h.wrap((req, res) => {
        const from = templateRef(req.query.from, 'from');
        const to = templateRef(req.query.to, 'to');
        const diff = diffTemplates(catalogs.catalogFor(callerOf(res).orgId), from, to);
        res.json({ ...diff, text: formatDiff(diff) });
      }),
    );

    const actorOf = async (res: Response) => {
      const caller = callerOf(res);
      const user = caller.userId ? await orgs.user(caller.userId) : null;
      if (!user)
        throw new HanjianError({
          code: 'TEMPLATE_RELEASE_FORBIDDEN',
          category: 'forbidden',
          zh: '发布或停用模板须使用绑定本所律师的密钥',
          en: 'releasing or retiring a template needs a key bound to a lawyer of the firm',
        });
      return { user, org: await orgs.org(caller.orgId), actor: caller.keyId };
    };

    app.post(
      '/v1/templates/:ref/release',
      ...h.requireScope('review'),
      h.limit,
      h.wrap(async (req, res) => {
        const ref = templateRef(req.params.ref, 'ref');
        res.json(await releaseVersion(catalogs, callerOf(res).orgId, ref, await actorOf(res), audit));
      }),
    );

    app.post(
      '/v1/templates/:ref/retire',
      ...h.requireScope('review'),
      h.limit,
      ...h.jsonBody,
      h.wrap(async (req, res) => {
        const ref = templateRef(req.params.ref, 'ref');
        const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
        res.json(await retireVersion(catalogs, callerOf(res).orgId, ref, await actorOf(res), reason, audit));
      }),
    );
  };
}
