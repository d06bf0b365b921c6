/**
 * The in-process queue for SQLite: the jobs are the batch's rows themselves, persisted in the
 * registry's file, so a restart (or a SIGKILL) resumes the batch where it was. The service is
 * the only worker of a SQLite queue: at start the claims of a dead process are released, and
 * rows are claimed for a lease, so even a second process on the same file would only repeat
 * work that is idempotent. A row that met a passing failure stays claimed and is tried again
 * here after a delay — its claim needs no write, which may be what just failed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchStore, RowRef } from '../../jobs/batches/batch-store.js';
import type { JobQueue, QueueOptions, RowHandler } from '../../jobs/batches/queue.js';

export class LocalQueue implements JobQueue {
  private running = new Set<Promise<void>>();
  private retries: { job: RowRef; at: number; delay: number }[] = [];
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Set when a row finished or a batch arrived while the loop was busy, so that wake-up is not lost. */
  private poked = false;
  private loop: Promise<void> | null = null;

  constructor(
    private store: BatchStore,
    private options: QueueOptions & { pollMs?: number },
  ) {}

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

  private launch(handler: RowHandler, job: RowRef, delay: number): void {
    const p: Promise<void> = handler(job)
      .catch(() => {
        this.retries.push({ job, at: Date.now() + delay, delay: Math.min(delay * 2, 60_000) });
      })
      .finally(() => {
        this.running.delete(p);
        this.poke();
      });
    this.running.add(p);
  }

  private async run(handler: RowHandler): Promise<void> {
    while (!this.stopped) {
      const now = Date.now();
      // Rows waiting to be tried again come first: they hold their claim.
      while (this.running.size < this.options.concurrency && this.retries.length && this.retries[0]!.at <= now) {
        const r = this.retries.shift()!;
        this.launch(handler, r.job, r.delay);
      }
      const free = this.options.concurrency - this.running.size;
      let claimed: RowRef[] = [];
      if (free > 0) {
        try {
          claimed = await this.store.claim(
            free,
            new Date(now).toISOString(),
            new Date(now + this.options.leaseMs).toISOString(),
          );
        } catch {
          claimed = []; // a busy registry: try again on the next turn
        }
      }
      for (const job of claimed) this.launch(handler, job, this.options.retryDelayMs);
      if (claimed.length && this.running.size < this.options.concurrency) continue;
      if (this.poked) {
        this.poked = false;
        continue;
      }
      // Nothing to take (or no free place): wait for a finished row, a new batch, a retry's time, or the poll.
      this.retries.sort((a, b) => a.at - b.at);
      const nextRetry = this.retries.length ? Math.max(0, this.retries[0]!.at - Date.now()) : Infinity;
      await Promise.race([
        sleep(Math.min(this.options.pollMs ?? 1_000, nextRetry)),
        new Promise<void>((r) => {
          this.wake = r;
        }),
      ]);
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
