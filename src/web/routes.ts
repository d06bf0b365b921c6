/**
 * The partner's workspace under /app: sign-in, import, review, letters, templates and settings pages,
 * server-rendered, over the same workflow and registry as the JSON API. Every page is scoped
 * to the signed-in user's organisation; every POST carries the CSRF token of its form.
 */

import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Hanjian } from '../app/hanjian.js';
import { issueInChinese } from '../imports/index.js';
import type { WorkspaceJobs } from '../jobs/batches/workspace.js';
import { RETRY_AFTER_BY_CODE, statusFor } from '../server-kit/problem.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { isHanjianError } from '../shared/errors.js';
import { PageError, page, type WebDeps, webUser } from './context.js';
import { importRoutes } from './import-routes.js';
import { letterPageRoutes } from './letter-page.js';
import { lettersRoutes } from './letters-routes.js';
import { reviewRoutes } from './review-routes.js';
import { securityHeaders } from './security.js';
import { sameToken, WebSessions } from './session.js';
import { settingsRoutes } from './settings-routes.js';
import { DbWebStore } from './store.js';
import { taskRoutes } from './task-routes.js';
import { templatesRoutes } from './templates-routes.js';
import { WEB_ROOT } from './views.js';

const FONTS = join(WEB_ROOT, '..', 'fonts');

