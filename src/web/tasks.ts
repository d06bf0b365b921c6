/**
 * Work the workspace does after it has answered: approving a whole import batch (every letter
 * rendered, numbered, sealed and issued) and issuing a creditor's own reminders and demands
 * from an import. A POST records the task and its items and answers at once with a progress
 * page; this worker takes one item at a time (the issuing renderer is shared with everyone
 * else), as the person who asked — their current role and engagements are checked again at
 * each item. Items are durable: after a restart the worker carries on where it was, and an
 * item done twice is still one letter (approval checks the request's state; issuing uses an
 * idempotency key made of task and item).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Hanjian } from '../app/hanjian.js';
import { assertActive } from '../orgs/active.js';
import type { Caller } from '../orgs/model.js';
import { scopesOf } from '../orgs/sessions.js';
import { isHanjianError } from '../shared/errors.js';
import type { TaskItem, TaskRow, TaskStore } from './task-store.js';
import { chineseOnly } from './text.js';

/** Refusals that trying again cannot change; anything else (busy, unavailable, timed out) is tried again later. */
const PASSING = new Set([
  'REGISTRY_BUSY',
  'REGISTRY_UNAVAILABLE',
  'STORAGE_UNAVAILABLE',
  'RENDER_TIMEOUT',
  'QUEUE_FULL',
  'RENDER_POOL_CLOSED',
  'TSA_UNAVAILABLE',
  'TSA_REPLY_INVALID',
]);
const LEASE_MS = 5 * 60_000;
const RETRY_MS = 15_000;

export const taskIdempotencyKey = (taskId: string, itemNo: number) => `web:${taskId}:${itemNo}`;

export class WebTasks {
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private poked = false;

  constructor(
    private store: TaskStore,
    private parts: Hanjian,
    private options: { pollMs?: number; log?: (e: Record<string, unknown>) => void } = {},
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** A new task's items are waiting: take them now rather than at the next poll. */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let worked = false;
      try {
        worked = await this.workOne();
      } catch (e) {
        this.options.log?.({
          msg: 'workspace task error',
          level: 'error',
          error: e instanceof Error ? e.name : typeof e,
        });
      }
      if (worked || this.stopped) continue;
      if (this.poked) {
        this.poked = false;
        continue;
      }
      const poll = new AbortController();
      await Promise.race([
        sleep(this.options.pollMs ?? 2_000, undefined, { ref: false, signal: poll.signal }).catch(() => {}),
        new Promise<void>((r) => {
          this.wake = r;
        }),
      ]);
      poll.abort();
      this.wake = null;
      this.poked = false;
    }
  }

  /** Claims and settles one item; false when there was none to claim. */
  private async workOne(): Promise<boolean> {
    const now = Date.now();
    const claimed = await this.store.claim(new Date(now).toISOString(), new Date(now + LEASE_MS).toISOString());
    if (!claimed) return false;
    const task = await this.store.get(claimed.taskId);
    const item = await this.store.item(claimed.taskId, claimed.itemNo);
    if (!task || !item || item.status !== 'queued') return true;
    try {
      const letter = await this.work(task, item);
      await this.store.settle(task.id, item.itemNo, { status: 'done', ...letter });
    } catch (e) {
      if (isHanjianError(e) && PASSING.has(e.code)) {
        this.options.log?.({
          msg: 'workspace task item will be tried again',
          level: 'warn',
          task: task.id,
          item: item.itemNo,
          code: e.code,
        });
        await this.store.release(task.id, item.itemNo, new Date(Date.now() + RETRY_MS).toISOString());
        return true;
      }
      const problem = isHanjianError(e) ? chineseOnly(e.zh) : '内部错误，该函件未出具';
      if (!isHanjianError(e))
        this.options.log?.({
          msg: 'workspace task item failed',
          level: 'error',
          task: task.id,
          item: item.itemNo,
          error: e instanceof Error ? e.name : typeof e,
        });
      await this.store.settle(task.id, item.itemNo, { status: 'failed', problem });
    }
    if (await this.store.finishIfDone(task.id, new Date().toISOString())) await this.finished(task);
    return true;
  }

  /** As the person who asked, with the rights they have now: a user disabled since asking gets nothing more issued. */
  private async callerOf(task: TaskRow): Promise<Caller> {
    const user = await this.parts.orgs.user(task.userId);
    assertActive(user);
    return { orgId: user.orgId, userId: user.id, keyId: `web:${user.id}`, scopes: scopesOf(user) };
  }

  private async work(task: TaskRow, item: TaskItem): Promise<{ letterId: string; letterNo: string }> {
    const caller = await this.callerOf(task);
    if (task.kind === 'approve') {
      const view = await this.parts.requests.get(item.ref, caller);
      // Approved already (an earlier run of this item, or one at a time in another tab): its letter is the result.
      if (view.letter) return { letterId: view.letter.id, letterNo: view.letter.number };
      const issued = await this.parts.requests.approve(item.ref, caller);
      return { letterId: issued.record.id, letterNo: issued.record.number };
    }
    const input = JSON.parse(this.parts.vault.decrypt(item.inputSealed!)) as unknown;
    const { record } = await this.parts.letters.issue(input, {
      idempotencyKey: taskIdempotencyKey(task.id, item.itemNo),
      requester: caller.keyId,
      orgId: task.orgId,
    });
    return { letterId: record.id, letterNo: record.number };
  }

  private async finished(task: TaskRow): Promise<void> {
    const c = await this.store.counts(task.id);
    await this.parts.audit.append({
      orgId: task.orgId,
      actor: `web:${task.userId}`,
      action: 'job.finished',
      subject: task.subject,
      details: { task: task.id, kind: task.kind, done: c.done, failed: c.failed },
    });
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }
}
