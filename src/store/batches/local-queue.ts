/**
 * The batch queue on SQLite: the jobs are the batch's rows themselves, persisted in the
 * registry's file, so a restart (or a SIGKILL) resumes the batch where it was. The service is
 * the only worker of a SQLite queue: at start the claims of a dead process are released. The
 * loop is the one lease queue of jobs/lease-queue.ts.
 */
import type { BatchStore, RowRef } from '../../jobs/batches/batch-store.js';
import type { JobQueue, QueueOptions, RowHandler } from '../../jobs/batches/queue.js';
import { LeaseQueue } from '../../jobs/lease-queue.js';

export class LocalQueue implements JobQueue {
  private queue: LeaseQueue<RowRef>;

  constructor(store: BatchStore, options: QueueOptions & { pollMs?: number }) {
    this.queue = new LeaseQueue<RowRef>(store, options);
  }

  start(handler: RowHandler): Promise<void> {
    return this.queue.start((job) => handler(job));
  }

  async enqueue(): Promise<void> {
    // The rows are the jobs, written as the body was read: only the worker needs waking.
    this.queue.poke();
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
