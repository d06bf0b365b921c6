/**
 * The service's renderers: the one render pool (jobs/thread-pool.ts) running http/render-worker
 * — previews and final renders off the event loop, a fair share per organisation, a bounded
 * queue (503 with Retry-After when full) and a time limit per render (504).
 */
import type { Config } from '../app/config.js';
import type { CatalogSpecs } from '../catalogs/catalogs.js';
import { type Outcome, ThreadPool } from '../jobs/thread-pool.js';
import { sharedFontBytes, warmupInput } from '../pipeline/index.js';
import { HanjianError } from '../shared/errors.js';
import { workerFile } from '../shared/paths.js';
import type { RenderJob, RenderReply } from './render-worker.js';

export type RenderOutcome = Extract<RenderReply, { ok: true }>;

/** A worker's refusal becomes the HanjianError it was inside the worker. */
function outcomeOf(r: RenderReply): Outcome<RenderOutcome> {
  if (r.ok) return { ok: true, value: r };
  return {
    ok: false,
    error: new HanjianError({
      ...r.error,
      category: r.error.category as HanjianError['category'],
      issues: r.error.issues as HanjianError['issues'],
    }),
  };
}

export class RenderPool extends ThreadPool<RenderJob, RenderReply, RenderOutcome> {
  private nextId = 1;

  /**
   * `warmup` is rendered once by every new worker before it takes requests, so neither the
   * first request nor one after a worker was replaced pays the font-parsing cold start.
   */
  constructor(size: number, maxQueue: number, timeoutMs: number, workerData: object, warmup?: unknown) {
    super({
      file: workerFile(import.meta.url, 'http', 'render-worker.js'),
      size,
      maxQueue,
      timeoutMs,
      workerData,
      warmup: warmup === undefined ? undefined : { id: 0, input: warmup, mode: 'preview' },
      unref: true,
      outcome: outcomeOf,
    });
  }

  /** Renders `job` for `owner` (the caller's organisation), in that owner's turn. */
  render(job: Omit<RenderJob, 'id'>, owner = ''): Promise<RenderOutcome> {
    return this.run({ ...job, id: this.nextId++ }, owner);
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
