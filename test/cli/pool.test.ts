import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/cli/batch/pool.js';
import { RENDER_WORKER_LIMITS } from '../../src/pipeline/index.js';
import { example, ROOT } from '../helpers.js';

type Internals = {
  workers: { terminate: () => Promise<number>; resourceLimits?: { maxOldGenerationSizeMb?: number } }[];
};

describe('batch WorkerPool', () => {
  it('gives its workers the render heap ceiling (issue 16: peak RSS)', async () => {
    const pool = new WorkerPool(1, pathToFileURL(join(ROOT, 'dist', 'cli', 'batch', 'worker.js')));
    const w = (pool as unknown as Internals).workers[0]!;
    expect(w.resourceLimits?.maxOldGenerationSizeMb).toBe(RENDER_WORKER_LIMITS.maxOldGenerationSizeMb);
    await pool.close();
  });

  it('fails only the job of a worker that dies, and replaces the worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-pool-'));
    const pool = new WorkerPool(1, pathToFileURL(join(ROOT, 'dist', 'cli', 'batch', 'worker.js')));
    const w = (pool as unknown as Internals).workers[0]!;
    const { result } = await pool.submit({
      id: 1,
      text: JSON.stringify(example('lawyer-letter')),
      target: join(dir, 'a.pdf'),
      preview: true,
      flags: {},
    });
    await w.terminate();
    expect(await result).toMatchObject({ id: 1, ok: false, code: 'INTERNAL' });
    const next = await pool.submit({
      id: 2,
      text: JSON.stringify(example('reminder')),
      target: join(dir, 'b.pdf'),
      preview: true,
      flags: {},
    });
    expect(await next.result).toMatchObject({ id: 2, ok: true });
    expect(existsSync(join(dir, 'b.pdf'))).toBe(true);
    await pool.close();
  });

  it('a job that cannot be posted fails alone and the worker stays usable (bookkeeping survives any throw)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-pool-'));
    const pool = new WorkerPool(1, pathToFileURL(join(ROOT, 'dist', 'cli', 'batch', 'worker.js')));
    const unclonable = {
      id: 1,
      text: '{}',
      target: join(dir, 'a.pdf'),
      preview: true,
      flags: { today: (() => 1) as unknown as string },
    };
    const { result } = await pool.submit(unclonable);
    expect(await result).toMatchObject({ id: 1, ok: false, code: 'INTERNAL' });
    expect(pool.busy).toBe(0);
    const next = await pool.submit({
      id: 2,
      text: JSON.stringify(example('reminder')),
      target: join(dir, 'b.pdf'),
      preview: true,
      flags: {},
    });
    expect(await next.result).toMatchObject({ id: 2, ok: true });
    await pool.close();
  });
});
