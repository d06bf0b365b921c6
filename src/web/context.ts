/** What every workspace route needs: the stores, the signed-in user, pages and their errors. */
import type { Request, Response } from 'express';
import type { Hanjian } from '../app/hanjian.js';
import type { WorkspaceJobs } from '../jobs/batches/workspace.js';
import type { Engagement } from '../orgs/model.js';
import type { WebSessions, WebUser } from './session.js';
import type { WebStore } from './store.js';
import { renderPage } from './views.js';

export interface WebDeps {
  /** The parts the pages act through (built by the app). */
  parts: Hanjian;
  store: WebStore;
  sessions: WebSessions;
  /** The workspace's background work (its "tasks"): batches worked by the one batch worker. */
  jobs: WorkspaceJobs;
  chargesOverCap?: 'error' | 'warn';
}

export const webUser = (res: Response): WebUser => res.locals.web as WebUser;

const NAV = [
  { href: '/app/import', label: '导入', key: 'import' },
  { href: '/app/review', label: '审核', key: 'review' },
  { href: '/app/letters', label: '函件', key: 'letters' },
  { href: '/app/templates', label: '模板', key: 'templates' },
  { href: '/app/settings', label: '设置', key: 'settings', admin: true },
];

export function page(
  res: Response,
  view: string,
  title: string,
  context: Record<string, unknown> = {},
  status = 200,
): void {
  const web = res.locals.web as WebUser | undefined;
  const nav = web
    ? NAV.filter((n) => !n.admin || web.user.role === 'admin').map((n) => ({ ...n, current: n.key === context.nav }))
    : [];
  const roles = { lawyer: '律师', assistant: '助理', admin: '管理员' } as const;
  res
    .status(status)
    .type('text/html')
    .send(
      renderPage(view, {
        title,
        navItems: nav,
        csrf: web?.csrf,
        me: web ? { name: web.user.name, role: roles[web.user.role], org: web.org.name } : null,
        ...context,
      }),
    );
}

/** A refusal the user can act on, answered as a page with the reason (never problem+json: these are pages). */
export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly zh: string,
  ) {
    super(zh);
  }
}

export function webError(status: number, zh: string): PageError {
  return new PageError(status, zh);
}

/** The engagements the user's organisation is a party to (as the creditor or as the firm). */
export function engagementsOf(deps: WebDeps, res: Response): Promise<Engagement[]> {
  return deps.parts.orgs.engagementsOf(webUser(res).org.id);
}

export function param(req: Request, name: string): string {
  const v = req.params[name];
  return typeof v === 'string' ? v.slice(0, 80) : '';
}

export function field(req: Request, name: string, max = 500): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}
