/**
 * `hanjian batch`'s renderers: the one render pool (jobs/thread-pool.ts) running this folder's
 * worker.js. A line's own failure comes back as its result (never a rejection); the pool's
 * failures (a worker that died, a job that could not be posted) become that line's result here,
 * so the batch goes on.
 */
import { ThreadPool } from '../../jobs/thread-pool.js';
import { sharedFontBytes } from '../../pipeline/index.js';
import { workerFile } from '../../shared/paths.js';
import { failure, type Job, type JobResult } from './job.js';

export class BatchPool {
  private pool: ThreadPool<Job, JobResult, JobResult>;

  constructor(size: number, file: string | URL = workerFile(import.meta.url, 'cli/batch', 'worker.js')) {
    this.pool = new ThreadPool<Job, JobResult, JobResult>({
      file,
      size,
      // The batch paces itself with room(): it never reads far ahead of its workers.
      maxQueue: Number.POSITIVE_INFINITY,
      // One copy of the font files for every worker (60 MB each otherwise).
      workerData: { fonts: sharedFontBytes() },
      outcome: (r) => ({ ok: true, value: r }),
    });
  }

  get busy(): number {
    return this.pool.running + this.pool.queued;
  }

  /** Resolves when a worker is free to take another line soon; the line's result is never a rejection. */
  async submit(job: Job): Promise<{ result: Promise<JobResult> }> {
    await this.pool.room();
    const result = this.pool.run(job).catch((e: unknown) => failure(job.id, e));
    return { result };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
