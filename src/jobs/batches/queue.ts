/**
 * The batch job queue: one job per row, `{ batchId, row }` — at-least-once delivery, a job held
 * by a dead worker runs again, a job's handler is idempotent (the row's letter is issued under a
 * key derived from batch and row). One implementation, store/batches/row-queue.ts: the rows are
 * the jobs, on SQLite or on PostgreSQL shared by every instance.
 */
import type { RowRef } from './batch-store.js';

/** Resolves when the row is settled (done or failed); throws to have the job tried again later. */
export type RowHandler = (job: RowRef) => Promise<void>;

export interface JobQueue {
  /** Starts taking jobs, at most `concurrency` at a time in this process. */
  start(handler: RowHandler): Promise<void>;
  /** The rows of a batch whose body was read to its end. Enqueuing a row twice runs it once. */
  enqueue(batchId: string, rows: number[]): Promise<void>;
  /** Stops taking jobs and waits for those in hand. */
  close(): Promise<void>;
}

export interface QueueOptions {
  /** Rows worked at once by this process (they share the issuing renderer with interactive requests). */
  concurrency: number;
  /** How long a taken job is held before another worker may take it (a dead worker's jobs come back after this). */
  leaseMs: number;
  /** Wait before a row that met a passing failure is tried again, doubled per attempt. */
  retryDelayMs: number;
}
