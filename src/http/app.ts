/**
 * The express app: thin routes over letters.ts, the render pool and (when configured) the
 * registry. Every response is JSON, PDF or problem+json; every request is logged as one JSON
 * line without bodies or personal data.
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../app/config.js';
import type { FirmCatalogs } from '../catalogs/catalogs.js';
import type { Caller } from '../orgs/model.js';
import {
  listTemplates,
  type RecommendResult,
  recommendLetter,
  summarize,
  templateDetails,
  templatesLoaded,
} from '../pipeline/index.js';
import { sendError, sendProblem, statusFor } from '../server-kit/problem.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { HanjianError, isHanjianError } from '../shared/errors.js';
import {
  authenticate,
  makeKeyring,
  needScope,
  requireScope as requireScopeWith,
  type Scope,
  type StoredKeys,
} from './auth.js';
import { boundedJson, INVALID_UTF8 } from './body.js';
import { methodNotAllowed } from './method-not-allowed.js';
import type { Metrics } from './metrics.js';
import { letterJsonSchema, openApiDocument } from './openapi.js';
import type { RenderPool } from './pool.js';
import { publicPages } from './public-pages.js';
import { rateLimit } from './ratelimit.js';
import { refusalBudget } from './refusals.js';

export interface AppDeps {
  config: Config;
  pool: RenderPool;
  metrics: Metrics;
  log: (entry: Record<string, unknown>) => void;
  isReady: () => boolean;
  /** Throws while the registry's database cannot be reached: /readyz answers 503 REGISTRY_UNAVAILABLE until it is back. */
  registryReady?: () => Promise<void>;
  /** Keys stored in the registry (`hanjian keys add`), and the organisation ids of configured keys' `org` names. */
  storedKeys?: StoredKeys;
  orgOf?: (idOrName: string) => string;
  /** Organisations' own template catalogues: a caller sees and resolves its own versions, then the built-in ones. */
  templates?: FirmCatalogs;
  /** Mounts the registry routes (issuing, reading, verifying) when a registry is configured. */
  mountRegistry?: (app: express.Express, helpers: RouteHelpers) => void;
  /** POST /v1/recommendations with the registry's history of the contract (default: the caller's history only). */
  recommend?: (input: unknown, caller: Caller) => Promise<RecommendResult>;
}

export type { RouteHelpers } from '../server-kit/route-helpers.js';

export interface RequestRecord {
  requestId: string;
  route: string;
  status: number;
  seconds: number;
  key: string | null;
  shed?: boolean;
}

/** Metrics and the one JSON log line of a request: the same for express routes and the load-shedding path. */
export function makeRecorder(config: Config, metrics: Metrics, log: AppDeps['log']): (r: RequestRecord) => void {
  return ({ requestId, route, status, seconds, key, shed }) => {
    metrics.observe(route, status, seconds);
    if (config.logRequests)
      log({
        msg: 'request',
        requestId,
        route,
        status,
        ms: Math.round(seconds * 10000) / 10,
        key,
        ...(shed ? { shed } : {}),
      });
  };
}

