/** The whole service: the HTTP server, its render pools and the parts, as `hanjian serve` and `npm start` run it. */

import type { Config } from '../app/config.js';
import { isProduction, openFromConfig } from '../app/from-config.js';
import { defaultDbPath } from '../app/library.js';
import { recommendWithRegistry } from '../history/contract-history.js';
import type { Batches } from '../jobs/batches/batches.js';
import { DEFAULT_MAX_ATTEMPTS } from '../jobs/retry.js';
import type { Renderer } from '../letters/letters.js';
import { HanjianError } from '../shared/errors.js';
import { openBatches } from '../store/batches/open-batches.js';
import { webRoutes } from '../web/routes.js';
import { Admission, ISSUE_QUEUE_FULL_DETAIL } from './admission.js';
import type { StoredKeys } from './auth.js';
import { batchRoutes } from './batch-routes.js';
import { debtorRoutes } from './debtor-routes.js';
import { Metrics } from './metrics.js';
import { planRoutes } from './plan-routes.js';
import { type RenderPool, renderPoolFor } from './pool.js';
import { registryRoutes } from './registry-routes.js';
import { jsonLogger, type Logger, type RunningServer, startServer } from './server.js';
import { templateRoutes } from './template-routes.js';
import { workflowRoutes } from './workflow-routes.js';

export { isProduction } from '../app/from-config.js';

export async function startService(
  config: Config,
  log: Logger = jsonLogger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningServer> {
  const production = isProduction(config);
  let issuePool: RenderPool | undefined;
  const render: Renderer = async (input, o) => {
    const templates = h.catalogs;
    const catalog =
      o.orgId && templates.firm(o.orgId) ? { org: o.orgId, statuses: templates.statuses(o.orgId) } : undefined;
    const r = await issuePool!.render(
      {
        input,
        mode: 'render',
        letterNo: o.letterNo,
        verification: o.verification,
        today: o.today,
        seal: o.seal ? new Uint8Array(o.seal) : undefined,
        catalog,
        issue: o.issue,
      },
      o.orgId ?? '',
    );
    return {
      pdf: Buffer.from(r.pdf),
      sha256: r.sha256,
      inputSha256: r.inputSha256,
      template: { kind: r.kind, version: r.version, id: r.templateId },
      seal: r.seal ? Buffer.from(r.seal) : null,
      attachments: r.attachments,
    };
  };
  const h = await openFromConfig(config, { env, log, render });
  const templates = config.templates ? h.catalogs : undefined;
  // Issuing renders in its own worker pool so that previews cannot starve it (and vice versa).
  // In production the issuing renderer never falls back to the specimen seal.
  issuePool = renderPoolFor(
    production ? { ...config, specimenSeal: false } : config,
    1,
    64,
    config.renderTimeoutMs * 3,
    templates?.specs(),
  );
  if (!config.publicBaseUrl)
    log({
      msg: `letters will print the verification address http://127.0.0.1:${config.port}/v1/verify, which only this machine can open: set HANJIAN_PUBLIC_BASE_URL`,
      level: 'warn',
    });

  // The organisations of configured keys, resolved once at start (a missing one stops the start, named).
  const orgIds = new Map<string, string>();
  for (const k of config.apiKeys)
    if (k.org && !orgIds.has(k.org)) orgIds.set(k.org, (await h.orgs.findOrg(k.org))?.id ?? '');
  const orgOf = (idOrName: string) => {
    const id = orgIds.get(idOrName);
    if (!id)
      throw new HanjianError({
        code: 'CONFIG_INVALID',
        category: 'internal',
        zh: `API 密钥配置的机构“${idOrName}”不存在（hanjian orgs add …）`,
        en: `the organisation "${idOrName}" of a configured API key does not exist (hanjian orgs add …)`,
      });
    return id;
  };
  const storedKeys: StoredKeys = {
    any: () => h.orgs.hasKeys(),
    find: async (hex) => {
      const k = await h.orgs.keyBySha256(hex);
      return k
        ? { id: k.id, hash: Buffer.from(hex, 'hex'), scopes: new Set(k.scopes), orgId: k.orgId, userId: k.userId }
        : null;
    },
  };
  const metrics = new Metrics();
  metrics.registry = () => ({ queries: h.stores.db.roundTrips, pool: h.stores.db.poolStats() });
  const admission = new Admission(config.maxIssueQueue);
  let batches: Batches | null = null;
  try {
    // One job system: the API's batches and the workspace's tasks are rows of the same batches.
    batches = await openBatches(
      { letters: h.letters, orgs: h.orgs, requests: h.requests, vault: h.vault, audit: h.audit },
      { ...batchOptions(config, production, log), onIssued: (kind) => metrics.letter(kind, 'issue') },
    );
    const routes = [
      registryRoutes(h, metrics, admission),
      workflowRoutes(h.requests, metrics, admission),
      debtorRoutes(h),
      planRoutes(h),
      templateRoutes(h),
      webRoutes(h, {
        publicBaseUrl: config.publicBaseUrl,
        chargesOverCap: config.chargesOverCap,
        log,
        jobs: batches,
      }),
      batchRoutes(batches, {
        bodyLimitBytes: config.batchBodyLimitBytes,
        evidence: h.evidence,
        callbacks: {
          secret: config.batchCallbackSecret,
          httpsOnly: production,
          allowPrivate: config.batchCallbackAllowPrivate,
        },
      }),
    ];
    return await startServer(config, {
      log,
      metrics,
      storedKeys,
      orgOf,
      registryReady: () => h.ready(),
      mountRegistry: (app, helpers) => {
        for (const mount of routes) mount(app, helpers);
      },
      recommend: (input, caller) => recommendWithRegistry(h.history, caller.orgId, input),
      shed: [
        { method: 'POST', path: '/v1/letters', saturated: () => admission.saturated, detail: ISSUE_QUEUE_FULL_DETAIL },
      ],
      templates: h.catalogs,
      // Batches stop first: rows in hand finish (or go back to the queue) while the renderer and the registry are still there.
      onClose: async () => {
        await batches?.close();
        await issuePool!.close();
        await h.close();
      },
    });
  } catch (e) {
    await batches?.close().catch(() => {});
    await issuePool!.close();
    await h.close();
    throw e;
  }
}

/** Batches beside the letters (the registry's SQLite file), or on PostgreSQL (shared by instances) when HANJIAN_DATABASE_URL is set. */
function batchOptions(config: Config, production: boolean, log: Logger) {
  return {
    sqliteFile: config.db ?? defaultDbPath(),
    databaseUrl: config.databaseUrl,
    concurrency: config.batchConcurrency,
    leaseMs: config.batchLeaseMs,
    // Batch writes wait for the registry's write lock, which an issue holds across its render (up to 3 render time limits).
    busyTimeoutMs: Math.max(config.registryBusyTimeoutMs, config.renderTimeoutMs * 3),
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    limits: { maxRows: config.batchMaxRows, maxLineBytes: config.bodyLimitBytes },
    log,
    callbacks: {
      secret: config.batchCallbackSecret,
      httpsOnly: production,
      allowPrivate: config.batchCallbackAllowPrivate,
      maxAttempts: config.batchCallbackAttempts,
      backoffMs: config.batchCallbackBackoffMs,
      pollMs: 1_000,
    },
  };
}
