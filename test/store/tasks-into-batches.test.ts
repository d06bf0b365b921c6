/**
 * Issue 30 (one job system): the workspace's tasks, kept until migration 20 (PostgreSQL 14) in
 * web_tasks / web_task_items, become batches with a subject (src/store/tasks-into-batches.ts).
 * A registry written at the schema before — built from the released migrations — opens with
 * every task as a batch the batch store reads: an approval's rows by request, an own-letter
 * issue's rows by spreadsheet row with their encrypted input, a failure's reason kept, an item
 * whose letter was issued but not recorded settled with that letter, and a task left running
 * with nothing queued finished. Both engines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHanjian } from '../../src/app/hanjian.js';
import { PgClient } from '../../src/store/batches/pg-client.js';
import { SqlBatchStore } from '../../src/store/batches/sql-batch-store.js';
import { SqliteClient } from '../../src/store/batches/sql-client.js';
import { DataKey } from '../../src/store/data-key.js';
import { freshDatabase, TEST_DATA_KEY } from './postgres/fresh.js';
import { postgresAt, type Statement, sqliteAt } from './schema-at.js';

const KEY = DataKey.fromText(TEST_DATA_KEY, 'test');
const AT = '2026-03-02T08:00:00.000Z';
const INPUT = '{"kind":"reminder","debtor":{"name":"李四"}}';

const letter = (id: string, seq: number, key: string): Statement => [
  `INSERT INTO letters (id, number, series, year, seq, kind, template, sender, issue_date, input_sha256, pdf_sha256,
     pdf_size, verify_code, verify_url, debtor_masked, total_fen, requester, idempotency_key, created_at)
   VALUES (?, ?, 'HJ', 2026, ?, 'reminder', 'reminder/3', '某某公司', '2026-03-02', ?, ?, 1, ?,
     'https://verify.example.test/V', '李*', 100, 'web:u1', ?, ?)`,
  [id, `HJ-2026-00000${seq}`, seq, 'a'.repeat(64), 'b'.repeat(64), `V${seq}`, key, AT],
];
const task = (id: string, kind: string, subject: string, total: number): Statement => [
  "INSERT INTO web_tasks (id, org_id, user_id, kind, subject, total, status, created_at) VALUES (?, 'default', 'u1', ?, ?, ?, 'running', ?)",
  [id, kind, subject, total, AT],
];
const item = (
  t: string,
  no: number,
  ref: string,
  status: string,
  more: Record<string, string | null> = {},
): Statement => [
  'INSERT INTO web_task_items (task_id, item_no, ref, input_encrypted, status, letter_id, letter_no, problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  [t, no, ref, more.input ?? null, status, more.letterId ?? null, more.letterNo ?? null, more.problem ?? null],
];

/** Tasks as the code before migration 20 left them, some mid-way. */
function tasksBefore(): Statement[] {
  return [
    [
      "INSERT INTO users (id, org_id, login, name, role, created_at) VALUES ('u1', 'default', 'lawyer', '律师', 'lawyer', ?)",
      [AT],
    ],
    letter('L1', 1, 'batch:x:1'),
    // Issued under the task item's key, but the worker stopped before it recorded the item.
    letter('L2', 2, 'web:issue-1:1'),
    task('approve-1', 'approve', 'import-a', 3),
    item('approve-1', 1, 'req-1', 'queued'),
    item('approve-1', 2, 'req-2', 'done', { letterId: 'L1', letterNo: 'HJ-2026-000001' }),
    item('approve-1', 3, 'req-3', 'failed', { problem: '申请状态为 rejected，不能再审核' }),
    task('issue-1', 'issue', 'import-b', 2),
    item('issue-1', 1, '5', 'queued', { input: KEY.encrypt(INPUT) }),
    item('issue-1', 2, '7', 'queued', { input: KEY.encrypt(INPUT) }),
    // Every item settled, the task never marked finished.
    task('issue-2', 'issue', 'import-c', 1),
    item('issue-2', 1, '2', 'failed', { problem: '内部错误，该函件未出具' }),
  ];
}

async function expectFolded(store: SqlBatchStore) {
  const [approve] = await store.bySubject('import-a');
  expect(approve).toMatchObject({
    id: 'approve-1',
    mode: 'approve',
    status: 'running',
    userId: 'u1',
    keyId: 'web:u1',
    subject: 'import-a',
    total: 3,
  });
  const approveRows = await store.rows('approve-1', 0, 10);
  expect(approveRows.map((r) => [r.row, r.status, r.requestId, r.letterNo])).toEqual([
    [1, 'queued', 'req-1', null],
    [2, 'done', 'req-2', 'HJ-2026-000001'],
    [3, 'failed', 'req-3', null],
  ]);
  expect(approveRows[2]!.problem).toEqual({ code: 'TASK_FAILED', detail: '申请状态为 rejected，不能再审核' });

  const [issue] = await store.bySubject('import-b');
  expect(issue).toMatchObject({ mode: 'issue', status: 'running', subject: 'import-b' });
  const issueRows = await store.rows('issue-1', 0, 10);
  expect(issueRows.map((r) => [r.row, r.status, r.letterId])).toEqual([
    [5, 'done', 'L2'],
    [7, 'queued', null],
  ]);
  expect(issueRows[0]!.inputJson).toBeNull();
  expect(KEY.decrypt(issueRows[1]!.inputJson!)).toBe(INPUT);

  const [stale] = await store.bySubject('import-c');
  expect(stale).toMatchObject({ status: 'finished', finishedAt: AT });
  // The queue takes the rows left: one approval, one issue.
  const claimed = await store.claim(10, '2026-03-02T09:00:00.000Z', '2026-03-02T09:05:00.000Z');
  expect(claimed.map((c) => `${c.batchId}:${c.row}`).sort()).toEqual(['approve-1:1', 'issue-1:7']);
}

describe('the workspace tasks folded into batches', () => {
  it('SQLite: a registry at migration 19 opens with its tasks as batches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-fold-'));
    const file = join(dir, 'hanjian.db');
    try {
      sqliteAt(file, 19, tasksBefore());
      const h = openHanjian({ db: file, publicBaseUrl: 'https://verify.example.test', dataKey: KEY });
      await h.close();
      const store = new SqlBatchStore(new SqliteClient(file));
      try {
        await expectFolded(store);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: a registry at migration 13 opens with its tasks as batches', async () => {
    const url = await freshDatabase();
    await postgresAt(url, 13, tasksBefore());
    const h = openHanjian({ db: url, publicBaseUrl: 'https://verify.example.test', dataKey: KEY });
    try {
      await h.ready();
    } finally {
      await h.close();
    }
    const store = new SqlBatchStore(await PgClient.open(url));
    try {
      await expectFolded(store);
    } finally {
      await store.close();
    }
  });
});
