/**
 * Render pool: worker threads behind a bounded queue. A full queue fails at once (503 with
 * Retry-After) instead of letting latency grow without bound; a render over its time limit
 * fails with 504 and its worker is replaced, so one slow letter cannot stall the others.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from '../app/config.js';
import type { CatalogSpecs } from '../catalogs/catalogs.js';
import { RENDER_WORKER_LIMITS, sharedFontBytes, warmupInput } from '../pipeline/index.js';
import { HanjianError } from '../shared/errors.js';
import { PACKAGE_ROOT } from '../shared/paths.js';
import type { RenderJob, RenderReply } from './render-worker.js';

export type RenderOutcome = Extract<RenderReply, { ok: true }>;

interface Task {
  job: RenderJob;
  /** Whose render it is (the caller's organisation): each has its own queue, served in turn. */
  owner: string;
  resolve: (r: RenderOutcome) => void;
  reject: (e: unknown) => void;
  timer?: NodeJS.Timeout;
}
interface Slot {
  worker: Worker;
  task: Task | null;
}

/** Workers run compiled JavaScript: from dist/ when this module itself runs from src/ (tests). */
export function workerFile(name: string): string {
  const sibling = fileURLToPath(new URL(`./${name}`, import.meta.url));
  return existsSync(sibling) ? sibling : join(PACKAGE_ROOT, 'dist', 'http', name);
}

const shuttingDown = () =>
  new HanjianError({
    code: 'QUEUE_FULL',
    zh: '服务正在关闭',
    en: 'the service is shutting down',
    category: 'internal',
  });

const queueFull = () =>
  new HanjianError({
    code: 'QUEUE_FULL',
    zh: '渲染队列已满，请稍后重试',
    en: 'the render queue is full; retry shortly',
    category: 'internal',
  });

export class RenderPool {
  private slots: Slot[] = [];
  /** Waiting tasks per owner, in arrival order; owners are served round-robin (a fair share each). */
  private queues = new Map<string, Task[]>();
  private waiting = 0;
  private nextId = 1;
  private closed = false;

  /** Resolves when every initial worker has parsed the fonts and rendered the warm-up letter. */
  readonly ready: Promise<void>;
  private warmups: Promise<void>[] = [];

  /**
   * `warmup` is rendered once by every new worker before it takes requests, so neither the
   * first request nor one after a worker was replaced pays the font-parsing cold start.
   */
  constructor(
    size: number,
    private maxQueue: number,
    private timeoutMs: number,
    private workerData: object,
    private warmup?: unknown,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
    this.ready = Promise.all(this.warmups).then(() => undefined);
  }

  get queued(): number {
    return this.waiting;
  }
  /**
   * True when a new render would be refused whoever asks: lets the server answer 503 before
   * reading the body (and before it knows the caller). While one owner's burst holds more than
   * half the queue, another's render would displace one of its tasks, so this stays false and
   * the pool decides once the caller is known.
   */
  get saturated(): boolean {
    return (
      !this.slots.some((s) => !s.task) &&
      this.waiting >= this.maxQueue &&
      this.largest()[1] <= Math.ceil(this.maxQueue / 2)
    );
  }

  /** The owner with the most waiting tasks, and how many. */
  private largest(): [string | null, number] {
    let top: [string | null, number] = [null, 0];
    for (const [owner, q] of this.queues) if (q.length > top[1]) top = [owner, q.length];
    return top;
  }

  private enqueue(t: Task): void {
    const q = this.queues.get(t.owner);
    if (q) q.push(t);
    else this.queues.set(t.owner, [t]);
    this.waiting++;
  }

  /** The next task, round-robin over owners: the first owner's oldest, and that owner goes to the back. */
  private next(): Task | undefined {
    for (const [owner, q] of this.queues) {
      const t = q.shift()!;
      this.queues.delete(owner);
      if (q.length) this.queues.set(owner, q); // re-inserted: last in the Map's order
      this.waiting--;
      return t;
    }
    return undefined;
  }

  private unqueue(t: Task): boolean {
    const q = this.queues.get(t.owner);
    const i = q?.indexOf(t) ?? -1;
    if (i < 0) return false;
    q!.splice(i, 1);
    if (!q!.length) this.queues.delete(t.owner);
    this.waiting--;
    return true;
  }
  get running(): number {
    return this.slots.filter((s) => s.task).length;
  }

