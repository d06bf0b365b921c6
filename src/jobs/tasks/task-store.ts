/**
 * The workspace's tasks: approving a whole import batch, or issuing a creditor's own letters
 * from an import. A task holds one item per letter; the store (store/tasks/sql-task-store.ts)
 * keeps them in the registry's database so a restart carries on where it was.
 */
export type TaskKind = 'approve' | 'issue';
export interface TaskRow {
  id: string;
  orgId: string;
  userId: string;
  kind: TaskKind;
  subject: string;
  total: number;
  status: 'running' | 'finished';
  createdAt: string;
  finishedAt: string | null;
}
export interface TaskItem {
  taskId: string;
  itemNo: number;
  ref: string;
  inputEncrypted: string | null;
  status: 'queued' | 'done' | 'failed';
  letterId: string | null;
  letterNo: string | null;
  problem: string | null;
}

export interface ItemRef {
  taskId: string;
  itemNo: number;
}

export interface TaskStore {
  create(
    t: Omit<TaskRow, 'total' | 'status' | 'finishedAt'>,
    items: { ref: string; inputEncrypted?: string | null }[],
  ): Promise<TaskRow>;
  get(id: string): Promise<TaskRow | null>;
  bySubject(subject: string): Promise<TaskRow[]>;
  items(taskId: string): Promise<TaskItem[]>;
  item(taskId: string, itemNo: number): Promise<TaskItem | null>;
  counts(taskId: string): Promise<{ queued: number; done: number; failed: number }>;
  /** Up to `n` queued items no one holds, each claimed until `until`. */
  claim(n: number, now: string, until: string): Promise<ItemRef[]>;
  /** Settles a queued item once; false when it was settled already. */
  settle(
    taskId: string,
    itemNo: number,
    s: { status: 'done' | 'failed'; letterId?: string | null; letterNo?: string | null; problem?: string | null },
  ): Promise<boolean>;
  /** Marks the task finished once no item is queued; true for the one call that did it. */
  finishIfDone(taskId: string, now: string): Promise<boolean>;
}
