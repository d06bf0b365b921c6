/**
 * A background task's progress page: how many letters are done and failed, refreshed every
 * two seconds while it runs (a meta refresh: no script needed), then what failed and why, and
 * where the letters are. Only the organisation that asked sees it. A task is a workspace batch
 * (jobs/batches/workspace.ts), worked by the one batch worker.
 */
import type { Response, Router } from 'express';
import type { BatchRecord } from '../jobs/batches/batch-store.js';
import type { WorkspaceJobs } from '../jobs/batches/workspace.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { page, param, type WebDeps, webError, webUser } from './context.js';
import { beijingTime, problemInChinese } from './text.js';

const TITLES = { approve: '整批审核出具', issue: '出具本机构函件' } as const;

async function visibleTask(jobs: WorkspaceJobs, id: string, res: Response): Promise<BatchRecord> {
  const t = id ? await jobs.workspaceBatch(id, webUser(res).org.id) : null;
  if (!t || (t.mode !== 'approve' && t.mode !== 'issue')) throw webError(404, '没有这个任务。');
  return t;
}

/** The organisation's approval of an import batch still under way, if there is one (one at a time). */
export async function approvingNow(
  jobs: WorkspaceJobs,
  subject: string,
  orgId: string,
): Promise<BatchRecord | undefined> {
  return (await jobs.workspaceBatches(subject)).find(
    (t) => t.orgId === orgId && t.mode === 'approve' && t.status !== 'finished',
  );
}

export function taskRoutes(r: Router, deps: WebDeps, h: RouteHelpers): void {
  const { jobs } = deps;
  r.get(
    '/tasks/:id',
    h.wrap(async (req, res) => {
      const t = await visibleTask(jobs, param(req, 'id'), res);
      const kind = t.mode as keyof typeof TITLES;
      const c = await jobs.counts(t.id);
      const running = t.status !== 'finished';
      const failures = running
        ? []
        : (await jobs.allRows(t.id))
            .filter((i) => i.status === 'failed')
            .slice(0, 200)
            .map((i) => ({ no: i.row, problem: problemInChinese(i.problem) }));
      const settled = c.done + c.failed;
      page(res, 'task', TITLES[kind], {
        nav: kind === 'approve' ? 'review' : 'import',
        refresh: running ? 2 : null,
        task: { kind, total: t.total, status: running ? 'running' : 'finished' },
        title: TITLES[kind],
        counts: c,
        running,
        failures,
        percent: t.total ? Math.floor((settled / t.total) * 100) : 100,
        settled,
        createdAt: beijingTime(t.createdAt),
        finishedAt: beijingTime(t.finishedAt),
        lettersUrl: kind === 'approve' ? `/app/letters?batch=${t.subject}` : `/app/import/${t.subject}`,
        zipUrl: `/app/batches/${t.subject}/letters.zip`,
      });
    }),
  );
}
