/**
 * The workspace's tasks become batches (issue 30: one job system). A task was a row of
 * `web_tasks` with its items in `web_task_items`, worked by a loop of its own; it is now a batch
 * with a `subject` (the import batch it belongs to) whose rows the batch worker takes like any
 * other. This migration adds `batches.subject`, copies every task and item across and drops the
 * two tables: SQLite migration 20, PostgreSQL migration 14. Released: never changes.
 *
 * - A task's item becomes a row: an approval's row holds the request in `request_id` and is
 *   numbered as its item was; an own-letter issue's row is numbered by its spreadsheet row (the
 *   item's `ref`), as the import's result page shows it. The encrypted input moves as it is.
 * - An issue item whose letter was issued but not yet recorded (its worker stopped in between)
 *   is settled here with that letter, found by the key it was issued under (`web:<task>:<item>`):
 *   its row is issued under the batch key from now on and would not find it.
 * - A failed item's reason becomes the row's problem (code TASK_FAILED, the Chinese reason).
 * - A task left `running` with nothing queued is finished, as its last item would have done. A
 *   task finished here gets no `job.finished` audit row (the chained audit is written by code,
 *   never by a migration); each of its letters has its own issue row there.
 *
 * One text per engine: only the JSON function and ADD COLUMN's guard differ (PostgreSQL's batch
 * client may have created the batch tables before the migrations ran).
 */
const fold = (e: { addColumn: string; problemJson: string }) => `ALTER TABLE batches ${e.addColumn} subject TEXT;
   CREATE INDEX batches_subject ON batches (subject);
   UPDATE web_task_items SET status = 'done',
     letter_id = (SELECT l.id FROM letters l JOIN web_tasks t ON l.org_id = t.org_id
       WHERE t.id = web_task_items.task_id AND l.idempotency_key = 'web:' || web_task_items.task_id || ':' || web_task_items.item_no),
     letter_no = (SELECT l.number FROM letters l JOIN web_tasks t ON l.org_id = t.org_id
       WHERE t.id = web_task_items.task_id AND l.idempotency_key = 'web:' || web_task_items.task_id || ':' || web_task_items.item_no),
     input_encrypted = NULL
   WHERE status = 'queued' AND EXISTS (SELECT 1 FROM letters l JOIN web_tasks t ON l.org_id = t.org_id
     WHERE t.id = web_task_items.task_id AND l.idempotency_key = 'web:' || web_task_items.task_id || ':' || web_task_items.item_no);
   INSERT INTO batches (id, org_id, key_id, user_id, scopes_json, mode, status, total, idempotency_key, callback_url,
       callback_status, callback_attempts, callback_next_at, callback_error, created_at, finished_at, subject)
     SELECT t.id, t.org_id, 'web:' || t.user_id, t.user_id, NULL, t.kind,
       CASE WHEN EXISTS (SELECT 1 FROM web_task_items i WHERE i.task_id = t.id AND i.status = 'queued') THEN 'running' ELSE 'finished' END,
       t.total, NULL, NULL, 'none', 0, NULL, NULL, t.created_at,
       CASE WHEN EXISTS (SELECT 1 FROM web_task_items i WHERE i.task_id = t.id AND i.status = 'queued') THEN NULL
         ELSE COALESCE(t.finished_at, t.created_at) END,
       t.subject
     FROM web_tasks t;
   INSERT INTO batch_rows (batch_id, row_no, status, contract_no, input_json, attempts, claimed_until, letter_id,
       letter_no, request_id, error_json, finished_at)
     SELECT i.task_id, CASE WHEN t.kind = 'issue' THEN CAST(i.ref AS INTEGER) ELSE i.item_no END, i.status, NULL,
       i.input_encrypted, 0, NULL, i.letter_id, i.letter_no, CASE WHEN t.kind = 'approve' THEN i.ref ELSE NULL END,
       CASE WHEN i.problem IS NULL THEN NULL ELSE ${e.problemJson} END,
       CASE WHEN i.status = 'queued' THEN NULL ELSE COALESCE(t.finished_at, t.created_at) END
     FROM web_task_items i JOIN web_tasks t ON t.id = i.task_id;
   DROP TABLE web_task_items;
   DROP TABLE web_tasks;`;

export const TASKS_INTO_BATCHES_SQLITE = fold({
  addColumn: 'ADD COLUMN',
  problemJson: "json_object('code', 'TASK_FAILED', 'detail', i.problem)",
});

export const TASKS_INTO_BATCHES_PG = fold({
  addColumn: 'ADD COLUMN IF NOT EXISTS',
  problemJson: "json_build_object('code', 'TASK_FAILED', 'detail', i.problem)::text",
});
