/**
 * A background task's progress page: how many letters are done and failed, refreshed every
 * two seconds while it runs (a meta refresh: no script needed), then what failed and why, and
 * where the letters are. Only the organisation that asked sees it.
 */
import type { Response, Router } from 'express';
import type { TaskRow, TaskStore } from '../jobs/tasks/task-store.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { page, param, type WebDeps, webError, webUser } from './context.js';
import { beijingTime } from './text.js';

const TITLES = { approve: '整批审核出具', issue: '出具本机构函件' } as const;

export async function visibleTask(tasks: TaskStore, id: string, res: Response): Promise<TaskRow> {
  const t = id ? await tasks.get(id) : null;
  if (!t || t.orgId !== webUser(res).org.id) throw webError(404, '没有这个任务。');
  return t;
}

export function taskRoutes(r: Router, _deps: WebDeps, h: RouteHelpers, tasks: TaskStore): void {
  r.get(
    '/tasks/:id',
    h.wrap(async (req, res) => {
      const t = await visibleTask(tasks, param(req, 'id'), res);
      const c = await tasks.counts(t.id);
      const running = t.status === 'running';
      const failures = running
        ? []
        : (await tasks.items(t.id))
            .filter((i) => i.status === 'failed')
            .slice(0, 200)
            .map((i) => ({ no: i.itemNo, ref: i.ref, problem: i.problem }));
      const settled = c.done + c.failed;
      page(res, 'task', TITLES[t.kind], {
        nav: t.kind === 'approve' ? 'review' : 'import',
        refresh: running ? 2 : null,
        task: t,
        title: TITLES[t.kind],
        counts: c,
        running,
        failures,
        percent: t.total ? Math.floor((settled / t.total) * 100) : 100,
        settled,
        createdAt: beijingTime(t.createdAt),
        finishedAt: beijingTime(t.finishedAt),
        lettersUrl: t.kind === 'approve' ? `/app/letters?batch=${t.subject}` : `/app/import/${t.subject}`,
        zipUrl: `/app/batches/${t.subject}/letters.zip`,
      });
    }),
  );
}
