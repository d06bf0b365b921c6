/**
 * Starting and stopping the service: bind (127.0.0.1 only when no API key is configured),
 * warm every worker up, and on SIGTERM stop accepting, finish in-flight requests, exit 0.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Config } from '../app/config.js';
import { problemBody, QUEUE_FULL_DETAIL } from '../server-kit/problem.js';
import { jsonLogger, type Logger } from '../shared/log.js';
import { type AppDeps, createApp, makeRecorder } from './app.js';
import { capConnectionsPerAddress, connectionsPerAddress, endAndClose } from './connection-cap.js';
import { Metrics } from './metrics.js';
import { renderPoolFor } from './pool.js';

export interface RunningServer {
  server: Server;
  port: number;
  host: string;
  url: string;
  ready: Promise<void>;
  close: () => Promise<void>;
}

export { jsonLogger, type Logger } from '../shared/log.js';

/** A route that is refused before express when its capacity is used up (see startServer). */
export interface ShedRule {
  method: string;
  /** The path as express matches it: any case, an optional trailing slash, any query. */
  path: string;
  saturated: () => boolean;
  detail: string;
}

function routeOf(url: string | undefined): string {
  return (url ?? '').split('?')[0]!.replace(/\/$/, '').toLowerCase();
}

/** Malformed requests that never reach express (oversized headers, bad framing) still get problem+json. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, code, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', '请求头过大 / the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', '请求未在时限内收到 / the request was not received in time']
        : [400, 'BAD_REQUEST', '无法解析的 HTTP 请求 / malformed HTTP request'];
  const body = JSON.stringify(problemBody(status as number, code as string, detail as string));
  // Closed once written, or after a second should a client that never reads keep it from being written (issue 32).
  endAndClose(
    socket as Socket,
    `HTTP/1.1 ${status} ${STATUS_CODES[status as number]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Refused connections are logged at most once every 10 s, with how many there were: a flood must not flood the log. */
function refusalLog(log: Logger): (address: string) => void {
  let count = 0;
  let last = 0;
  return (address) => {
    count++;
    const now = Date.now();
    if (now - last < 10_000) return;
    log({ msg: 'connections refused: too many from one address', address, refused: count });
    last = now;
    count = 0;
  };
}

export async function startServer(
  config: Config,
  options: {
    log?: Logger;
    metrics?: Metrics;
    mountRegistry?: AppDeps['mountRegistry'];
    storedKeys?: AppDeps['storedKeys'];
    orgOf?: AppDeps['orgOf'];
    registryReady?: AppDeps['registryReady'];
    recommend?: AppDeps['recommend'];
    shed?: ShedRule[];
    onClose?: () => Promise<void> | void;
    templates?: AppDeps['templates'];
  } = {},
): Promise<RunningServer> {
  const log = options.log ?? jsonLogger;
  const host = config.host ?? (config.apiKeys.length === 0 ? '127.0.0.1' : '0.0.0.0');
  if (config.apiKeys.length === 0 && host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    throw new Error('refusing to listen beyond localhost without API keys (set HANJIAN_API_KEYS)');
  }
  const pool = renderPoolFor(
    config,
    config.workers,
    config.maxQueue,
    config.renderTimeoutMs,
    options.templates?.specs(),
  );
  const metrics = options.metrics ?? new Metrics();
  metrics.queueDepth = () => pool.queued;
  metrics.inFlight = () => pool.running;

  // /readyz answers 200 only once every worker has parsed the fonts and rendered a letter.
  let ready = false;
  const warm = pool.ready.then(() => {
    ready = true;
  });

  const app = createApp({
    config,
    pool,
    metrics,
    log,
    isReady: () => ready,
    mountRegistry: options.mountRegistry,
    storedKeys: options.storedKeys,
    orgOf: options.orgOf,
    recommend: options.recommend,
    templates: options.templates,
    registryReady: options.registryReady,
  });
  const record = makeRecorder(config, metrics, log);
  // Load shedding in front of express: when the render pool (or the issuing queue) is full, a
  // request is refused with a complete problem+json 503 before routing, body parsing or auth.
  // Under a flood this path is most of the traffic, and its cost is what the event loop (and /healthz) pays.
  const shed: ShedRule[] = [
    { method: 'POST', path: '/v1/previews', saturated: () => pool.saturated, detail: QUEUE_FULL_DETAIL },
    ...(options.shed ?? []),
  ];
  const onRequest: RequestListener = (req, res) => {
    const rule =
      shed.length && req.method === 'POST'
        ? shed.find((r) => r.method === req.method && r.path === routeOf(req.url) && r.saturated())
        : undefined;
    if (rule) {
      const start = process.hrtime.bigint();
      const requestId = randomUUID();
      const body = JSON.stringify(problemBody(503, 'QUEUE_FULL', rule.detail, { requestId }));
      res.writeHead(503, {
        'content-type': 'application/problem+json; charset=utf-8',
        'retry-after': '1',
        'x-request-id': requestId,
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      record({
        requestId,
        route: `POST ${rule.path}`,
        status: 503,
        seconds: Number(process.hrtime.bigint() - start) / 1e9,
        key: null,
        shed: true,
      });
      return;
    }
    app(req, res);
  };
  const server = createServer(
    {
      // Node looks for requests past headersTimeout or requestTimeout only this often — every 30 s by
      // default, so 1,100 sockets that never finished their headers held every connection for 44 s
      // (issue 32). Each check walks the open connections: once a second is cheap.
      connectionsCheckingInterval: Math.min(1_000, Math.floor(config.headersTimeoutMs / 2)),
    },
    onRequest,
  );
  // Deliberate limits (README, "Limits"; docs/hostile-input.md): slow or idle clients cannot hold connections open.
  server.headersTimeout = config.headersTimeoutMs;
  server.requestTimeout = config.requestTimeoutMs;
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  server.maxConnections = config.maxConnections;
  server.on('clientError', answerClientError);
  // One address gets a share of the connections, so a flood from one client cannot take them all.
  // Read from the settings, not through app.get(name), which the route inventory (openapi test) counts as a route.
  const trusted = app.settings['trust proxy fn'] as (address: string, hop: number) => boolean;
  capConnectionsPerAddress(
    server,
    connectionsPerAddress(config.maxConnections),
    (address) => trusted(address, 0),
    refusalLog(log),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (config.apiKeys.length === 0)
    log({
      msg: 'no API keys in HANJIAN_API_KEYS: listening on 127.0.0.1 only (set HANJIAN_API_KEYS to open the service); until the registry holds keys (hanjian keys add) every call is allowed, after that each needs one',
    });
  log({ msg: 'listening', url: `http://${host}:${port}`, workers: config.workers, maxQueue: config.maxQueue });

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      // In-flight requests finish; keep-alive connections are closed as soon as they fall idle
      // (not after their keep-alive timeout), and whatever is still open after the request time
      // limit is cut, so a stuck client cannot hold a shutdown forever.
      const idle = setInterval(() => server.closeIdleConnections(), 250);
      const force = setTimeout(() => server.closeAllConnections(), config.requestTimeoutMs);
      server.close(() => {
        clearInterval(idle);
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    }).then(async () => {
      await pool.close();
      await options.onClose?.();
    }));
  return { server, port, host, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, ready: warm, close };
}

/** SIGTERM/SIGINT: stop accepting, finish what is in flight, exit 0. */
export function closeOnSignals(running: RunningServer, log: Logger = jsonLogger): void {
  const stop = (signal: string) => {
    log({ msg: 'shutting down', signal });
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
