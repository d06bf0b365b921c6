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
});
