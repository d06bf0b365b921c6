/**
 * Open connections per client address (issue 32, medium 6): 1,100 sockets from one client that
 * never finished their headers held all 1,024 connections and every new client was reset. One
 * address — an IPv6 client's whole /64, which one host can hold — gets a share of the
 * connections; past it a new connection is answered 503 at once and closed, before any byte of
 * its request is read. A trusted reverse proxy (trustProxy) is not capped: every client comes
 * through it, and it caps its own clients (docs/hostile-input.md).
 */
import type { Server } from 'node:http';
import { isIPv6, type Socket } from 'node:net';
import { problemBody } from '../server-kit/problem.js';

/** One address's share of `maxConnections`: a sixteenth, at least 16 (64 of the default 1,024). */
export function connectionsPerAddress(maxConnections: number): number {
  return Math.max(16, Math.floor(maxConnections / 16));
}

/** The key an address is counted under: IPv4 as it is (IPv4-mapped read as IPv4), IPv6 by its /64. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.replace(/%.*$/, '').toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) stands for two groups; only the first four groups matter here.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const REFUSAL = (() => {
  const body = JSON.stringify(
    problemBody(
      503,
      'TOO_MANY_CONNECTIONS',
      '来自同一地址的连接过多，请稍后重试 / too many open connections from this address; retry shortly',
    ),
  );
  return `HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json; charset=utf-8\r\nRetry-After: 1\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
})();

/** Ends a socket with `response` and closes it once written, whether or not the client ever reads or closes. */
export function endAndClose(socket: Socket, response: string): void {
  socket.end(response, () => socket.destroy());
  // Should the write never finish (the client's window closed), the socket goes all the same.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

export function capConnectionsPerAddress(
  server: Server,
  max: number,
  exempt: (address: string) => boolean,
  onRefused?: (address: string) => void,
): { open: (address: string) => number } {
  const open = new Map<string, number>();
  // Before the HTTP parser's own listener: a refused connection is answered and closed, its request never read.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (exempt(address)) return;
    const key = addressKey(address);
    const n = (open.get(key) ?? 0) + 1;
    if (n > max) {
      onRefused?.(address);
      endAndClose(socket, REFUSAL);
      return;
    }
    open.set(key, n);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
  return { open: (address) => open.get(addressKey(address)) ?? 0 };
}
