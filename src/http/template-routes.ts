/**
 * An organisation's own templates over HTTP: the wording diff between two versions of the
 * caller's catalogue, and releasing or retiring one of its versions (a key bound to a lawyer of
 * the firm; a workspace page can call the same routes). Loading the catalogues at start-up
 * lives here too, because the service is what logs what failed.
 */
import type express from 'express';
import type { Response } from 'express';
import type { FirmCatalogs } from '../catalogs/catalogs.js';
import { loadConfiguredCatalogs } from '../catalogs/configured.js';
import { diffTemplates, formatDiff } from '../catalogs/diff.js';
import { formatProblem } from '../catalogs/problems.js';
import { releaseVersion, retireVersion } from '../catalogs/release.js';
import type { Registry } from '../letters/registry.js';
import type { Caller } from '../orgs/model.js';
import { HanjianError } from '../shared/errors.js';
import type { RouteHelpers } from './app.js';
import type { Logger } from './server.js';

const REF = /^(firm:)?[a-z][a-z-]{0,39}@[1-9][0-9]{0,3}$/;
const callerOf = (res: Response) => res.locals.caller as Caller;

/** A template reference from a path or query, bounded and well-formed, or a 422 naming the field. */
export function templateRef(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > 50 || !REF.test(value)) {
    throw new HanjianError({
      code: 'TEMPLATE_REF_FORMAT',
      category: 'invalid_input',
      path: field,
      zh: '模板引用格式应为 “种类@版本”或“firm:种类@版本”',
      en: 'a template reference looks like kind@version or firm:kind@version',
    });
  }
  return value;
}

export function templateRoutes(registry: Registry) {
  return (app: express.Express, h: RouteHelpers): void => {
    app.get(
      '/v1/templates/diff',
      ...h.requireScope('read'),
      h.limit,
      h.wrap((req, res) => {
        const from = templateRef(req.query.from, 'from');
        const to = templateRef(req.query.to, 'to');
        const diff = diffTemplates(registry.catalogFor(callerOf(res).orgId), from, to);
        res.json({ ...diff, text: formatDiff(diff) });
      }),
    );

    const actorOf = async (res: Response) => {
      const caller = callerOf(res);
      const user = caller.userId ? await registry.orgs.user(caller.userId) : null;
      if (!user)
        throw new HanjianError({
          code: 'TEMPLATE_RELEASE_FORBIDDEN',
          category: 'forbidden',
          zh: '发布或停用模板须使用绑定本所律师的密钥',
          en: 'releasing or retiring a template needs a key bound to a lawyer of the firm',
        });
      return { user, org: await registry.orgs.org(caller.orgId), actor: caller.keyId };
    };

    app.post(
      '/v1/templates/:ref/release',
      ...h.requireScope('review'),
      h.limit,
      h.wrap(async (req, res) => {
        const ref = templateRef(req.params.ref, 'ref');
        res.json(
          await releaseVersion(registry.templates, callerOf(res).orgId, ref, await actorOf(res), registry.audit),
        );
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
        res.json(
          await retireVersion(registry.templates, callerOf(res).orgId, ref, await actorOf(res), reason, registry.audit),
        );
      }),
    );
  };
}

/** Loads every configured catalogue; a version that fails is logged with file, line and problem and left out. */
export async function loadCatalogs(
  setting: string | Record<string, string>,
  registry: Registry,
  log: Logger,
): Promise<FirmCatalogs> {
  const { catalogs, dirs: resolved } = await loadConfiguredCatalogs(setting, (name) => registry.orgs.findOrg(name));
  for (const p of catalogs.problems()) {
    log({
      msg: `template version not loaded: ${formatProblem(p)}`,
      level: 'error',
      org: p.org,
      version: p.version,
      file: p.file,
      line: p.line,
      code: p.code,
    });
  }
  for (const s of resolved) {
    const c = catalogs.firm(s.orgId)!;
    log({
      msg: 'organisation templates loaded',
      org: s.orgId,
      dir: s.dir,
      versions: c.versions.map((v) => `${v.id} ${v.firm!.status}`),
      failed: [...new Set(c.problems.map((p) => p.version))],
    });
  }
  return catalogs;
}
