/**
 * Starting and stopping the service: bind (127.0.0.1 only when no API key is configured),
 * warm every worker up, and on SIGTERM stop accepting, finish in-flight requests, exit 0.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, makeRecorder, type AppDeps } from './app.js';
import { problemBody, QUEUE_FULL_DETAIL } from './problem.js';
import type { ServerConfig } from './config.js';
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

export type Logger = (entry: Record<string, unknown>) => void;

/**
 * One JSON line per entry on stdout. Writes to a pipe are synchronous on Linux, so lines are
 * coalesced per event-loop turn: under a flood of requests that is one write, not thousands.
 */
let pending: string[] = [];
let scheduled = false;
function flushLogs(): void {
  scheduled = false;
  if (!pending.length) return;
  const chunk = pending.join('');
  pending = [];
  process.stdout.write(chunk);
}
process.on('exit', flushLogs);
export const jsonLogger: Logger = (entry) => {
  pending.push(JSON.stringify({ time: new Date().toISOString(), level: 'info', ...entry }) + '\n');
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushLogs);
  }
};

/** The preview route as express matches it: any case, an optional trailing slash, any query. */
function isPreviewPath(url: string | undefined): boolean {
  return (url ?? '').split('?')[0]!.replace(/\/$/, '').toLowerCase() === '/v1/previews';
}

export async function startServer(config: ServerConfig, options: { log?: Logger; metrics?: Metrics; mountRegistry?: AppDeps['mountRegistry']; onClose?: () => Promise<void> | void } = {}): Promise<RunningServer> {
  const log = options.log ?? jsonLogger;
  const host = config.host ?? (config.apiKeys.length === 0 ? '127.0.0.1' : '0.0.0.0');
  if (config.apiKeys.length === 0 && host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    throw new Error('refusing to listen beyond localhost without API keys (set HANJIAN_API_KEYS)');
  }
  const pool = renderPoolFor(config, config.workers, config.maxQueue, config.renderTimeoutMs);
  const metrics = options.metrics ?? new Metrics();
  metrics.queueDepth = () => pool.queued;
  metrics.inFlight = () => pool.running;

  // /readyz answers 200 only once every worker has parsed the fonts and rendered a letter.
  let ready = false;
  const warm = pool.ready.then(() => { ready = true; });

  const app = createApp({ config, pool, metrics, log, isReady: () => ready, mountRegistry: options.mountRegistry });
  const record = makeRecorder(config, metrics, log);
  // Load shedding in front of express: when the render pool is full, a preview is refused
  // with a complete problem+json 503 before routing, body parsing or auth. Under a flood this
  // path is most of the traffic, and its cost is what the event loop (and /healthz) pays.
  const server = createServer((req, res) => {
    if (pool.saturated && req.method === 'POST' && isPreviewPath(req.url)) {
      const start = process.hrtime.bigint();
      const requestId = randomUUID();
      const body = JSON.stringify(problemBody(503, 'QUEUE_FULL', QUEUE_FULL_DETAIL, { requestId }));
      res.writeHead(503, { 'content-type': 'application/problem+json; charset=utf-8', 'retry-after': '1', 'x-request-id': requestId, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      record({ requestId, route: 'POST /v1/previews', status: 503, seconds: Number(process.hrtime.bigint() - start) / 1e9, key: null, shed: true });
      return;
    }
    app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => resolve());
  });
  server.keepAliveTimeout = 5000;
  const port = (server.address() as AddressInfo).port;
  if (config.apiKeys.length === 0) log({ msg: 'no API keys configured: listening on 127.0.0.1 only, every scope allowed (set HANJIAN_API_KEYS to open the service)' });
  log({ msg: 'listening', url: `http://${host}:${port}`, workers: config.workers, maxQueue: config.maxQueue });

  let closing: Promise<void> | null = null;
  const close = () => (closing ??= new Promise<void>((resolve) => {
    server.close(() => resolve());
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
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
