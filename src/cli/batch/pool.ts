/** A fixed set of worker threads; each job goes to an idle worker, results come back as promises. */
import { Worker } from 'node:worker_threads';
import type { Job, JobResult } from './worker.js';

export class WorkerPool {
  private workers: Worker[] = [];
  private idle: Worker[] = [];
  private waiting: ((w: Worker) => void)[] = [];
  private pending = new Map<number, (r: JobResult) => void>();

  constructor(size: number, file: URL) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(file);
      w.on('message', (r: JobResult) => {
        const done = this.pending.get(r.id);
        this.pending.delete(r.id);
        this.release(w);
        done?.(r);
      });
      w.on('error', (e) => {
        for (const [id, done] of this.pending) done({ id, ok: false, code: 'INTERNAL', issues: [{ path: '', code: 'INTERNAL', message: String(e) }] });
        this.pending.clear();
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get busy(): number {
    return this.pending.size;
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    return w ? Promise.resolve(w) : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Resolves when a worker has taken the job; the returned promise inside resolves with its result. */
  async submit(job: Job): Promise<{ result: Promise<JobResult> }> {
    const w = await this.acquire();
    const result = new Promise<JobResult>((resolve) => this.pending.set(job.id, resolve));
    w.postMessage(job);
    return { result };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
