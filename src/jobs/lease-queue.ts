/**
 * The one worker loop for work kept in the database: batch rows (the rows are the jobs — an API
 * batch's or a workspace task's), on SQLite or PostgreSQL. A job is claimed for a lease with a
 * conditional update, so only one worker holds it, and one a dead worker held comes back when
 * its lease runs out. A job whose handler throws (a failure that may pass, jobs/retry.ts) keeps
 * its claim and is tried again here after a growing delay — its claim needs no write, which may
 * be what just failed. Handlers are idempotent: at-least-once delivery is the contract.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { retryDelay } from './retry.js';

/** Where the jobs are kept: claimed for a lease, at most `n` at a time. */
export interface ClaimSource<J> {
  claim(n: number, now: string, until: string): Promise<J[]>;
  /** Claims left by a process that died, released at start (only where this process is the sole worker). */
  releaseClaims?(): Promise<void>;
}

/** Settles one job; throws to have it tried again later. `attempt` counts from 1 in this process. */
export type JobHandler<J> = (job: J, attempt: number) => Promise<void>;

export interface LeaseQueueOptions {
  /** Jobs worked at once by this process. */
  concurrency: number;
  /** How long a taken job is held before another worker may take it. */
  leaseMs: number;
  /** Wait before a job that threw is tried again, doubled per attempt (at most a minute). */
  retryDelayMs: number;
  /** How often the source is asked for work when nothing woke the loop. */
  pollMs?: number;
  /** Errors of the loop itself (claiming), not of jobs. */
  onError?: (e: unknown) => void;
}

export class LeaseQueue<J> {
  private running = new Set<Promise<void>>();
  private retries: { job: J; at: number; attempt: number }[] = [];
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Set when a job finished or work arrived while the loop was busy, so that wake-up is not lost. */
  private poked = false;
  private loop: Promise<void> | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private source: ClaimSource<J>,
    private options: LeaseQueueOptions,
  ) {}

  /**
   * Releases a dead process's claims and starts the loop, once: a later call (the routes mounted
   * again) neither releases the claims of jobs in hand nor starts a second loop.
   */
  start(handler: JobHandler<J>): Promise<void> {
    this.starting ??= (async () => {
      await this.source.releaseClaims?.();
      this.loop = this.run(handler);
    })();
    return this.starting;
  }

  /** New work is waiting: take it now rather than at the next poll. */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private launch(handler: JobHandler<J>, job: J, attempt: number): void {
    const p: Promise<void> = handler(job, attempt)
      .catch(() => {
        this.retries.push({
          job,
          at: Date.now() + retryDelay(this.options.retryDelayMs, attempt),
          attempt: attempt + 1,
        });
      })
      .finally(() => {
        this.running.delete(p);
        this.poke();
      });
    this.running.add(p);
  }

  private async run(handler: JobHandler<J>): Promise<void> {
    while (!this.stopped) {
      const now = Date.now();
      // Jobs waiting to be tried again come first: they hold their claim.
      this.retries.sort((a, b) => a.at - b.at);
      while (this.running.size < this.options.concurrency && this.retries.length && this.retries[0]!.at <= now) {
        const r = this.retries.shift()!;
        this.launch(handler, r.job, r.attempt);
      }
      const free = this.options.concurrency - this.running.size;
      let claimed: J[] = [];
      if (free > 0) {
        try {
          claimed = await this.source.claim(
            free,
            new Date(now).toISOString(),
            new Date(now + this.options.leaseMs).toISOString(),
          );
        } catch (e) {
          this.options.onError?.(e);
          claimed = []; // a busy registry: try again on the next turn
        }
      }
      for (const job of claimed) this.launch(handler, job, 1);
      if (claimed.length && this.running.size < this.options.concurrency) continue;
      if (this.poked) {
        this.poked = false;
        continue;
      }
      // Nothing to take (or no free place): wait for a finished job, new work, a retry's time, or the poll.
      const nextRetry = this.retries.length ? Math.max(0, this.retries[0]!.at - Date.now()) : Infinity;
      const poll = new AbortController();
      await Promise.race([
        sleep(Math.min(this.options.pollMs ?? 1_000, nextRetry), undefined, { ref: false, signal: poll.signal }).catch(
          () => {},
        ),
        new Promise<void>((r) => {
          this.wake = r;
        }),
      ]);
      poll.abort();
      this.wake = null;
      this.poked = false;
    }
  }

  /** Stops taking jobs and waits for those in hand. */
  async close(): Promise<void> {
    this.stopped = true;
    this.poke();
    await this.loop;
    await Promise.allSettled([...this.running]);
  }
}
