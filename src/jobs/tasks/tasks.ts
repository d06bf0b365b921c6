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
import type { Audit } from '../../audit/audit.js';
import { assertActive } from '../../orgs/active.js';
import type { Caller } from '../../orgs/model.js';
import { scopesOf } from '../../orgs/sessions.js';
import { isHanjianError } from '../../shared/errors.js';
import type { BatchParts } from '../batches/parts.js';
import { LeaseQueue } from '../lease-queue.js';
import { DEFAULT_MAX_ATTEMPTS, mayPass } from '../retry.js';
import type { ItemRef, TaskItem, TaskRow, TaskStore } from './task-store.js';

const LEASE_MS = 5 * 60_000;
const RETRY_MS = 15_000;

export const taskIdempotencyKey = (taskId: string, itemNo: number) => `web:${taskId}:${itemNo}`;

/** The parts a task works through: those of a batch, and the audit trail that records its end. */
export interface TaskParts extends BatchParts {
  audit: Audit;
}

export class WebTasks {
  private queue: LeaseQueue<ItemRef>;

  constructor(
    private store: TaskStore,
    private parts: TaskParts,
    private options: {
      pollMs?: number;
      log?: (e: Record<string, unknown>) => void;
      maxAttempts?: number;
      retryDelayMs?: number;
    } = {},
  ) {
    // One item at a time: the issuing renderer is shared with everyone else.
    this.queue = new LeaseQueue<ItemRef>(store, {
      concurrency: 1,
      leaseMs: LEASE_MS,
      retryDelayMs: options.retryDelayMs ?? RETRY_MS,
      pollMs: options.pollMs ?? 2_000,
      onError: (e) =>
        options.log?.({ msg: 'workspace task error', level: 'error', error: e instanceof Error ? e.name : typeof e }),
    });
  }

  /** Starts the worker; once, however often it is called (the lease queue's own guard). */
  start(): void {
    void this.queue.start((ref, attempt) => this.workOne(ref, attempt));
  }

  /** A new task's items are waiting: take them now rather than at the next poll. */
  poke(): void {
    this.queue.poke();
  }

  /** Settles one claimed item, or throws (a failure that may pass, attempts left) to have it tried again. */
  private async workOne(ref: ItemRef, attempt: number): Promise<void> {
    const task = await this.store.get(ref.taskId);
    const item = await this.store.item(ref.taskId, ref.itemNo);
    if (!task || !item || item.status !== 'queued') return; // settled by an earlier run
    try {
      const letter = await this.work(task, item);
      await this.store.settle(task.id, item.itemNo, { status: 'done', ...letter });
    } catch (e) {
      const code = isHanjianError(e) ? e.code : 'INTERNAL';
      if (mayPass(e) && attempt < (this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
        this.options.log?.({
          msg: 'workspace task item will be tried again',
          level: 'warn',
          task: task.id,
          item: item.itemNo,
          code,
        });
        throw e;
      }
      if (!isHanjianError(e))
        this.options.log?.({
          msg: 'workspace task item failed',
          level: 'error',
          task: task.id,
          item: item.itemNo,
          error: e instanceof Error ? e.name : typeof e,
        });
      const problem = isHanjianError(e)
        ? mayPass(e)
          ? `${e.zh}（已尝试 ${attempt} 次）`
          : e.zh
        : '内部错误，该函件未出具';
      await this.store.settle(task.id, item.itemNo, { status: 'failed', problem });
    }
    if (await this.store.finishIfDone(task.id, new Date().toISOString())) await this.finished(task);
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
    const input = JSON.parse(this.parts.vault.decrypt(item.inputEncrypted!)) as unknown;
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
    await this.queue.close();
  }
}
