/** A fixed set of worker threads; each job goes to an idle worker, results come back as promises. */
import { Worker } from 'node:worker_threads';
import { RENDER_WORKER_LIMITS, sharedFontBytes } from '../../pipeline/index.js';
import { failure, type Job, type JobResult } from './job.js';

export class WorkerPool {
  private workers: Worker[] = [];
  private idle: Worker[] = [];
  private waiting: ((w: Worker) => void)[] = [];
  private pending = new Map<number, (r: JobResult) => void>();

  private closing = false;
  private running = new Map<Worker, number>(); // worker → job id

  constructor(
    size: number,
    private file: URL,
  ) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Worker {
    // One copy of the font files for every worker (60 MB each otherwise).
    const w = new Worker(this.file, { workerData: { fonts: sharedFontBytes() }, resourceLimits: RENDER_WORKER_LIMITS });
    w.on('message', (r: JobResult) => {
      const done = this.pending.get(r.id);
      this.pending.delete(r.id);
      this.running.delete(w);
      this.release(w);
      done?.(r);
    });
    // A worker that dies (out of memory, a native crash) fails its own job and is replaced,
    // so the batch goes on instead of waiting for it forever.
    w.on('exit', (code) => {
      if (this.closing) return;
      const id = this.running.get(w);
      this.running.delete(w);
      this.workers = this.workers.filter((x) => x !== w);
      this.idle = this.idle.filter((x) => x !== w);
      if (id !== undefined) {
        const done = this.pending.get(id);
        this.pending.delete(id);
        done?.({
          id,
          ok: false,
          code: 'INTERNAL',
          issues: [{ path: '', code: 'INTERNAL', message: `渲染线程意外退出 / render worker exited (code ${code})` }],
        });
      }
      this.release(this.spawn());
    });
    w.on('error', () => {
      /* followed by 'exit', handled there */
    });
    this.workers.push(w);
    return w;
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
    this.running.set(w, job.id);
    try {
      w.postMessage(job);
    } catch (e) {
      // The job never reached the worker (e.g. it cannot be cloned): fail this job alone and
      // give the worker back, so the pool's bookkeeping survives any throw.
      const done = this.pending.get(job.id);
      this.pending.delete(job.id);
      this.running.delete(w);
      this.release(w);
      done?.(failure(job.id, e));
    }
    return { result };
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
