/**
 * The batch queue: the jobs are the batch's rows themselves (`batch_rows`), claimed for a lease
 * by the one lease queue of jobs/lease-queue.ts — on SQLite, and on PostgreSQL where every
 * instance's workers take any batch's rows. A restart (or a SIGKILL) resumes a batch where it
 * was. A row held by an instance that died comes back when its lease runs out; only the sole
 * worker of a SQLite file may release every claim at start, since no other process holds one.
 */
import type { BatchStore, RowRef } from '../../jobs/batches/batch-store.js';
import type { JobQueue, QueueOptions, RowHandler } from '../../jobs/batches/queue.js';
import { LeaseQueue } from '../../jobs/lease-queue.js';

export class RowQueue implements JobQueue {
  private queue: LeaseQueue<RowRef>;

  constructor(store: BatchStore, options: QueueOptions & { pollMs?: number; soleWorker: boolean }) {
    // Shared by instances (PostgreSQL): never release claims, another instance may be working them.
    const source = options.soleWorker ? store : { claim: store.claim.bind(store) };
    this.queue = new LeaseQueue<RowRef>(source, options);
  }

  start(handler: RowHandler): Promise<void> {
    return this.queue.start((job) => handler(job));
  }

  async enqueue(): Promise<void> {
    // The rows are the jobs, written as the body was read: only the worker needs waking (other
    // instances find them at their next poll).
    this.queue.poke();
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
