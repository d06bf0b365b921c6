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

export class RenderPool {
  private slots: Slot[] = [];
  private queue: Task[] = [];
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
    return this.queue.length;
  }
  /** True when a new render would be refused: lets the server answer 503 before reading the body. */
  get saturated(): boolean {
    return !this.slots.some((s) => !s.task) && this.queue.length >= this.maxQueue;
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
      while (!slot.task && this.queue.length) this.dispatch(slot, this.queue.shift()!);
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

  render(job: Omit<RenderJob, 'id'>): Promise<RenderOutcome> {
    if (this.closed) return Promise.reject(shuttingDown());
    const idle = this.slots.some((s) => !s.task);
    if (!idle && this.queue.length >= this.maxQueue) {
      return Promise.reject(
        new HanjianError({
          code: 'QUEUE_FULL',
          zh: '渲染队列已满，请稍后重试',
          en: 'the render queue is full; retry shortly',
          category: 'internal',
        }),
      );
    }
    return new Promise((resolve, reject) => {
      const task: Task = { job: { ...job, id: this.nextId++ }, resolve, reject };
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
          this.queue = this.queue.filter((q) => q !== task);
          reject(err);
        }
      }, this.timeoutMs);
      this.queue.push(task);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue) {
      clearTimeout(t.timer);
      t.reject(shuttingDown());
    }
    this.queue = [];
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