export function createApp(deps: AppDeps): express.Express {
  const { config, pool, metrics, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', config.trustProxy);
  const ring = makeKeyring(config.apiKeys, deps.orgOf);
  const auth = authenticate(ring, config.authFailuresPerMinute, deps.storedKeys);
  const requireScope = (scope: Scope) => requireScopeWith(auth, scope);
  const record = makeRecorder(config, metrics, log);

  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    res.locals.requestId =
      req
        .get('x-request-id')
        ?.slice(0, 64)
        .replace(/[^\w.-]/g, '') || randomUUID();
    res.set('X-Request-Id', res.locals.requestId);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = req.route?.path ? `${req.method} ${req.baseUrl}${req.route.path}` : `${req.method} (unmatched)`;
      record({
        requestId: res.locals.requestId,
        route,
        status: res.statusCode,
        seconds,
        key: res.locals.keyId ?? null,
      });
    });
    next();
  });
  app.use(publicPages());
  app.use(refusalBudget(config.refusalsPerMinute, async () => ring.length > 0 || !!(await deps.storedKeys?.any())));

  const wrap =
    (fn: (req: Request, res: Response) => Promise<void> | void): express.RequestHandler =>
    (req, res, next) => {
      Promise.resolve(fn(req, res)).catch(next);
    };
  const jsonBody = boundedJson(config.bodyLimitBytes);
  const limit = rateLimit(
    config.ratePerMinute,
    (req, res) => res.locals.keyId ?? req.ip ?? '?',
    (res) => res.locals.keyRate,
  );
  const publicLimit = rateLimit(config.publicRatePerMinute, (req) => req.ip ?? '?');
  const helpers: RouteHelpers = { authenticate: auth, needScope, requireScope, jsonBody, limit, publicLimit, wrap };

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get(
    '/readyz',
    wrap(async (_req, res) => {
      if (!deps.isReady())
        return void sendProblem(res, 503, 'NOT_READY', '字体与模板加载中 / fonts and templates still loading');
      try {
        await deps.registryReady?.();
      } catch {
        res.set('Retry-After', '5');
        return void sendProblem(
          res,
          503,
          'REGISTRY_UNAVAILABLE',
          '登记簿数据库暂时无法连接 / the registry database cannot be reached',
        );
      }
      res.json({ ok: true, templates: templatesLoaded(), workers: config.workers });
    }),
  );
  app.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(metrics.render());
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument({ publicBaseUrl: config.publicBaseUrl }));
  });

  // A full pool is refused before express (server.ts, shedLoad); a render that loses the race gets QUEUE_FULL from the pool.
  const catalogOf = (res: Response) => deps.templates?.catalogFor((res.locals.caller as Caller).orgId);
  app.post(
    '/v1/previews',
    ...requireScope('preview'),
    limit,
    ...jsonBody,
    wrap(async (req, res) => {
      const org = (res.locals.caller as Caller).orgId;
      const catalog = deps.templates?.firm(org) ? { org, statuses: deps.templates.statuses(org) } : undefined;
      const r = await pool.render({ input: req.body, mode: 'preview', catalog }, org);
      metrics.letter(r.kind, 'preview');
      // Warning codes only: header values must be ASCII (the messages are in /v1/validate).
      res.set({
        'X-Letter-Sha256': r.sha256,
        'X-Template': r.templateId,
        'X-Warnings': r.warnings.map((w) => w.code).join(', '),
        'Content-Disposition': 'inline; filename="preview.pdf"',
      });
      res.type('application/pdf').send(Buffer.from(r.pdf));
    }),
  );

  app.post(
    '/v1/validate',
    ...requireScope('preview'),
    limit,
    ...jsonBody,
    wrap((req, res) => {
      res.json(summarize(req.body, { catalog: catalogOf(res), compliance: { chargesOverCap: config.chargesOverCap } }));
    }),
  );

  app.post(
    '/v1/recommendations',
    ...requireScope('read'),
    limit,
    ...jsonBody,
    wrap(async (req, res) => {
      const r = deps.recommend
        ? await deps.recommend(req.body, res.locals.caller as Caller)
        : recommendLetter(req.body);
      if (!r.ok)
        throw new HanjianError({
          code: 'INVALID_INPUT',
          category: 'invalid_input',
          zh: '输入数据有错误',
          en: 'the input has problems',
          issues: r.issues,
        });
      res.json(r.value);
    }),
  );

  app.get('/v1/templates', ...requireScope('read'), limit, (_req, res) => {
    res.json(listTemplates(catalogOf(res)));
  });
  // kind is `firm:lawyer-letter` for a version of the caller's own catalogue.
  app.get('/v1/templates/:kind/:version', ...requireScope('read'), limit, (req, res) => {
    const v = templateDetails(String(req.params.kind), String(req.params.version), catalogOf(res));
    if (!v)
      return sendProblem(
        res,
        404,
        'TEMPLATE_NOT_FOUND',
        `没有模板 ${req.params.kind}@${req.params.version} / no such template`,
      );
    res.json({ manifest: v.manifest, schema: letterJsonSchema(), example: v.example });
  });

  deps.mountRegistry?.(app, helpers);

  app.use(methodNotAllowed(app));
  app.use((_req, res) => sendProblem(res, 404, 'NOT_FOUND', '没有这个地址 / no such route'));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; limit?: unknown };
    // The limit of the parser that refused it (JSON, a form, a proof file): each route has its own.
    if (e?.type === 'entity.too.large')
      return sendProblem(
        res,
        413,
        'BODY_TOO_LARGE',
        tooLarge(typeof e.limit === 'number' ? e.limit : config.bodyLimitBytes),
      );
    if (e?.type === 'entity.parse.failed') {
      // `null`, `"x"` or `42` are valid JSON that strict parsing refuses: the same answer as `[]`, the wrong type.
      if (isJsonScalar((err as { body?: unknown }).body))
        return sendProblem(res, 422, 'INVALID_INPUT', '输入数据有 1 处错误 / the input has 1 problem(s)', {
          issues: [{ path: '', code: 'INVALID_TYPE', message: '输入必须是 JSON 对象 / input must be a JSON object' }],
        });
      return sendProblem(res, 400, 'JSON_MALFORMED', '请求体不是合法的 JSON / the body is not valid JSON');
    }
    if (e?.type === INVALID_UTF8)
      return sendProblem(res, 400, 'INVALID_UTF8', '请求体不是合法的 UTF-8 编码 / the body is not valid UTF-8');
    if (e?.type === 'charset.unsupported')
      return sendProblem(
        res,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        '请求体必须是 UTF-8 编码的 application/json / the body must be UTF-8 application/json',
      );
    if (e?.type === 'encoding.unsupported')
      return sendProblem(
        res,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Content-Encoding 只能是 gzip、deflate、br 或 identity / Content-Encoding must be gzip, deflate, br or identity',
      );
    // zlib refused the body (Z_DATA_ERROR…): it is not what its Content-Encoding says.
    if (typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('Z_')) {
      return sendProblem(
        res,
        400,
        'CONTENT_ENCODING_INVALID',
        '请求体无法按 Content-Encoding 解压 / the body does not decompress as its Content-Encoding says',
      );
    }
    if (isHanjianError(err)) {
      // Failures of the machine, not of the request (a busy registry, a full disk): logged with their cause, no personal data.
      if (statusFor(err) >= 500)
        log({
          msg: 'request failed',
          level: 'error',
          requestId: res.locals.requestId,
          code: err.code,
          cause: causeOf(err),
        });
      return sendError(res, err);
    }
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
      return sendProblem(res, e.status, 'BAD_REQUEST', '请求无效 / bad request');
    log({
      msg: 'unhandled error',
      level: 'error',
      requestId: res.locals.requestId,
      error: err instanceof Error ? err.name : typeof err,
      cause: causeOf(err),
    });
    sendProblem(res, 500, 'INTERNAL', '服务内部错误 / internal error');
  });
  return app;
}

/** "请求体超过 8192 字节（8 KB）": the exact limit, and a size a person reads. */
export function tooLarge(limit: number): string {
  const human = limit >= 1024 * 1024 ? `${+(limit / 1024 / 1024).toFixed(1)} MB` : `${+(limit / 1024).toFixed(1)} KB`;
  return `请求体超过 ${limit} 字节（${human}） / the body exceeds ${limit} bytes (${human})`;
}

/** The system error code (ENOSPC, EACCES, SQLITE_BUSY…) behind an error, if any: never a message, which may hold data. */
function causeOf(err: unknown): string | undefined {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) && !isHanjianError(e)) return code;
  }
  return undefined;
}

function isJsonScalar(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    const v: unknown = JSON.parse(body);
    return v === null || typeof v !== 'object';
  } catch {
    return false;
  }
}
