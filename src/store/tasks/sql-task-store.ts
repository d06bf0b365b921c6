/**
 * The workspace's tasks (jobs/tasks) in the registry's database (portable SQL, SQLite or
 * PostgreSQL): a task and one item per letter. An item is claimed for a lease with a
 * conditional update, so whichever worker claims it first works it, and one a dead worker held
 * is taken again when its lease runs out; settling is conditional too, so nothing settles twice.
 */

import type { ItemRef, TaskItem, TaskKind, TaskRow, TaskStore } from '../../jobs/tasks/task-store.js';
import type { Db, Row } from '../db.js';

const toTask = (r: Row): TaskRow => ({
  id: r.id as string,
  orgId: r.org_id as string,
  userId: r.user_id as string,
  kind: r.kind as TaskKind,
  subject: r.subject as string,
  total: Number(r.total),
  status: r.status as TaskRow['status'],
  createdAt: r.created_at as string,
  finishedAt: (r.finished_at as string | null) ?? null,
});
const toItem = (r: Row): TaskItem => ({
  taskId: r.task_id as string,
  itemNo: Number(r.item_no),
  ref: r.ref as string,
  inputEncrypted: (r.input_encrypted as string | null) ?? null,
  status: r.status as TaskItem['status'],
  letterId: (r.letter_id as string | null) ?? null,
  letterNo: (r.letter_no as string | null) ?? null,
  problem: (r.problem as string | null) ?? null,
});

export class SqlTaskStore implements TaskStore {
  constructor(private db: Db) {}

  async create(
    t: Omit<TaskRow, 'total' | 'status' | 'finishedAt'>,
    items: { ref: string; inputEncrypted?: string | null }[],
  ): Promise<TaskRow> {
    const task: TaskRow = {
      ...t,
      total: items.length,
      status: items.length ? 'running' : 'finished',
      finishedAt: items.length ? null : t.createdAt,
    };
    await this.db.transaction(async () => {
      await this.db.run(
        'INSERT INTO web_tasks (id, org_id, user_id, kind, subject, total, status, created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          task.id,
          task.orgId,
          task.userId,
          task.kind,
          task.subject,
          task.total,
          task.status,
          task.createdAt,
          task.finishedAt,
        ],
      );
      let n = 0;
      for (const i of items)
        await this.db.run(
          "INSERT INTO web_task_items (task_id, item_no, ref, input_encrypted, status) VALUES (?, ?, ?, ?, 'queued')",
          [task.id, ++n, i.ref, i.inputEncrypted ?? null],
        );
    });
    return task;
  }

  async get(id: string): Promise<TaskRow | null> {
    const r = await this.db.get('SELECT * FROM web_tasks WHERE id = ?', [id]);
    return r ? toTask(r) : null;
  }

  async bySubject(subject: string): Promise<TaskRow[]> {
    return (await this.db.all('SELECT * FROM web_tasks WHERE subject = ? ORDER BY created_at', [subject])).map(toTask);
  }

  async items(taskId: string): Promise<TaskItem[]> {
    return (await this.db.all('SELECT * FROM web_task_items WHERE task_id = ? ORDER BY item_no', [taskId])).map(toItem);
  }

  async item(taskId: string, itemNo: number): Promise<TaskItem | null> {
    const r = await this.db.get('SELECT * FROM web_task_items WHERE task_id = ? AND item_no = ?', [taskId, itemNo]);
    return r ? toItem(r) : null;
  }

  async counts(taskId: string): Promise<{ queued: number; done: number; failed: number }> {
    const out = { queued: 0, done: 0, failed: 0 };
    for (const r of await this.db.all<{ status: keyof typeof out; n: number }>(
      'SELECT status, COUNT(*) AS n FROM web_task_items WHERE task_id = ? GROUP BY status',
      [taskId],
    ))
      out[r.status] = Number(r.n);
    return out;
  }

  /** Up to `n` queued items no one holds, each claimed until `until` by a conditional update (one worker wins). */
  async claim(n: number, now: string, until: string): Promise<ItemRef[]> {
    const free = await this.db.all<{ task_id: string; item_no: number }>(
      "SELECT task_id, item_no FROM web_task_items WHERE status = 'queued' AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY task_id, item_no LIMIT ?",
      [now, n + 4],
    );
    const out: ItemRef[] = [];
    for (const f of free) {
      if (out.length >= n) break;
      const { changes } = await this.db.run(
        "UPDATE web_task_items SET claimed_until = ? WHERE task_id = ? AND item_no = ? AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < ?)",
        [until, f.task_id, f.item_no, now],
      );
      if (changes) out.push({ taskId: f.task_id, itemNo: Number(f.item_no) });
    }
    return out;
  }

  async settle(
    taskId: string,
    itemNo: number,
    s: { status: 'done' | 'failed'; letterId?: string | null; letterNo?: string | null; problem?: string | null },
  ): Promise<boolean> {
    // The encrypted input goes once the item is settled: personal data is kept no longer than the work needs it.
    const { changes } = await this.db.run(
      "UPDATE web_task_items SET status = ?, letter_id = ?, letter_no = ?, problem = ?, input_encrypted = NULL, claimed_until = NULL WHERE task_id = ? AND item_no = ? AND status = 'queued'",
      [s.status, s.letterId ?? null, s.letterNo ?? null, s.problem ?? null, taskId, itemNo],
    );
    return changes > 0;
  }

  /** Marks the task finished once no item is queued; true for the one call that did it. */
  async finishIfDone(taskId: string, now: string): Promise<boolean> {
    const left = await this.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM web_task_items WHERE task_id = ? AND status = 'queued'",
      [taskId],
    );
    if (Number(left?.n ?? 0) > 0) return false;
    return (
      (
        await this.db.run(
          "UPDATE web_tasks SET status = 'finished', finished_at = ? WHERE id = ? AND status = 'running'",
          [now, taskId],
        )
      ).changes > 0
    );
  }
}
