import { describe, expect, it } from 'vitest';
import { RenderPool } from '../../src/http/pool.js';
import { example } from '../helpers.js';

type Internals = { slots: { worker: { terminate: () => Promise<number> }; task: unknown }[] };

describe('RenderPool', () => {
  it('replaces a worker that dies and keeps rendering', async () => {
    const pool = new RenderPool(1, 4, 20_000, { specimenSeal: false }, example('reminder'));
    await pool.ready;
    const before = (pool as unknown as Internals).slots[0]!.worker;
    // A render in flight when its worker dies fails; the pool does not hang.
    const inFlight = pool.render({ input: example('lawyer-letter'), mode: 'preview' });
    await before.terminate();
    await expect(inFlight).rejects.toMatchObject({ code: 'INTERNAL' });
    const after = (pool as unknown as Internals).slots[0]!.worker;
    expect(after).not.toBe(before);
    const r = await pool.render({ input: example('reminder'), mode: 'preview' });
    expect(r.pages).toBeGreaterThan(0);
    await pool.close();
  });

  it('survives input that cannot be cloned to a worker, busy or idle, and keeps every slot usable', async () => {
    const pool = new RenderPool(1, 4, 20_000, { specimenSeal: false }, example('reminder'));
    await pool.ready;
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const hostile = { ...example('reminder'), history: deep };
    // Idle worker: the clone throws inside render(); the caller gets an error, the slot is free again.
    await expect(pool.render({ input: hostile, mode: 'preview' })).rejects.toMatchObject({
      code: 'INPUT_NOT_TRANSFERABLE',
    });
    expect(pool.running).toBe(0);
    // Busy worker: the hostile job waits in the queue and fails when pumped, without taking the process down.
    const normal = pool.render({ input: example('reminder'), mode: 'preview' });
    const queued = pool.render({ input: hostile, mode: 'preview' });
    const after = pool.render({ input: example('demand'), mode: 'preview' });
    await expect(queued).rejects.toMatchObject({ code: 'INPUT_NOT_TRANSFERABLE' });
    expect((await normal).pages).toBeGreaterThan(0);
    expect((await after).pages).toBeGreaterThan(0);
    expect(pool.running).toBe(0);
    await pool.close();
  });

  it("gives each organisation a fair share: one's burst of 120 previews never gets another's refused", async () => {
    const pool = new RenderPool(1, 16, 120_000, { specimenSeal: false }, example('reminder'));
    await pool.ready;
    const settle = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: { code?: string }) => e.code ?? 'error',
      );
    const order: string[] = [];
    const burst = Array.from({ length: 120 }, () =>
      settle(pool.render({ input: example('reminder'), mode: 'preview' }, 'org-a').then(() => order.push('a'))),
    );
    // The burst holds the whole queue: the server must not refuse before it knows who asks.
    expect(pool.queued).toBe(16);
    expect(pool.saturated).toBe(false);
    const others = Array.from({ length: 5 }, () =>
      settle(pool.render({ input: example('demand'), mode: 'preview' }, 'org-b').then(() => order.push('b'))),
    );
    const [a, b] = [await Promise.all(burst), await Promise.all(others)];
    expect(b).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(a.filter((x) => x === 'ok').length).toBeGreaterThan(0);
    expect(new Set(a)).toEqual(new Set(['ok', 'QUEUE_FULL']));
    // Served in turn: the other organisation's five are done before the burst's queue drains.
    expect(order.lastIndexOf('b')).toBeLessThan(order.lastIndexOf('a'));
    expect(order.slice(0, 12).filter((x) => x === 'b').length).toBeGreaterThanOrEqual(4);
    await pool.close();
  }, 120_000);
});