/** The routes to mount. The workspace's background work runs as batches: `jobs` is where it goes. */
export function webRoutes(
  parts: Hanjian,
  options: {
    publicBaseUrl?: string;
    chargesOverCap?: 'error' | 'warn';
    log?: (e: Record<string, unknown>) => void;
    jobs: WorkspaceJobs;
  },
) {
  const mount = (app: express.Express, h: RouteHelpers): void => {
    const store = new DbWebStore(parts.stores.db);
    const sessions = new WebSessions(parts.sessions, { publicBaseUrl: options.publicBaseUrl });
    const deps: WebDeps = {
      parts,
      store,
      sessions,
      jobs: options.jobs,
      chargesOverCap: options.chargesOverCap,
    };
    const r = express.Router();
    r.use(securityHeaders((req) => sessions.secure(req)));
    // The project's own CJK fonts, for machines without one (the page prefers system fonts).
    for (const [name, file] of [
      ['serif-regular.otf', 'NotoSerifCJKsc-Regular.otf'],
      ['serif-bold.otf', 'NotoSerifCJKsc-Bold.otf'],
    ]) {
      r.get(`/static/fonts/${name}`, (_req, res) =>
        res.set('Cache-Control', 'public, max-age=86400').sendFile(join(FONTS, file!)),
      );
    }
    r.use(
      '/static',
      express.static(join(WEB_ROOT, 'static'), {
        index: false,
        fallthrough: false,
        setHeaders: (res) => res.set('Cache-Control', 'public, max-age=3600'),
      }),
    );
    r.use(sessions.load());
    r.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));

    r.get('/signin', (req, res) => {
      if (res.locals.web) return res.redirect(303, '/app');
      page(res, 'signin', '登录', { signinToken: sessions.preToken(req, res), next: safeNext(req.query.next) });
    });
    r.post(
      '/signin',
      h.wrap(async (req, res) => {
        const login = typeof req.body?.login === 'string' ? req.body.login.trim().slice(0, 100) : '';
        const password = typeof req.body?.password === 'string' ? req.body.password.slice(0, 200) : '';
        const again = (error: string, status: number) =>
          page(
            res,
            'signin',
            '登录',
            { signinToken: sessions.preToken(req, res), login, error, next: safeNext(req.body?.next) },
            status,
          );
        if (!sessions.checkPreToken(req)) return again('页面已过期，请重新登录。', 403);
        const wait = sessions.throttle(req.ip ?? '?', login);
        if (wait) {
          res.set('Retry-After', String(wait));
          return again(`登录尝试过于频繁，请 ${wait} 秒后再试。`, 429);
        }
        const user = await sessions.signIn(req, res, login, password);
        if (!user) return again('登录名或密码不正确。', 401);
        if (user === 'disabled') return again('此账号已停用，不能登录。如需恢复，请联系本机构管理员。', 403);
        res.redirect(303, safeNext(req.body?.next) ?? '/app');
      }),
    );

    // Everything below needs a signed-in user, and every POST the session's CSRF token.
    r.use((req, res, next) => {
      if (!res.locals.web) {
        if (req.method === 'GET' || req.method === 'HEAD')
          return res.redirect(303, `/app/signin?next=${encodeURIComponent(req.originalUrl.slice(0, 300))}`);
        return page(res, 'error', '未登录', { message: '请先登录。' }, 403);
      }
      const multipart = /^multipart\/form-data/i.test(req.get('content-type') ?? '');
      // A multipart form's token is checked once the body is parsed (import-routes.ts).
      if (req.method === 'POST' && !multipart && !sameToken(req.body?._csrf, webUser(res).csrf)) {
        return page(
          res,
          'error',
          '请求被拒绝',
          { message: '表单缺少有效的安全令牌（CSRF），请返回页面刷新后重试。' },
          403,
        );
      }
      next();
    });
    r.get('/', (_req, res) => res.redirect(303, webUser(res).user.role === 'lawyer' ? '/app/review' : '/app/import'));
    r.post(
      '/signout',
      h.wrap(async (req, res) => {
        await sessions.signOut(req, res);
        res.redirect(303, '/app/signin');
      }),
    );
    importRoutes(r, deps, h);
    reviewRoutes(r, deps, h);
    lettersRoutes(r, deps, h);
    letterPageRoutes(r, deps, h);
    settingsRoutes(r, deps, h);
    templatesRoutes(r, deps, h);
    taskRoutes(r, deps, h);
    r.use((_req, res) => page(res, 'error', '没有这个页面', { message: '没有这个页面。' }, 404));
    r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      if (res.headersSent) return;
      if (err instanceof PageError) return page(res, 'error', '无法完成', { message: err.zh }, err.status);
      if (isHanjianError(err) && RETRY_AFTER_BY_CODE[err.code] !== undefined) {
        // A database outage or a full queue: the same 503 (with Retry-After) the API gives, never a 500.
        res.set('Retry-After', String(RETRY_AFTER_BY_CODE[err.code]));
        return page(
          res,
          'error',
          '暂时无法完成',
          { message: `${err.zh}。请稍后再试。`.replace('。。', '。') },
          statusFor(err),
        );
      }
      // The catalogue's status, as the JSON API answers (shared/error-catalogue.ts); a 5xx shows nothing internal.
      if (isHanjianError(err) && err.category !== 'internal' && statusFor(err) < 500) {
        const status = statusFor(err);
        return page(
          res,
          'error',
          '无法完成',
          { message: err.zh, issues: err.issues.length > 1 ? err.issues.map(issueInChinese) : [] },
          status,
        );
      }
      const e = err as { type?: string; status?: number };
      if (e?.type === 'entity.too.large')
        return page(res, 'error', '文件过大', { message: '上传的内容超过大小限制。' }, 413);
      if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
        return page(res, 'error', '请求无效', { message: '请求无效。' }, e.status);
      options.log?.({
        msg: 'workspace error',
        level: 'error',
        requestId: res.locals.requestId,
        error: err instanceof Error ? err.name : typeof err,
      });
      page(
        res,
        'error',
        '出错了',
        {
          message: '服务内部错误，请稍后再试；如果反复出现，请联系管理员并提供请求编号。',
          requestId: res.locals.requestId,
        },
        500,
      );
    });
    app.use('/app', r);
  };
  return mount;
}

/** Only a path inside the workspace: never an open redirect. */
function safeNext(v: unknown): string | undefined {
  return typeof v === 'string' && /^\/app(\/[\w\-./?=&%]*)?$/.test(v) && !v.includes('//') ? v : undefined;
}
