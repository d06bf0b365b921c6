/**
 * A batch approval already queued when its lawyer is disabled: the batch worker reads the user
 * again at each row of a workspace batch, so nothing more is approved or issued — every
 * remaining row fails with the reason, the requests stay pending, and the batch's end is
 * audited with the count.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { problemInChinese } from '../../src/web/text.js';
import { finished, openTestBatches } from '../jobs/open-test-batches.js';
import { pendingRequests, setUpFirm } from './fixture.js';

describe('a batch approval of a lawyer disabled meanwhile', () => {
  it('issues nothing more: each row fails with 已停用, the requests stay pending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-task-disabled-'));
    const ids = await setUpFirm(dir);
    const refs = await pendingRequests(dir, ids, 2);
    const reg = openRegistry({ db: join(dir, 'hanjian.db') });
    const batches = await openTestBatches(reg, join(dir, 'hanjian.db'));
    try {
      await reg.orgs.setDisabled(ids.firm!, ids.lawyer!, true, 'test');
      const task = await batches.createForWorkspace(
        { orgId: ids.firm!, userId: ids.lawyer! },
        { mode: 'approve', subject: 'batch-1', rows: refs.map((requestId, i) => ({ row: i + 1, requestId })) },
      );
      await finished(batches, task.id, ids.firm!);
      expect((await batches.workspaceBatch(task.id, ids.firm!))!.status).toBe('finished');
      const rows = await batches.allRows(task.id);
      expect(rows.map((x) => x.status)).toEqual(['failed', 'failed']);
      for (const x of rows) expect(problemInChinese(x.problem)).toContain('该用户已停用');
      const caller = { orgId: ids.firm!, userId: null, keyId: 'test', scopes: null };
      for (const ref of refs) expect((await reg.requests.get(ref, caller)).status).toBe('pending_review');
      expect((await reg.stores.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM letters'))!.n).toBe(0);
      const ended = await reg.stores.db.get<{ details: string }>(
        "SELECT details FROM audit WHERE action = 'job.finished'",
      );
      expect(JSON.parse(ended!.details)).toMatchObject({ task: task.id, kind: 'approve', done: 0, failed: 2 });
    } finally {
      await batches.close();
      await reg.close();
    }
  });
});
