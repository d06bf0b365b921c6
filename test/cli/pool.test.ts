import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BatchPool } from '../../src/cli/batch/pool.js';
import { RENDER_WORKER_LIMITS } from '../../src/pipeline/index.js';
import { example, ROOT } from '../helpers.js';

type Internals = {
  pool: {
    slots: { worker: { terminate: () => Promise<number>; resourceLimits?: { maxOldGenerationSizeMb?: number } } }[];
  };
};
const workerOf = (pool: BatchPool) => (pool as unknown as Internals).pool.slots[0]!.worker;

describe('batch BatchPool (the one render pool, jobs/thread-pool.ts)', () => {
  it('gives its workers the render heap ceiling (issue 16: peak RSS)', async () => {
    const pool = new BatchPool(1, pathToFileURL(join(ROOT, 'dist', 'cli', 'batch', 'worker.js')));
    const w = workerOf(pool);
    expect(w.resourceLimits?.maxOldGenerationSizeMb).toBe(RENDER_WORKER_LIMITS.maxOldGenerationSizeMb);
    await pool.close();
  });

  it('fails only the job of a worker that dies, and replaces the worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-pool-'));
    const pool = new BatchPool(1, pathToFileURL(join(ROOT, 'dist', 'cli', 'batch', 'worker.js')));
    const w = workerOf(pool);
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
    const pool = new BatchPool(1, pathToFileURL(join(ROOT, 'dist', 'cli', 'batch', 'worker.js')));
    const unclonable = {
      id: 1,
      text: '{}',
      target: join(dir, 'a.pdf'),
      preview: true,
      flags: { today: (() => 1) as unknown as string },
    };
    const { result } = await pool.submit(unclonable);
    expect(await result).toMatchObject({ id: 1, ok: false, code: 'INPUT_NOT_TRANSFERABLE' });
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

  it('paces the reader: a line is taken only when fewer wait than there are workers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-pool-'));
    const pool = new BatchPool(1, pathToFileURL(join(ROOT, 'dist', 'cli', 'batch', 'worker.js')));
    const job = (id: number) => ({
      id,
      text: JSON.stringify(example('reminder')),
      target: join(dir, `${id}.pdf`),
      preview: true,
      flags: {},
    });
    const first = await pool.submit(job(1)); // to the idle worker
    const second = await pool.submit(job(2)); // waits behind it
    let thirdTaken = false;
    const third = pool.submit(job(3)).then((s) => {
      thirdTaken = true;
      return s;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(thirdTaken).toBe(false);
    expect(await first.result).toMatchObject({ id: 1, ok: true });
    expect(await (await third).result).toMatchObject({ id: 3, ok: true });
    expect(await second.result).toMatchObject({ id: 2, ok: true });
    await pool.close();
  });
});
