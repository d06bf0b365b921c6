/**
 * The batch queue on PostgreSQL (HANJIAN_DATABASE_URL): pg-boss, so any instance's workers
 * take any batch's rows. A job held by an instance that died expires after the lease and runs
 * again elsewhere; a job's id is derived from batch and row, so enqueuing a row twice (a
 * restart that re-enqueues what is still queued) makes one job.
 */
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { JobQueue, QueueOptions, RowHandler } from './queue.js';
import type { RowRef } from './store.js';

export const ROW_QUEUE = 'hanjian-batch-rows';

/** A UUID made from the batch id and the row number: the same row is always the same job. */
export function jobIdOf(batchId: string, row: number): string {
  const h = createHash('sha256').update(`${batchId}:${row}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface PgBossQueueOptions extends QueueOptions {
  connectionString: string;
  /** How often pg-boss looks for expired jobs (the rows of a dead instance); pg-boss's default is 120 s. */
  maintenanceIntervalSeconds?: number;
  onError?: (e: Error) => void;
}

export class PgBossQueue implements JobQueue {
  private boss: PgBoss;

  constructor(private options: PgBossQueueOptions) {
    this.boss = new PgBoss({ connectionString: options.connectionString, max: 4, maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60 });
    // pg-boss reports a lost connection here; unhandled, an 'error' event would end the process.
    this.boss.on('error', (e) => options.onError?.(e));
  }

  async start(handler: RowHandler): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(ROW_QUEUE, {
      name: ROW_QUEUE, retryLimit: 20, retryDelay: Math.max(1, Math.round(this.options.retryDelayMs / 1000)), retryBackoff: true,
      expireInSeconds: Math.max(1, Math.round(this.options.leaseMs / 1000)),
    });
    // One loop takes up to `concurrency` rows at a time and works them together. A row that met
    // a passing failure is failed alone (pg-boss retries it with backoff); the others complete.
    await this.boss.work<RowRef>(ROW_QUEUE, { batchSize: this.options.concurrency, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      const results = await Promise.allSettled(jobs.map((j) => handler({ batchId: j.data.batchId, row: j.data.row })));
      const failed = jobs.filter((_, i) => results[i]!.status === 'rejected').map((j) => j.id);
      if (failed.length) await this.boss.fail(ROW_QUEUE, failed);
    });
  }

  async enqueue(batchId: string, rows: number[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1_000) {
      await this.boss.insert(rows.slice(i, i + 1_000).map((row) => ({ id: jobIdOf(batchId, row), name: ROW_QUEUE, data: { batchId, row } })));
    }
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
