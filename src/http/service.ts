/** The whole service: server + render pool + registry + workflow, as `hanjian serve` and `npm start` run it. */
import type { Batches } from '../batches/batches.js';
import { openBatches } from '../batches/open.js';
import type { FirmCatalogs } from '../catalogs/catalogs.js';
import { defaultDbPath, openRegistry, type Registry, type Renderer } from '../letters/registry.js';
import { recommendWithRegistry } from '../policy/contract-history.js';
import { Workflow } from '../requests/requests.js';
import { loadSealConfig } from '../seals/seals-file.js';
import { HanjianError } from '../shared/errors.js';
import { loadTsaTrust } from '../signing/tsa/tsa-trust.js';
import { webRoutes } from '../web/routes.js';
import { Admission, ISSUE_QUEUE_FULL_DETAIL } from './admission.js';
import type { StoredKeys } from './auth.js';
import { batchRoutes } from './batch-routes.js';
import type { ServerConfig } from './config.js';
import { debtorRoutes } from './debtor-routes.js';
import { Metrics } from './metrics.js';
import { planRoutes } from './plan-routes.js';
import { type RenderPool, renderPoolFor } from './pool.js';
import { registryRoutes } from './registry-routes.js';
import { jsonLogger, type Logger, type RunningServer, startServer } from './server.js';
import { loadCatalogs, templateRoutes } from './template-routes.js';
import { workflowRoutes } from './workflow-routes.js';

/** Production: the service is open to callers with keys. Then letters must be verifiable and sealed for real. */
export function isProduction(config: ServerConfig): boolean {
  return config.production ?? config.apiKeys.length > 0;
}

