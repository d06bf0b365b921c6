/**
 * The one render pool: worker threads behind fair, bounded queues. The HTTP service
 * (http/pool.ts: previews, issuing) and the CLI's `hanjian batch` (cli/batch/pool.ts) both run
 * their renders here, so both get the same guarantees:
 * - a full queue fails at once (QUEUE_FULL) instead of letting latency grow without bound;
 * - each owner (an organisation) has its own queue and owners are served in turn, so one
 *   owner's burst never gets another's work refused;
 * - a job over its time limit fails (RENDER_TIMEOUT) and its worker is replaced, and a worker
 *   that dies (out of memory, a native crash) fails only its own job and is replaced;
 * - a job that cannot be posted (too deep to clone) fails alone and the worker stays usable.
 */
import { Worker } from 'node:worker_threads';
import { RENDER_WORKER_LIMITS } from '../pipeline/index.js';
import { HanjianError } from '../shared/errors.js';

/** What a worker sent back, as the caller sees it: a value, or the error to reject with. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface ThreadPoolOptions<J, R, O> {
  /** The worker's module (compiled JavaScript). */
  file: string | URL;
  size: number;
  /** Jobs that may wait for a worker, over all owners; Infinity for a caller that paces itself with room(). */
  maxQueue: number;
  /** Covers waiting and working, so the caller has an answer within it; none when omitted. */
  timeoutMs?: number;
  workerData: unknown;
  /** Done once by every new worker before it takes jobs, so no caller pays the cold start. */
  warmup?: J;
  /**
   * Workers that do not keep the process alive: a service (whose server keeps it alive) must be
   * able to exit without closing the pool; a command awaiting its results must not.
   */
  unref?: boolean;
  /** A worker's reply to a job, as the caller's result or error. */
  outcome: (reply: R) => Outcome<O>;
}

interface Task<J, O> {
  job: J;
  owner: string;
  resolve: (r: O) => void;
  reject: (e: unknown) => void;
  timer?: NodeJS.Timeout;
}
interface Slot<J, O> {
  worker: Worker;
  task: Task<J, O> | null;
}

const poolError = (code: string, zh: string, en: string, cause?: unknown) =>
  new HanjianError({
    code,
    zh,
    en,
    category: code === 'INPUT_NOT_TRANSFERABLE' ? 'invalid_input' : 'internal',
    cause,
  });
const shuttingDown = () => poolError('QUEUE_FULL', '服务正在关闭', 'the service is shutting down');
const queueFull = () => poolError('QUEUE_FULL', '渲染队列已满，请稍后重试', 'the render queue is full; retry shortly');

export class ThreadPool<J, R, O> {
  private slots: Slot<J, O>[] = [];
  /** Waiting tasks per owner, in arrival order; owners are served round-robin (a fair share each). */
  private queues = new Map<string, Task<J, O>[]>();
  private waiting = 0;
  private closed = false;
  private roomWaiters: (() => void)[] = [];

  /** Resolves when every initial worker has done its warm-up job. */
  readonly ready: Promise<void>;
  private warmups: Promise<void>[] = [];

  constructor(private o: ThreadPoolOptions<J, R, O>) {
    for (let i = 0; i < o.size; i++) this.slots.push(this.spawn());
    this.ready = Promise.all(this.warmups).then(() => undefined);
  }

  get queued(): number {
    return this.waiting;
  }
  get running(): number {
    return this.slots.filter((s) => s.task).length;
  }
  /**
   * True when a new job would be refused whoever asks: lets a server answer 503 before reading
   * the body (and before it knows the caller). While one owner's burst holds more than half the
   * queue, another's job would displace one of its tasks, so this stays false.
   */
  get saturated(): boolean {
    return (
      !this.slots.some((s) => !s.task) &&
      this.waiting >= this.o.maxQueue &&
      this.largest()[1] <= Math.ceil(this.o.maxQueue / 2)
    );
  }

  /** Resolves when fewer jobs wait than there are workers: a producer's pace, so it never reads far ahead. */
  room(): Promise<void> {
    if (this.closed || this.waiting < this.slots.length) return Promise.resolve();
    return new Promise((r) => this.roomWaiters.push(r));
  }

  /**
   * Runs `job` for `owner`. A full queue refuses with QUEUE_FULL, unless the owner has fewer
   * waiting than the owner with the most: then that owner's newest task is refused instead
   * and this one waits.
   */
  run(job: J, owner = ''): Promise<O> {
    if (this.closed) return Promise.reject(shuttingDown());
    const idle = this.slots.some((s) => !s.task);
    if (!idle && this.waiting >= this.o.maxQueue) {
      const [top, most] = this.largest();
      const mine = this.queues.get(owner)?.length ?? 0;
      if (top === null || top === owner || mine + 1 >= most) return Promise.reject(queueFull());
      const displaced = this.queues.get(top)!.at(-1)!;
      this.unqueue(displaced);
      clearTimeout(displaced.timer);
      displaced.reject(queueFull());
    }
    return new Promise((resolve, reject) => {
      const task: Task<J, O> = { job, owner, resolve, reject };
      if (this.o.timeoutMs !== undefined)
        task.timer = setTimeout(() => {
          const slot = this.slots.find((s) => s.task === task);
          const err = poolError('RENDER_TIMEOUT', '渲染超时', 'rendering took too long');
          if (slot) this.replace(slot, err);
          else {
            this.unqueue(task);
            reject(err);
          }
        }, this.o.timeoutMs);
      this.enqueue(task);
      this.pump();
    });
  }

