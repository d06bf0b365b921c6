/**
 * The reverse proxy production needs (issue 32, medium 6; docs/hostile-input.md): Debian's nginx
 * runs docs/nginx-hanjian.conf as it is — only the listening ports, the certificate paths and the
 * upstream's address are changed — in front of the service, and is attacked: 1,100 sockets that
 * never finish their headers, 40 requests in flight from one address, a forged X-Forwarded-For.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';
import { requirePrograms } from '../support/system-programs.js';
import { startTestServer, type TestServer } from './server-helper.js';

const skipped = requirePrograms('nginx', 'openssl');
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
const SITE = readFileSync(join(ROOT, 'docs', 'nginx-hanjian.conf'), 'utf8');

/** Free ports for nginx, found by binding port 0 (closed again before nginx binds them). */
/** A TLS connection from a chosen local address (tls.connect takes one only through its socket). */
function tlsFrom(port: number, from: string): TLSSocket {
  return connectTls({
    socket: connectTcp({ port, host: '127.0.0.1', localAddress: from }),
    servername: 'letters.example.com',
    rejectUnauthorized: false,
  });
}

async function freePorts(n: number): Promise<number[]> {
  const { createServer } = await import('node:net');
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<import('node:net').Server>((r) => {
          const s = createServer();
          s.listen(0, '127.0.0.1', () => r(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** The documented site with only what a test machine must change; each change must find its line. */
function siteFor(httpsPort: number, httpPort: number, upstream: number, dir: string): string {
  const changes: [RegExp, string][] = [
    [/listen 443 ssl;/, `listen 127.0.0.1:${httpsPort} ssl;`],
    [/listen 80;/, `listen 127.0.0.1:${httpPort};`],
    [/server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${upstream};`],
    [/\/etc\/ssl\/hanjian\/fullchain\.pem/, join(dir, 'cert.pem')],
    [/\/etc\/ssl\/hanjian\/privkey\.pem/, join(dir, 'key.pem')],
  ];
  let out = SITE;
  for (const [line, by] of changes) {
    expect(out, String(line)).toMatch(line);
    out = out.replace(line, by);
  }
  return out;
}

function mainConf(dir: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => {
      mkdirSync(join(dir, t), { recursive: true });
      return `${t}_temp_path ${join(dir, t)};`;
    })
    .join('\n  ');
  return `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  ${temp}
  include ${join(dir, 'hanjian.conf')};
}
`;
}

interface Slow {
  socket: Socket;
  received: string;
  ended: boolean;
}

/** `n` TLS connections from 127.0.0.2 that send half of a request's headers and stop. */
async function slowClients(port: number, n: number): Promise<Slow[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Slow>((resolve) => {
          const socket = tlsFrom(port, '127.0.0.2');
          const s: Slow = { socket, received: '', ended: false };
          socket.on('secureConnect', () => {
            socket.write('GET /healthz HTTP/1.1\r\nHost: letters.example.com\r\n');
            resolve(s);
          });
          socket.on('data', (d) => (s.received += d));
          socket.on('close', () => (s.ended = true));
          socket.on('error', () => resolve(s));
        }),
    ),
  );
}

/** One request through nginx on a TLS connection of its own, from `from`. */
function call(
  port: number,
  path: string,
  from = '127.0.0.1',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: { host: 'letters.example.com', accept: 'application/json', ...headers },
        localAddress: from,
        agent: false,
        rejectUnauthorized: false,
        timeout: 15_000,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function until(done: () => boolean, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
}

describe.skipIf(skipped)('nginx in front of the service (docs/nginx-hanjian.conf)', () => {
  let s: TestServer;
  let nginx: ChildProcess;
  let dir: string;
  let https = 0;
  let http = 0;

  beforeAll(async () => {
    s = await startTestServer({ trustProxy: 'loopback', publicRatePerMinute: 2 });
    dir = mkdtempSync(join(tmpdir(), 'hanjian-nginx-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=letters.example.com',
      ],
      { stdio: 'ignore' },
    );
    [https, http] = (await freePorts(2)) as [number, number];
    writeFileSync(join(dir, 'hanjian.conf'), siteFor(https, http, Number(new URL(s.url).port), dir));
    writeFileSync(join(dir, 'nginx.conf'), mainConf(dir));
    // -t: nginx itself checks the file (directives, values, certificates) before it is run.
    execFileSync(NGINX, ['-t', '-q', '-e', join(dir, 'error.log'), '-p', dir, '-c', join(dir, 'nginx.conf')]);
    nginx = spawn(
      NGINX,
      ['-e', join(dir, 'error.log'), '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i++) {
      if (
        await call(https, '/healthz').then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await s?.close();
  });

  it('passes requests to the service, and redirects plain http to https', async () => {
    expect((await call(https, '/healthz')).status).toBe(200);
    const plain = await new Promise<string>((resolve) => {
      const c = connectTcp(http, '127.0.0.1', () =>
        c.write('GET /v1/templates HTTP/1.1\r\nHost: letters.example.com\r\nConnection: close\r\n\r\n'),
      );
      let got = '';
      c.on('data', (d) => (got += d));
      c.on('close', () => resolve(got));
    });
    expect(plain).toMatch(/^HTTP\/1\.1 301[\s\S]*Location: https:\/\/letters\.example\.com\/v1\/templates/);
  });

  it('counts limits by the client’s own address, whatever X-Forwarded-For the client sends', async () => {
    // /v1/verify allows 2 a minute per client here. Three from 127.0.0.2, each claiming another address:
    // nginx sets X-Forwarded-For to the address it sees, so the third is refused all the same.
    const verify = (from: string, claim: string) =>
      call(https, '/v1/verify?number=x&code=y', from, { 'x-forwarded-for': claim }).then((r) => r.status);
    expect([
      await verify('127.0.0.2', '203.0.113.1'),
      await verify('127.0.0.2', '203.0.113.2'),
      await verify('127.0.0.2', '203.0.113.3'),
    ]).toEqual([200, 200, 429]);
    // Another client is counted apart.
    expect(await verify('127.0.0.3', '127.0.0.2')).toBe(200);
  });

  it('holds 1,100 slow clients itself: a new client is answered meanwhile, and nginx drops them after 10 s', async () => {
    const flood = await slowClients(https, 1_100);
    expect((await call(https, '/healthz', '127.0.0.4')).status).toBe(200);
    // The service never saw them: only nginx's few upstream connections reach it.
    const atService = await new Promise<number>((r) => s.server.getConnections((_e, n) => r(n)));
    expect(atService).toBeLessThan(40);
    // client_header_timeout 10s: nginx closes them; 25 s is a generous deadline on a loaded machine.
    await until(() => flood.every((c) => c.ended), 25_000);
    expect(flood.filter((c) => !c.ended)).toHaveLength(0);
    for (const c of flood) c.socket.destroy();
  }, 60_000);

  it('refuses more than 32 requests in flight from one address with 503', async () => {
    // 40 requests whose bodies never come: each is a request in flight once its headers are read.
    const held = await Promise.all(
      Array.from(
        { length: 40 },
        () =>
          new Promise<{ socket: TLSSocket; received: string }>((resolve) => {
            const socket = tlsFrom(https, '127.0.0.5');
            const h = { socket, received: '' };
            socket.on('secureConnect', () => {
              socket.write(
                'POST /v1/validate HTTP/1.1\r\nHost: letters.example.com\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
              );
              resolve(h);
            });
            socket.on('data', (d) => (h.received += d));
            socket.on('error', () => resolve(h));
          }),
      ),
    );
    await until(() => held.filter((h) => h.received.startsWith('HTTP/1.1 503')).length >= 8, 10_000);
    expect(held.filter((h) => h.received.startsWith('HTTP/1.1 503')).length).toBeGreaterThanOrEqual(8);
    for (const h of held) h.socket.destroy();
  }, 30_000);
});
