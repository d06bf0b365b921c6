/**
 * The in-process queue for SQLite: the jobs are the batch's rows themselves, persisted in the
 * registry's file, so a restart (or a SIGKILL) resumes the batch where it was. The service is
 * the only worker of a SQLite queue: at start the claims of a dead process are released, and
 * rows are claimed for a lease, so even a second process on the same file would only repeat
 * work that is idempotent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobQueue, QueueOptions, RowHandler } from './queue.js';
import type { BatchStore, RowRef } from './store.js';

export class LocalQueue implements JobQueue {
  private running = new Set<Promise<void>>();
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Set when a row finished or a batch arrived while the loop was busy, so that wake-up is not lost. */
  private poked = false;
  private loop: Promise<void> | null = null;

  constructor(private store: BatchStore, private options: QueueOptions & { pollMs?: number }) {}

  async start(handler: RowHandler): Promise<void> {
    await this.store.releaseClaims();
    this.loop = this.run(handler);
  }

  async enqueue(): Promise<void> {
    // The rows are the jobs, written as the body was read: only the worker needs waking.
    this.poke();
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private async run(handler: RowHandler): Promise<void> {
    while (!this.stopped) {
      const free = this.options.concurrency - this.running.size;
      let claimed: RowRef[] = [];
      if (free > 0) {
        const now = Date.now();
        try {
          claimed = await this.store.claim(free, new Date(now).toISOString(), new Date(now + this.options.leaseMs).toISOString());
        } catch {
          claimed = []; // a busy registry: try again on the next turn
        }
      }
      for (const job of claimed) {
        const p: Promise<void> = handler(job).catch(() => this.store.retryAt(job, new Date(Date.now() + this.options.retryDelayMs).toISOString()).catch(() => {}))
          .finally(() => { this.running.delete(p); this.poke(); });
        this.running.add(p);
      }
      if (claimed.length && this.running.size < this.options.concurrency) continue;
      if (this.poked) { this.poked = false; continue; }
      // Nothing to take (or no free place): wait for a finished row, a new batch, or the poll.
      await Promise.race([sleep(this.options.pollMs ?? 1_000), new Promise<void>((r) => { this.wake = r; })]);
      this.wake = null;
      this.poked = false;
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.poke();
    await this.loop;
    await Promise.allSettled([...this.running]);
  }
}