export async function startService(config: ServerConfig, log: Logger = jsonLogger): Promise<RunningServer> {
  const production = isProduction(config);
  if (production) checkProductionConfig(config);
  // The render workers load the seals when they start; a bad seals file must stop the start here, named, not fail in every worker.
  if (config.sealsFile) loadSealConfig(config.sealsFile);
  let issuePool: RenderPool | undefined;
  let templates: FirmCatalogs | undefined;
  const render: Renderer = async (input, o) => {
    const catalog =
      o.orgId && templates?.firm(o.orgId) ? { org: o.orgId, statuses: templates.statuses(o.orgId) } : undefined;
    const r = await issuePool!.render({
      input,
      mode: 'render',
      letterNo: o.letterNo,
      verification: o.verification,
      today: o.today,
      seal: o.seal ? new Uint8Array(o.seal) : undefined,
      catalog,
    });
    return {
      pdf: Buffer.from(r.pdf),
      sha256: r.sha256,
      inputSha256: r.inputSha256,
      template: { kind: r.kind, version: r.version, id: r.templateId },
      seal: r.seal ? Buffer.from(r.seal) : null,
    };
  };
  const registry: Registry = openRegistry({
    db: config.databaseUrl ?? config.db ?? defaultDbPath(),
    poolSize: config.databasePool,
    publicBaseUrl: config.publicBaseUrl ?? `http://127.0.0.1:${config.port}`,
    render,
    creditorPrefix: config.creditorLetterPrefix,
    busyTimeoutMs: config.registryBusyTimeoutMs,
    production,
    signingFile: config.signingFile,
    tsa: {
      url: config.tsaUrl,
      timeoutMs: config.tsaTimeoutMs,
      trust: config.tsaTrustFile ? loadTsaTrust(config.tsaTrustFile) : undefined,
    },
  });
  try {
    // PostgreSQL: reachable and migrated before the port opens (SQLite migrated at open).
    await registry.ready();
    // Organisations' own catalogues are loaded and linted before anything renders; a failing version is logged and left out.
    templates = config.templates ? await loadCatalogs(config.templates, registry, log) : undefined;
  } catch (e) {
    await registry.close();
    throw e;
  }
  if (templates) registry.templates = templates;
  // Issuing renders in its own worker pool so that previews cannot starve it (and vice versa).
  // In production the issuing renderer never falls back to the specimen seal.
  issuePool = renderPoolFor(
    production ? { ...config, specimenSeal: false } : config,
    1,
    64,
    config.renderTimeoutMs * 3,
    templates?.specs(),
  );
  if (production) await reportSeals(config, registry, log);
  else if (await registry.orgs.hasKeys())
    log({
      msg: 'the registry holds API keys but the service is not in production mode: set HANJIAN_PRODUCTION=1 to enforce real seals, an https verification address and an external data key',
      level: 'warn',
    });
  await reportSigning(registry, log);
  if (!config.publicBaseUrl)
    log({
      msg: `letters will print the verification address http://127.0.0.1:${config.port}/v1/verify, which only this machine can open: set HANJIAN_PUBLIC_BASE_URL`,
      level: 'warn',
    });

  // The organisations of configured keys, resolved once at start (a missing one stops the start, named).
  const orgIds = new Map<string, string>();
  for (const k of config.apiKeys)
    if (k.org && !orgIds.has(k.org)) orgIds.set(k.org, (await registry.orgs.findOrg(k.org))?.id ?? '');
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
    any: () => registry.orgs.hasKeys(),
    find: async (hex) => {
      const k = await registry.orgs.keyBySha256(hex);
      return k
        ? { id: k.id, hash: Buffer.from(hex, 'hex'), scopes: new Set(k.scopes), orgId: k.orgId, userId: k.userId }
        : null;
    },
  };
  const metrics = new Metrics();
  metrics.registry = () => ({ queries: registry.db.roundTrips, pool: registry.db.poolStats() });
  const admission = new Admission(config.maxIssueQueue);
  const workflow = new Workflow(registry, { chargesOverCap: config.chargesOverCap });
  const web = webRoutes(registry, workflow, {
    publicBaseUrl: config.publicBaseUrl,
    chargesOverCap: config.chargesOverCap,
    log,
  });
  const routes = [
    registryRoutes(registry, metrics, admission),
    workflowRoutes(workflow, metrics, admission),
    debtorRoutes(registry),
    planRoutes(registry),
    templateRoutes(registry),
    web,
  ];
  let batches: Batches | null = null;
  try {
    batches = await openBatches(registry, workflow, {
      ...batchOptions(config, production, log),
      onIssued: (kind) => metrics.letter(kind, 'issue'),
    });
    routes.push(
      batchRoutes(batches, {
        bodyLimitBytes: config.batchBodyLimitBytes,
        callbacks: {
          secret: config.batchCallbackSecret,
          httpsOnly: production,
          allowPrivate: config.batchCallbackAllowPrivate,
        },
      }),
    );
    return await startServer(config, {
      log,
      metrics,
      storedKeys,
      orgOf,
      registryReady: () => registry.ready(),
      mountRegistry: (app, h) => {
        for (const mount of routes) mount(app, h);
      },
      recommend: (input, caller) => recommendWithRegistry(registry, caller.orgId, input),
      shed: [
        { method: 'POST', path: '/v1/letters', saturated: () => admission.saturated, detail: ISSUE_QUEUE_FULL_DETAIL },
      ],
      templates: registry.templates,
      // Batches stop first: rows in hand finish (or go back to the queue) while the renderer and the registry are still there.
      onClose: async () => {
        await batches?.close();
        await web.close();
        await issuePool!.close();
        await registry.close();
      },
    });
  } catch (e) {
    await batches?.close().catch(() => {});
    await web.close();
    await issuePool!.close();
    await registry.close();
    throw e;
  }
}

