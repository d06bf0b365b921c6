/**
 * The workspace's tasks (batches with a subject) and the organisations' seals on both
 * databases: a row is claimed by one worker only until its lease runs out, settles once, and
 * the batch finishes exactly once; a replaced seal stays in the history, the new one in use, the blob readable.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../../src/app/library.js';
import { PgClient } from '../../src/store/batches/pg-client.js';
import { SqlBatchStore } from '../../src/store/batches/sql-batch-store.js';
import { SqliteClient } from '../../src/store/batches/sql-client.js';
import { DataKey } from '../../src/store/data-key.js';
import { sealPng } from '../fixtures/png.js';
import { freshDatabase, TEST_DATA_KEY } from '../store/postgres/fresh.js';
import { ACTOR, FIRM, PASSWORD } from '../support/world.js';

const backends: [string, () => Promise<string>][] = [
  ['SQLite', async () => join(mkdtempSync(join(tmpdir(), 'hanjian-tasks-')), 'h.db')],
  ['PostgreSQL', freshDatabase],
];

describe.each(backends)('tasks and seals on %s', (_name, database) => {
  async function open(): Promise<{ reg: Registry; org: string; user: string; url: string }> {
    const url = await database();
    const reg = openRegistry({
      db: url,
      publicBaseUrl: 'https://v.test',
      dataKey: DataKey.fromText(TEST_DATA_KEY, 'test'),
    });
    await reg.ready();
    const org = await reg.orgs.addOrg(FIRM, ACTOR);
    const user = await reg.orgs.addUser(
      { orgId: org.id, login: 'admin', name: '欧阳娜娜', role: 'admin', password: PASSWORD },
      ACTOR,
    );
    return { reg, org: org.id, user: user.id, url };
  }

  it('a workspace batch: each row claimed once per lease, settled once, the batch finished once', async () => {
    const { reg, org, user, url } = await open();
    const store = new SqlBatchStore(url.startsWith('postgres') ? await PgClient.open(url) : new SqliteClient(url));
    try {
      await store.create({
        id: 't1',
        orgId: org,
        keyId: `web:${user}`,
        userId: user,
        scopes: null,
        mode: 'approve',
        idempotencyKey: null,
        callbackUrl: null,
        createdAt: '2026-11-28T01:00:00.000Z',
        subject: 'b1',
      });
      await store.addRows(
        't1',
        ['r1', 'r2'].map((requestId, i) => ({
          row: i + 1,
          contractNo: null,
          inputJson: null,
          requestId,
          problem: null,
        })),
        '2026-11-28T01:00:00.000Z',
      );
      // Receiving: not yet the workspace's to show.
      expect(await store.bySubject('b1')).toEqual([]);
      await store.open('t1', 2);
      const now = '2026-11-28T01:00:01.000Z';
      const lease = '2026-11-28T01:05:00.000Z';
      const a = await store.claim(1, now, lease);
      const b = await store.claim(5, now, lease);
      expect([...a, ...b]).toEqual([
        { batchId: 't1', row: 1 },
        { batchId: 't1', row: 2 },
      ]);
      expect(await store.claim(5, now, lease)).toEqual([]);
      expect(
        await store.complete(
          { batchId: 't1', row: 1 },
          { requestId: 'r1', letterId: 'L1', letterNo: '（2026）京某律函字第0001号' },
          now,
        ),
      ).toBe(true);
      // A worker that died holding row 2: another takes it once the lease has run out (row 1 is settled, never taken again).
      expect(await store.claim(5, '2026-11-28T01:06:00.000Z', '2026-11-28T01:11:00.000Z')).toEqual([
        { batchId: 't1', row: 2 },
      ]);
      expect(await store.fail({ batchId: 't1', row: 1 }, { code: 'X', detail: 'x' }, now)).toBe(false);
      expect(await store.finishIfDone('t1', now)).toBe(false);
      expect(
        await store.fail(
          { batchId: 't1', row: 2 },
          { code: 'REQUEST_NOT_PENDING', detail: '申请状态为 rejected，不能再审核' },
          now,
        ),
      ).toBe(true);
      expect(await store.finishIfDone('t1', now)).toBe(true);
      expect(await store.finishIfDone('t1', now)).toBe(false);
      expect(await store.counts('t1')).toEqual({ queued: 0, done: 1, failed: 1 });
      const [batch] = await store.bySubject('b1');
      expect(batch).toMatchObject({ id: 't1', status: 'finished', mode: 'approve', subject: 'b1', userId: user });
      expect((await store.rows('t1', 0, 10)).map((i) => [i.status, i.requestId, i.letterNo])).toEqual([
        ['done', 'r1', '（2026）京某律函字第0001号'],
        ['failed', 'r2', null],
      ]);
    } finally {
      await store.close();
      await reg.close();
    }
  });

  it("claims a workspace batch's rows before an API batch posted earlier", async () => {
    const { reg, org, user, url } = await open();
    const store = new SqlBatchStore(url.startsWith('postgres') ? await PgClient.open(url) : new SqliteClient(url));
    try {
      const batch = (id: string, createdAt: string, subject: string | null) => ({
        id,
        orgId: org,
        keyId: subject ? `web:${user}` : 'api-key',
        userId: subject ? user : null,
        scopes: null,
        mode: 'issue' as const,
        idempotencyKey: null,
        callbackUrl: null,
        createdAt,
        subject,
      });
      const row = (n: number) => ({ row: n, contractNo: null, inputJson: 'enc1:x', problem: null });
      await store.create(batch('api', '2026-11-28T01:00:00.000Z', null));
      await store.addRows('api', [row(1), row(2)], '2026-11-28T01:00:00.000Z');
      await store.open('api', 2);
      await store.create(batch('web', '2026-11-28T02:00:00.000Z', 'import-1'));
      await store.addRows('web', [row(7)], '2026-11-28T02:00:00.000Z');
      await store.open('web', 1);
      const claimed = await store.claim(2, '2026-11-28T02:00:01.000Z', '2026-11-28T02:05:00.000Z');
      expect(claimed).toEqual([
        { batchId: 'web', row: 7 },
        { batchId: 'api', row: 1 },
      ]);
    } finally {
      await store.close();
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
