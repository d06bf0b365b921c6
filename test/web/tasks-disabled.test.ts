/**
 * A batch approval already queued when its lawyer is disabled: the background worker reads the
 * user again at each item, so nothing more is approved or issued — every remaining item fails
 * with the reason, the requests stay pending, and the task's end is audited with the count.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { WebTasks } from '../../src/jobs/tasks/tasks.js';
import { SqlTaskStore } from '../../src/store/tasks/sql-task-store.js';
import { pendingRequests, setUpFirm } from './fixture.js';

describe('a batch approval of a lawyer disabled meanwhile', () => {
  it('issues nothing more: each item fails with 已停用, the requests stay pending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-task-disabled-'));
    const ids = await setUpFirm(dir);
    const refs = await pendingRequests(dir, ids, 2);
    const reg = openRegistry({ db: join(dir, 'hanjian.db') });
    const workflow = reg.requests;
    const tasks = new SqlTaskStore(reg.stores.db);
    const worker = new WebTasks(tasks, reg, { pollMs: 20 });
    try {
      const task = await tasks.create(
        {
          id: randomUUID(),
          orgId: ids.firm!,
          userId: ids.lawyer!,
          kind: 'approve',
          subject: 'batch-1',
          createdAt: new Date().toISOString(),
        },
        refs.map((ref) => ({ ref })),
      );
      await reg.orgs.setDisabled(ids.firm!, ids.lawyer!, true, 'test');
      worker.start();
      for (let i = 0; i < 250 && (await tasks.get(task.id))!.status !== 'finished'; i++) await sleep(20);
      expect((await tasks.get(task.id))!.status).toBe('finished');
      const items = await tasks.items(task.id);
      expect(items.map((x) => x.status)).toEqual(['failed', 'failed']);
      for (const x of items) expect(x.problem).toContain('该用户已停用');
      const caller = { orgId: ids.firm!, userId: null, keyId: 'test', scopes: null };
      for (const ref of refs) expect((await workflow.get(ref, caller)).status).toBe('pending_review');
      expect((await reg.stores.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM letters'))!.n).toBe(0);
      const finished = await reg.stores.db.get<{ details: string }>(
        "SELECT details FROM audit WHERE action = 'job.finished'",
      );
      expect(JSON.parse(finished!.details)).toMatchObject({ done: 0, failed: 2 });
    } finally {
      await worker.close();
      await reg.close();
    }
  });
});
