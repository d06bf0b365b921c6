/**
 * The workspace's task items and the organisations' seals on both databases: an item is
 * claimed by one worker only until its lease runs out, settles once, and the task finishes
 * exactly once; a replaced seal stays in the history, the new one in use, the blob readable.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../../src/app/library.js';
import { DataKey } from '../../src/store/data-key.js';
import { SqlTaskStore } from '../../src/store/tasks/sql-task-store.js';
import { sealPng } from '../fixtures/png.js';
import { freshDatabase, TEST_DATA_KEY } from '../store/postgres/fresh.js';
import { PASSWORD } from './fixture.js';

const backends: [string, () => Promise<string>][] = [
  ['SQLite', async () => join(mkdtempSync(join(tmpdir(), 'hanjian-tasks-')), 'h.db')],
  ['PostgreSQL', freshDatabase],
];

describe.each(backends)('tasks and seals on %s', (_name, database) => {
  async function open(): Promise<{ reg: Registry; org: string; user: string }> {
    const reg = openRegistry({
      db: await database(),
      publicBaseUrl: 'https://v.test',
      dataKey: DataKey.fromText(TEST_DATA_KEY, 'test'),
    });
    await reg.ready();
    const org = await reg.orgs.addOrg(
      {
        kind: 'law-firm',
        name: '北京某某律师事务所',
        licenseNo: '31110000MD01234564',
        letterPrefix: '京某律函字',
        address: '北京市朝阳区某某路88号',
        phone: '010-65001234',
      },
      'test',
    );
    const user = await reg.orgs.addUser(
      {
        orgId: org.id,
        login: 'admin',
        name: '欧阳娜娜',
        role: 'admin',
        password: PASSWORD,
      },
      'test',
    );
    return { reg, org: org.id, user: user.id };
  }

  it('claims each item once per lease, settles it once, and finishes the task once', async () => {
    const { reg, org, user } = await open();
    try {
      const tasks = new SqlTaskStore(reg.stores.db);
      await tasks.create(
        { id: 't1', orgId: org, userId: user, kind: 'approve', subject: 'b1', createdAt: '2026-11-28T01:00:00.000Z' },
        [{ ref: 'r1' }, { ref: 'r2' }],
      );
      const now = '2026-11-28T01:00:01.000Z';
      const lease = '2026-11-28T01:05:00.000Z';
      const a = await tasks.claim(1, now, lease);
      const b = await tasks.claim(5, now, lease);
      expect([...a, ...b]).toEqual([
        { taskId: 't1', itemNo: 1 },
        { taskId: 't1', itemNo: 2 },
      ]);
      expect(await tasks.claim(5, now, lease)).toEqual([]);
      expect(
        await tasks.settle('t1', 1, { status: 'done', letterId: 'L1', letterNo: '（2026）京某律函字第0001号' }),
      ).toBe(true);
      // A worker that died holding item 2: another takes it once the lease has run out (item 1 is settled, never taken again).
      expect(await tasks.claim(5, '2026-11-28T01:06:00.000Z', '2026-11-28T01:11:00.000Z')).toEqual([
        { taskId: 't1', itemNo: 2 },
      ]);
      expect(await tasks.settle('t1', 1, { status: 'failed', problem: 'x' })).toBe(false);
      expect(await tasks.finishIfDone('t1', now)).toBe(false);
      expect(await tasks.settle('t1', 2, { status: 'failed', problem: '申请状态为 rejected，不能再审核' })).toBe(true);
      expect(await tasks.finishIfDone('t1', now)).toBe(true);
      expect(await tasks.finishIfDone('t1', now)).toBe(false);
      expect(await tasks.counts('t1')).toEqual({ queued: 0, done: 1, failed: 1 });
      expect((await tasks.get('t1'))!.status).toBe('finished');
      expect((await tasks.items('t1')).map((i) => [i.status, i.letterNo, i.inputEncrypted])).toEqual([
        ['done', '（2026）京某律函字第0001号', null],
        ['failed', null, null],
      ]);
      expect((await tasks.bySubject('b1')).map((t) => t.id)).toEqual(['t1']);
    } finally {
      await reg.close();
    }
  });

  it('keeps the replaced seal in the history and the new one in use', async () => {
    const { reg, org, user } = await open();
    try {
      expect(await reg.seals.current(org)).toBeNull();
      const first = sealPng(200, 0);
      const second = sealPng(200, 90);
      await reg.seals.upload(org, first, { userId: user, keyId: `web:${user}` });
      const { replaced } = await reg.seals.upload(org, second, { userId: user, keyId: `web:${user}` });
      expect(replaced?.width).toBe(200);
      expect((await reg.seals.current(org))!.equals(second)).toBe(true);
      const history = await reg.seals.history(org);
      expect(history.map((s) => s.replacedAt === null)).toEqual([true, false]);
      expect((await reg.stores.blobs.readBlob('seals', history[1]!.sha256, 'png'))!.equals(first)).toBe(true);
    } finally {
      await reg.close();
    }
  });
});
