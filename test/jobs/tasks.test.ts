/**
 * The workspace's tasks on the one job system: an item that meets a failure that may pass is
 * tried again (and issues one letter), a final refusal fails at once, and an item that keeps
 * failing is recorded as failed after its attempts — never retried for ever.
 */
import { describe, expect, it } from 'vitest';
import type { ItemRef, TaskItem, TaskRow, TaskStore } from '../../src/jobs/tasks/task-store.js';
import { type TaskParts, WebTasks } from '../../src/jobs/tasks/tasks.js';
import { HanjianError } from '../../src/shared/errors.js';

class MemoryTasks implements TaskStore {
  tasks = new Map<string, TaskRow>();
  itemsOf = new Map<string, TaskItem[]>();
  claimed = new Map<string, string>();
  async create(t: Omit<TaskRow, 'total' | 'status' | 'finishedAt'>, items: { ref: string }[]) {
    const row: TaskRow = { ...t, total: items.length, status: 'running', finishedAt: null };
    this.tasks.set(t.id, row);
    this.itemsOf.set(
      t.id,
      items.map((i, n) => ({
        taskId: t.id,
        itemNo: n + 1,
        ref: i.ref,
        inputEncrypted: null,
        status: 'queued',
        letterId: null,
        letterNo: null,
        problem: null,
      })),
    );
    return row;
  }
  async get(id: string) {
    return this.tasks.get(id) ?? null;
  }
  async bySubject() {
    return [...this.tasks.values()];
  }
  async items(id: string) {
    return this.itemsOf.get(id) ?? [];
  }
  async item(id: string, no: number) {
    return this.itemsOf.get(id)?.find((i) => i.itemNo === no) ?? null;
  }
  async counts(id: string) {
    const c = { queued: 0, done: 0, failed: 0 };
    for (const i of await this.items(id)) c[i.status]++;
    return c;
  }
  async claim(n: number, now: string, until: string): Promise<ItemRef[]> {
    const out: ItemRef[] = [];
    for (const items of this.itemsOf.values())
      for (const i of items) {
        const key = `${i.taskId}:${i.itemNo}`;
        if (out.length < n && i.status === 'queued' && (this.claimed.get(key) ?? '') < now) {
          this.claimed.set(key, until);
          out.push({ taskId: i.taskId, itemNo: i.itemNo });
        }
      }
    return out;
  }
  async settle(id: string, no: number, s: Partial<TaskItem> & { status: 'done' | 'failed' }) {
    const i = await this.item(id, no);
    if (i?.status !== 'queued') return false;
    Object.assign(i, s);
    return true;
  }
  async finishIfDone(id: string, now: string) {
    const t = this.tasks.get(id)!;
    if ((await this.counts(id)).queued || t.status === 'finished') return false;
    t.status = 'finished';
    t.finishedAt = now;
    return true;
  }
}

const busy = () => new HanjianError({ code: 'REGISTRY_BUSY', zh: '登记簿正忙', en: 'busy', category: 'internal' });
const refused = () =>
  new HanjianError({ code: 'REQUEST_NOT_PENDING', zh: '申请不在待审核状态', en: 'not pending', category: 'conflict' });

describe('workspace tasks', () => {
  it('retries what may pass, fails a final refusal at once, and gives up after the attempts', async () => {
    const store = new MemoryTasks();
    const calls = new Map<string, number>();
    const audit: unknown[] = [];
    const parts = {
      orgs: { user: async () => ({ id: 'u1', orgId: 'o1', role: 'lawyer', disabledAt: null }) },
      requests: {
        get: async () => ({ letter: null }),
        approve: async (ref: string) => {
          const n = (calls.get(ref) ?? 0) + 1;
          calls.set(ref, n);
          if (ref === 'flaky' && n < 3) throw busy();
          if (ref === 'refused') throw refused();
          if (ref === 'down') throw busy();
          return { record: { id: `L-${ref}`, number: `No.${ref}` } };
        },
      },
      audit: { append: async (e: unknown) => audit.push(e) },
    } as unknown as TaskParts;
    await store.create({ id: 't1', orgId: 'o1', userId: 'u1', kind: 'approve', subject: 'b1', createdAt: 'x' }, [
      { ref: 'flaky' },
      { ref: 'refused' },
      { ref: 'down' },
    ]);
    const worker = new WebTasks(store, parts, { pollMs: 5, maxAttempts: 3, retryDelayMs: 5 });
    worker.start();
    for (let i = 0; i < 400 && (await store.get('t1'))!.status !== 'finished'; i++)
      await new Promise((r) => setTimeout(r, 10));
    await worker.close();
    const items = await store.items('t1');
    expect(items.map((i) => [i.ref, i.status, i.letterNo])).toEqual([
      ['flaky', 'done', 'No.flaky'],
      ['refused', 'failed', null],
      ['down', 'failed', null],
    ]);
    expect(Object.fromEntries(calls)).toEqual({ flaky: 3, refused: 1, down: 3 });
    expect(items[1]!.problem).toBe('申请不在待审核状态');
    expect(items[2]!.problem).toBe('登记簿正忙（已尝试 3 次）');
    expect(audit).toHaveLength(1);
  });
});
