/**
 * Issue 32, medium 6: 1,100 sockets that never finished their headers held all 1,024
 * connections, and every new client was reset for 44 s (Node looked for late headers only every
 * 30 s). Now one address gets a share of the connections (its IPv6 /64 counts as one), late
 * headers are looked for every second, and a 408 closes the socket even if the client never reads it.
 * The attacker connects from 127.0.0.2 and the new client from 127.0.0.1 (any 127/8 address is
 * the loopback on Linux), so the cap tells them apart as it would two hosts.
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressKey, connectionsPerAddress } from '../../src/http/connection-cap.js';
import { startTestServer, type TestServer } from './server-helper.js';

const ATTACKER = '127.0.0.2';

interface Slow {
  socket: Socket;
  received: string;
  /** The server ended its side. */
  ended: boolean;
  closed: boolean;
}

/** `n` connections from `from` that send half a request (or nothing) and never another byte. */
async function slowClients(port: number, n: number, from = ATTACKER, send = 'GET /healthz HTTP/1.1\r\nHost: x\r\n') {
  const all: Slow[] = [];
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve) => {
          // allowHalfOpen: like an attacker's raw socket, it never closes its own side, even once the server has.
          const socket = connect({ port, host: '127.0.0.1', localAddress: from, allowHalfOpen: true });
          const s: Slow = { socket, received: '', ended: false, closed: false };
          all.push(s);
          s.socket.on('connect', () => {
            if (send) s.socket.write(send);
            resolve();
          });
          s.socket.on('data', (d) => (s.received += d));
          s.socket.on('end', () => {
            s.ended = true;
            resolve();
          });
          s.socket.on('close', () => {
            s.closed = true;
            resolve();
          });
          s.socket.on('error', () => {});
        }),
    ),
  );
  return all;
}

/** A new client's /healthz on a connection of its own. */
function newClient(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ port, host: '127.0.0.1', path: '/healthz', agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end();
  });
}

/** Waits until `done()` or the deadline; the deadline is generous, never what is asserted. */
async function until(done: () => boolean | Promise<boolean>, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await done()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

const port = (s: TestServer) => Number(new URL(s.url).port);
const held = (s: TestServer) => new Promise<number>((r) => s.server.getConnections((_e, n) => r(n)));

describe('slow clients', () => {
  let s: TestServer;
  let quick: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    quick = await startTestServer({ headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    await s.close();
    await quick.close();
  });

  it('1,100 sockets from one address that never finish their headers do not lock out a new client', async () => {
    // The default headersTimeout (10 s): none of them times out while the flood is being opened.
    const share = connectionsPerAddress(1_024);
    expect(share).toBe(64);
    const flood = await slowClients(port(s), 1_100);
    // The connections past the address's share are answered 503 and closed at once.
    const refused = () => flood.filter((c) => c.ended && c.received.includes('"code":"TOO_MANY_CONNECTIONS"'));
    await until(() => refused().length >= 1_100 - share, 10_000);
    expect(refused().length).toBeGreaterThanOrEqual(1_100 - share);
    expect(refused()[0]!.received).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    // Before issue 32: ECONNRESET, the 1,024 connections being held.
    expect(await newClient(port(s))).toBe(200);
    for (const c of flood) c.socket.destroy();
    await until(async () => (await held(s)) === 0, 5_000);
  });

  it('closes sockets whose headers never finish (or never start) with a 408, soon after headersTimeout', async () => {
    const partial = await slowClients(port(quick), 20);
    const silent = await slowClients(port(quick), 20, ATTACKER, '');
    const all = [...partial, ...silent];
    // Node looks for late headers every half second here (it was every 30 s).
    expect((quick.server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval).toBe(500);
    // headersTimeout is 1 s: all are answered within ~2 s. The 15 s deadline is generous for a loaded machine.
    await until(() => all.every((c) => c.ended), 15_000);
    expect(all.filter((c) => !c.ended)).toHaveLength(0);
    expect(partial[0]!.received).toMatch(/^HTTP\/1\.1 408 [\s\S]*"code":"REQUEST_TIMEOUT"/);
    // And the server lets go of them although the clients never close their side (a generous 5 s
    // deadline for what takes milliseconds).
    await until(async () => (await held(quick)) === 0, 5_000);
    expect(await held(quick)).toBe(0);
    for (const c of all) c.socket.destroy();
    expect(await newClient(port(quick))).toBe(200);
  });
});

describe('behind a trusted proxy', () => {
  it('the proxy’s connections are not capped (it caps its own clients)', async () => {
    const t = await startTestServer({ trustProxy: 'loopback', maxConnections: 256 });
    try {
      // 16 is this server's share per address; the proxy (127.0.0.2, a loopback address) holds 40.
      expect(connectionsPerAddress(256)).toBe(16);
      const conns = await slowClients(port(t), 40);
      await new Promise((r) => setTimeout(r, 300));
      expect(conns.filter((c) => c.closed)).toHaveLength(0);
      for (const c of conns) c.socket.destroy();
    } finally {
      await t.close();
    }
  });
});

describe('counting addresses', () => {
  it('an IPv6 client counts by its /64, an IPv4-mapped one as its IPv4 address', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
  });
});