/** Batches beside the letters (the registry's SQLite file), or on PostgreSQL with pg-boss when HANJIAN_DATABASE_URL is set. */
function batchOptions(config: ServerConfig, production: boolean, log: Logger) {
  return {
    sqliteFile: config.db ?? defaultDbPath(),
    databaseUrl: config.databaseUrl,
    concurrency: config.batchConcurrency,
    leaseMs: config.batchLeaseMs,
    maintenanceIntervalSeconds: config.batchQueueMaintenanceSeconds,
    // Batch writes wait for the registry's write lock, which an issue holds across its render (up to 3 render time limits).
    busyTimeoutMs: Math.max(config.registryBusyTimeoutMs, config.renderTimeoutMs * 3),
    maxAttempts: 5,
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

/** Says exactly what is missing for a service that issues real letters, and refuses to start without it. */
function checkProductionConfig(config: ServerConfig): void {
  const missing: string[] = [];
  const base = config.publicBaseUrl ? new URL(config.publicBaseUrl) : null;
  if (!base)
    missing.push('HANJIAN_PUBLIC_BASE_URL: the https address where debtors verify letters (printed on every letter)');
  else if (base.protocol !== 'https:' || /^(localhost|127\.|\[::1\]|0\.0\.0\.0)/.test(base.hostname))
    missing.push(`HANJIAN_PUBLIC_BASE_URL: ${config.publicBaseUrl} is not a public https address`);
  if (!config.sealsFile)
    missing.push(
      "HANJIAN_SEALS: a seals file mapping each sender's full name to its seal PNG (the specimen seal is for previews and local use only)",
    );
  if (!process.env.HANJIAN_DATA_KEY && !process.env.HANJIAN_DATA_KEY_FILE)
    missing.push(
      'HANJIAN_DATA_KEY or HANJIAN_DATA_KEY_FILE: 32 random bytes (openssl rand -hex 32) that encrypt personal data at rest',
    );
  if (missing.length) {
    const list = missing.map((m) => `  - ${m}`).join('\n');
    throw new HanjianError({
      code: 'CONFIG_INVALID',
      category: 'internal',
      zh: `生产环境（已配置 API 密钥）缺少：\n${list}`,
      en: `production (API keys configured) is missing:\n${list}\n(set HANJIAN_PRODUCTION=0 only for a local trial)`,
    });
  }
}

/**
 * Which senders sign, and signing keys that match no organisation, are reported at start: a
 * name that differs by one character from the sender's leaves its letters unsigned, silently.
 */
async function reportSigning(registry: Registry, log: Logger): Promise<void> {
  const senders = registry.signingSenders();
  if (!senders.length) return;
  log({
    msg: `letters are signed for: ${senders.map((s) => `"${s}"`).join(', ')}; other senders' letters are issued unsigned`,
    level: 'info',
  });
  const names = new Set((await registry.orgs.orgs()).map((o) => o.name));
  for (const name of senders)
    if (names.size && !names.has(name))
      log({
        msg: `signing file: "${name}" matches no organisation in the registry (hanjian orgs list): names must match a sender's full name exactly`,
        level: 'warn',
      });
  // A lapsed certificate refuses the sender's letters (SIGNING_UNAVAILABLE): say so while there is time to replace it.
  for (const [sender, notAfter] of Object.entries(registry.signingExpiry())) {
    const days = Math.floor((Date.parse(notAfter) - Date.now()) / 86_400_000);
    if (days < SIGNING_EXPIRY_WARN_DAYS)
      log({
        msg: `the signing certificate of "${sender}" expires on ${notAfter} (in ${days} days): replace it before then, or its letters will be refused (SIGNING_UNAVAILABLE)`,
        level: 'warn',
      });
  }
}

/** How long before a signing certificate lapses the service starts warning about it at start. */
export const SIGNING_EXPIRY_WARN_DAYS = 30;

/** Seals that match no organisation, and organisations without a seal, are reported at start. */
async function reportSeals(config: ServerConfig, registry: Registry, log: Logger): Promise<void> {
  const seals = loadSealConfig(config.sealsFile!) as Record<string, Buffer>;
  const names = new Set((await registry.orgs.orgs()).map((o) => o.name));
  for (const name of Object.keys(seals))
    if (!names.has(name))
      log({ msg: `seals file: "${name}" matches no organisation in the registry (hanjian orgs list)`, level: 'warn' });
  for (const name of names)
    if (!seals[name])
      log({
        msg: `organisation "${name}" has no seal in the seals file: its final letters will be refused (SEAL_REQUIRED)`,
        level: 'warn',
        sealSha256: null,
      });
}