  private spawn(): Slot {
    const slot: Slot = {
      worker: new Worker(workerFile('render-worker.js'), {
        workerData: this.workerData,
        resourceLimits: RENDER_WORKER_LIMITS,
      }),
      task: null,
    };
    slot.worker.on('message', (r: RenderReply) => this.finish(slot, r));
    const failed = () => {
      if (this.slots.includes(slot))
        this.replace(
          slot,
          new HanjianError({ code: 'INTERNAL', zh: '渲染线程出错', en: 'render worker failed', category: 'internal' }),
        );
    };
    slot.worker.on('error', failed);
    // An exit we did not ask for (a native crash, out of memory) replaces the worker too.
    slot.worker.on('exit', () => {
      if (!this.closed) failed();
    });
    slot.worker.unref();
    if (this.warmup !== undefined) {
      // The slot is busy with an internal task until the warm-up is done; its result is ignored.
      this.warmups.push(
        new Promise<void>((done) => {
          this.dispatch(slot, {
            job: { id: this.nextId++, input: this.warmup, mode: 'preview' },
            owner: '',
            resolve: () => done(),
            reject: () => done(),
          });
        }),
      );
    }
    return slot;
  }

  private replace(slot: Slot, error: unknown): void {
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

  private finish(slot: Slot, r: RenderReply): void {
    const t = slot.task;
    slot.task = null;
    if (t) {
      clearTimeout(t.timer);
      if (r.ok) t.resolve(r);
      else
        t.reject(
          new HanjianError({
            ...r.error,
            category: r.error.category as HanjianError['category'],
            issues: r.error.issues as HanjianError['issues'],
          }),
        );
    }
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      while (!slot.task && this.waiting) this.dispatch(slot, this.next()!);
    }
  }

  /**
   * Hands a task to an idle worker. postMessage clones the job and can throw (input too deep
   * or not cloneable): then that task alone fails and the slot stays free, so the pool's
   * bookkeeping survives any input — a throw here once left a worker marked busy for good.
   */
  private dispatch(slot: Slot, t: Task): void {
    slot.task = t;
    try {
      slot.worker.postMessage(t.job);
    } catch (cause) {
      slot.task = null;
      clearTimeout(t.timer);
      t.reject(
        new HanjianError({
          code: 'INPUT_NOT_TRANSFERABLE',
          category: 'invalid_input',
          zh: '输入无法传递给渲染线程（结构过深或含不支持的值）',
          en: 'the input cannot be handed to a render worker (too deep, or values that cannot be cloned)',
          cause,
        }),
      );
    }
  }

  /**
   * Renders `job` for `owner` (the caller's organisation). A full queue refuses with QUEUE_FULL,
   * unless the owner has fewer waiting than the owner with the most: then that owner's newest
   * task is refused instead and this one waits — one organisation's burst never gets another's
   * renders refused, and the owners' queues are served in turn.
   */
  render(job: Omit<RenderJob, 'id'>, owner = ''): Promise<RenderOutcome> {
    if (this.closed) return Promise.reject(shuttingDown());
    const idle = this.slots.some((s) => !s.task);
    if (!idle && this.waiting >= this.maxQueue) {
      const [top, most] = this.largest();
      const mine = this.queues.get(owner)?.length ?? 0;
      if (top === null || top === owner || mine + 1 >= most) return Promise.reject(queueFull());
      const displaced = this.queues.get(top)!.at(-1)!;
      this.unqueue(displaced);
      clearTimeout(displaced.timer);
      displaced.reject(queueFull());
    }
    return new Promise((resolve, reject) => {
      const task: Task = { job: { ...job, id: this.nextId++ }, owner, resolve, reject };
      // The time limit covers waiting and rendering: the caller gets an answer within it.
      task.timer = setTimeout(() => {
        const slot = this.slots.find((s) => s.task === task);
        const err = new HanjianError({
          code: 'RENDER_TIMEOUT',
          zh: '渲染超时',
          en: 'rendering took too long',
          category: 'internal',
        });
        if (slot) this.replace(slot, err);
        else {
          this.unqueue(task);
          reject(err);
        }
      }, this.timeoutMs);
      this.enqueue(task);
      this.pump();
    });
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
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** A pool configured like the service's renderers (seals, charge cap), warmed up with the example letter. */
export function renderPoolFor(
  config: Config,
  size: number,
  maxQueue: number,
  timeoutMs: number,
  templates?: CatalogSpecs,
): RenderPool {
  const data = {
    sealsFile: config.sealsFile,
    specimenSeal: config.specimenSeal && !config.sealsFile,
    chargesOverCap: config.chargesOverCap,
    templates,
    fonts: sharedFontBytes(),
  };
  return new RenderPool(size, maxQueue, timeoutMs, data, warmupInput());
}