  /** The owner with the most waiting tasks, and how many. */
  private largest(): [string | null, number] {
    let top: [string | null, number] = [null, 0];
    for (const [owner, q] of this.queues) if (q.length > top[1]) top = [owner, q.length];
    return top;
  }

  private enqueue(t: Task<J, O>): void {
    const q = this.queues.get(t.owner);
    if (q) q.push(t);
    else this.queues.set(t.owner, [t]);
    this.waiting++;
  }

  /** The next task, round-robin over owners: the first owner's oldest, and that owner goes to the back. */
  private next(): Task<J, O> | undefined {
    for (const [owner, q] of this.queues) {
      const t = q.shift()!;
      this.queues.delete(owner);
      if (q.length) this.queues.set(owner, q); // re-inserted: last in the Map's order
      this.waiting--;
      return t;
    }
    return undefined;
  }

  private unqueue(t: Task<J, O>): boolean {
    const q = this.queues.get(t.owner);
    const i = q?.indexOf(t) ?? -1;
    if (i < 0) return false;
    q!.splice(i, 1);
    if (!q!.length) this.queues.delete(t.owner);
    this.waiting--;
    return true;
  }

  private spawn(): Slot<J, O> {
    const slot: Slot<J, O> = {
      worker: new Worker(this.o.file, { workerData: this.o.workerData, resourceLimits: RENDER_WORKER_LIMITS }),
      task: null,
    };
    slot.worker.on('message', (r: R) => this.finish(slot, r));
    const failed = (detail: string) => {
      if (this.slots.includes(slot))
        this.replace(slot, poolError('INTERNAL', `渲染线程出错（${detail}）`, `render worker failed (${detail})`));
    };
    slot.worker.on('error', (e) => failed(e instanceof Error ? e.name : 'error'));
    // An exit we did not ask for (a native crash, out of memory) replaces the worker too.
    slot.worker.on('exit', (code) => {
      if (!this.closed) failed(`exit ${code}`);
    });
    if (this.o.unref) slot.worker.unref();
    if (this.o.warmup !== undefined) {
      // The slot is busy with an internal task until the warm-up is done; its result is ignored.
      const warmup = this.o.warmup;
      this.warmups.push(
        new Promise<void>((done) => {
          this.dispatch(slot, {
            job: warmup,
            owner: '',
            resolve: () => done(),
            reject: () => done(),
          });
        }),
      );
    }
    return slot;
  }

  private replace(slot: Slot<J, O>, error: unknown): void {
    const t = slot.task;
    slot.task = null;
    void slot.worker.terminate();
    const i = this.slots.indexOf(slot);
    if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
    if (t) {
      clearTimeout(t.timer);
      t.reject(error);
    }
    this.pump();
  }

  private finish(slot: Slot<J, O>, reply: R): void {
    const t = slot.task;
    slot.task = null;
    if (t) {
      clearTimeout(t.timer);
      const out = this.o.outcome(reply);
      if (out.ok) t.resolve(out.value);
      else t.reject(out.error);
    }
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      while (!slot.task && this.waiting) this.dispatch(slot, this.next()!);
    }
    while (this.roomWaiters.length && this.waiting < this.slots.length) this.roomWaiters.shift()!();
  }

  /**
   * Hands a task to an idle worker. postMessage clones the job and can throw (input too deep
   * or not cloneable): then that task alone fails and the slot stays free, so the pool's
   * bookkeeping survives any input — a throw here once left a worker marked busy for good.
   */
  private dispatch(slot: Slot<J, O>, t: Task<J, O>): void {
    slot.task = t;
    try {
      slot.worker.postMessage(t.job);
    } catch (cause) {
      slot.task = null;
      clearTimeout(t.timer);
      t.reject(
        poolError(
          'INPUT_NOT_TRANSFERABLE',
          '输入无法传递给渲染线程（结构过深或含不支持的值）',
          'the input cannot be handed to a render worker (too deep, or values that cannot be cloned)',
          cause,
        ),
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queues.values())
      for (const t of q) {
        clearTimeout(t.timer);
        t.reject(shuttingDown());
      }
    this.queues.clear();
    this.waiting = 0;
    for (const r of this.roomWaiters.splice(0)) r();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
