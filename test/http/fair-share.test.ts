/**
 * Issue 32, medium 7, over HTTP: during one organisation's burst of 120 concurrent previews,
 * another organisation's previews are all answered (never 503): each has its own queue.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { example } from '../helpers.js';
import { addWorld, keyFor } from '../support/world.js';
import { startTestServer, type TestServer } from './server-helper.js';

let s: TestServer;
const keys: Record<string, string> = {};
beforeAll(async () => {
  s = await startTestServer({ workers: 1, maxQueue: 16, renderTimeoutMs: 120_000 }, async (dir) => {
    const reg = openRegistry({ db: join(dir, 'hanjian.db') });
    const w = await addWorld(reg);
    keys.a = await keyFor(reg, w.client.id, ['preview']);
    keys.b = await keyFor(reg, w.other.id, ['preview']);
    await reg.close();
  });
});
afterAll(async () => {
  await s?.close();
});

/** A preview from another source address (127/8 is loopback), so the per-address connection cap of the burst is not ours. */
const previewFrom = (localAddress: string, key: string, body: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(
      `${s.url}/v1/previews`,
      {
        method: 'POST',
        localAddress,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

describe('the render queue under one organisation burst', () => {
  it('answers every preview of another organisation while the first keeps 120 in flight', async () => {
    const a = JSON.stringify(example('lawyer-letter'));
    const b = JSON.stringify(example('demand'));
    // The first organisation keeps 120 previews in flight (each answered one is sent again) until the other is done.
    let done = false;
    const statuses: number[] = [];
    const burst = Array.from({ length: 120 }, async () => {
      while (!done) statuses.push(await previewFrom('127.0.0.1', keys.a!, a).catch(() => 0));
    });
    await new Promise((r) => setTimeout(r, 500));
    const others = await Promise.all(Array.from({ length: 5 }, () => previewFrom('127.0.0.2', keys.b!, b)));
    done = true;
    await Promise.all(burst);
    expect(others).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.filter((x) => x === 503).length).toBeGreaterThan(0); // the burst did meet a full queue
  }, 180_000);
});
