/**
 * The batch queue on PostgreSQL (HANJIAN_DATABASE_URL): pg-boss, so any instance's workers
 * take any batch's rows. A job held by an instance that died expires after the lease and runs
 * again elsewhere; a job's id is derived from batch and row, so enqueuing a row twice (a
 * restart that re-enqueues what is still queued) makes one job.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { RowRef } from '../../jobs/batches/batch-store.js';
import type { JobQueue, QueueOptions, RowHandler } from '../../jobs/batches/queue.js';

export const ROW_QUEUE = 'hanjian-batch-rows';
/** An arbitrary, fixed advisory-lock key: instances define the queue one at a time. */
const QUEUE_LOCK = 7_215_016;

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
  /** How often an idle instance looks for rows (any instance may have enqueued them). */
  pollMs?: number;
}

export class PgBossQueue implements JobQueue {
  private boss: PgBoss;
  private running = new Set<Promise<void>>();
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Set when a row finished or rows were enqueued while the loop was busy, so that wake-up is not lost. */
  private poked = false;
  private loop: Promise<void> | null = null;

  constructor(private options: PgBossQueueOptions) {
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      max: 4,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    });
    // pg-boss reports a lost connection here; unhandled, an 'error' event would end the process.
    this.boss.on('error', (e) => options.onError?.(e));
  }

  async start(handler: RowHandler): Promise<void> {
    await this.boss.start();
    await this.defineQueue();
    this.loop = this.run(handler);
  }

  /**
   * Creates the queue, or brings its lease and retries up to this configuration. pg-boss's
   * create_queue is not locked: two instances creating the same queue on a fresh database
   * deadlock (each inserts the queue row, then attaches its partition). So instances take
   * turns under an advisory lock held on a connection of their own.
   */
  private async defineQueue(): Promise<void> {
    const options = {
      retryLimit: 20,
      retryDelay: Math.max(1, Math.round(this.options.retryDelayMs / 1000)),
      retryBackoff: true,
      expireInSeconds: Math.max(1, Math.round(this.options.leaseMs / 1000)),
    };
    const lock = new pg.Client({ connectionString: this.options.connectionString });
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [QUEUE_LOCK]);
      if (await this.boss.getQueue(ROW_QUEUE)) await this.boss.updateQueue(ROW_QUEUE, { name: ROW_QUEUE, ...options });
      else await this.boss.createQueue(ROW_QUEUE, { name: ROW_QUEUE, ...options });
    } finally {
      await lock.end().catch(() => {}); // ending the session releases the lock
    }
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }

  /**
   * Our own fetch loop rather than boss.work(): work() takes a batch, waits for all of it, and
   * then waits out its polling interval (0.5 s at least) before fetching again — at 2 rows a
   * turn that held an instance to 4 rows/s whatever its CPU. Here a row that settles makes
   * room for the next at once, and only an empty queue is polled.
   */
  private async run(handler: RowHandler): Promise<void> {
    while (!this.stopped) {
      const free = this.options.concurrency - this.running.size;
      let jobs: PgBoss.Job<RowRef>[] = [];
      if (free > 0) {
        try {
          jobs = await this.boss.fetch<RowRef>(ROW_QUEUE, { batchSize: free });
        } catch (e) {
          this.options.onError?.(e as Error); // the database is away: try again on the next turn
        }
      }
      for (const job of jobs) this.launch(handler, job);
      // Wait for a settled row (its place is taken at once), rows enqueued here, or the poll.
      if (this.poked) {
        this.poked = false;
        continue;
      }
      await Promise.race([
        sleep(this.options.pollMs ?? 500),
        new Promise<void>((r) => {
          this.wake = r;
        }),
      ]);
      this.wake = null;
      this.poked = false;
    }
  }

  /** A row that met a passing failure is failed in pg-boss, which retries it with backoff; a lost completion expires and runs again (idempotent). */
  private launch(handler: RowHandler, job: PgBoss.Job<RowRef>): void {
    const p: Promise<void> = handler({ batchId: job.data.batchId, row: job.data.row })
      .then(
        () => this.boss.complete(ROW_QUEUE, job.id),
        () => this.boss.fail(ROW_QUEUE, job.id),
      )
      .catch((e) => this.options.onError?.(e as Error))
      .finally(() => {
        this.running.delete(p);
        this.poke();
      });
    this.running.add(p);
  }

  async enqueue(batchId: string, rows: number[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1_000) {
      await this.boss.insert(
        rows.slice(i, i + 1_000).map((row) => ({ id: jobIdOf(batchId, row), name: ROW_QUEUE, data: { batchId, row } })),
      );
    }
    this.poke();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.poke();
    await this.loop;
    await Promise.allSettled([...this.running]);
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
