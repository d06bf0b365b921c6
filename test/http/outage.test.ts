/**
 * PostgreSQL going away under a running service: requests that need the registry answer 503
 * REGISTRY_UNAVAILABLE (with Retry-After, never a 500), /readyz turns 503 while /healthz stays
 * 200, and once the database is back the service recovers by itself with no number lost. The
 * outage is real at the socket level: the service reaches PostgreSQL through a TCP relay that
 * the test cuts (every open connection reset, new ones refused) and restores.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated } from '../helpers.js';
import { freshDatabase } from '../store/postgres/fresh.js';
import { webClient } from '../web/fixture.js';
import { startTestServer, type TestServer } from './server-helper.js';

/** A TCP relay to PostgreSQL that can be cut and restored. */
async function relay(
  target: URL,
): Promise<{ url: string; cut: () => void; restore: () => void; close: () => Promise<void> }> {
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = createConnection(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: url.toString(),
    cut: () => {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore: () => {
      open = true;
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('a PostgreSQL outage', () => {
  let s: TestServer;
  let db: Awaited<ReturnType<typeof relay>>;
  beforeAll(async () => {
    db = await relay(new URL(await freshDatabase()));
    s = await startTestServer({ databaseUrl: db.url, workers: 1 });
  });
  afterAll(async () => {
    await s?.close();
    await db?.close();
  });

  const issue = (key: string, contractNo: string) =>
    s.call('POST', '/v1/letters', {
      body: { ...dated('reminder', todayInShanghai()), account: { ...dated('reminder').account, contractNo } },
      headers: { 'idempotency-key': key },
    });

  it('answers 503 REGISTRY_UNAVAILABLE and /readyz 503 while it lasts, then recovers with the next number', async () => {
    const first = await issue('o-1', 'OUT-1');
    expect(first.status).toBe(201);
    const { id, number } = (await first.json()) as { id: string; number: string };
    expect(number).toMatch(/第0001号$/);

    const web = webClient(() => s.url);
    const webToken = await web.csrf('/app/signin');
    db.cut();
    const during = await issue('o-2', 'OUT-2');
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('5');
    expect(await during.json()).toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    expect((await s.call('GET', `/v1/letters/${id}`)).status).toBe(503);
    const ready = await s.call('GET', '/readyz', { key: null });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
    expect((await s.call('GET', '/healthz', { key: null })).status).toBe(200); // alive: only not ready
    // The workspace too: a sign-in during the outage is a 503 page with Retry-After, not a 500.
    const signIn = await web.post(
      '/app/signin',
      new URLSearchParams({ _csrf: webToken, login: 'nobody', password: 'x' }),
    );
    expect(signIn.status).toBe(503);
    expect(signIn.headers.get('retry-after')).toBe('5');
    expect(await signIn.text()).toContain('登记簿数据库暂时无法连接');

    db.restore();
    expect((await s.call('GET', '/readyz', { key: null })).status).toBe(200);
    const after = await issue('o-2', 'OUT-2'); // the refused request, retried with its key
    expect(after.status).toBe(201);
    expect(((await after.json()) as { number: string }).number).toMatch(/第0002号$/);
    expect((await s.call('GET', `/v1/letters/${id}/pdf`)).status).toBe(200);
    // What to watch: statements sent and the pool, on /metrics.
    const metrics = await (await s.call('GET', '/metrics', { key: null })).text();
    expect(Number(/^hanjian_registry_queries_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(10);
    expect(metrics).toMatch(/^hanjian_registry_pool_connections\{state="idle"\} \d+$/m);
    expect(metrics).toMatch(/^hanjian_registry_pool_waiting 0$/m);
  });
});
