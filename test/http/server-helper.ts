import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, parseConfig } from '../../src/app/config.js';
import type { RunningServer } from '../../src/http/server.js';
import { startService } from '../../src/http/service.js';
import { sealPng } from '../fixtures/png.js';

export const KEYS = {
  all: 'k-all-0123456789abcdef0123456789abcdef',
  previewOnly: 'k-preview-0123456789abcdef0123456789',
  reminderIssuer: 'k-reminder-0123456789abcdef012345678',
  slow: 'k-slow-0123456789abcdef0123456789abcde',
};

export interface TestServer extends RunningServer {
  logs: Record<string, unknown>[];
  dir: string;
  call: (
    method: string,
    path: string,
    opts?: {
      body?: unknown;
      raw?: string | Uint8Array;
      type?: string;
      key?: string | null;
      headers?: Record<string, string>;
    },
  ) => Promise<Response>;
}

/** The senders of the examples, each with a seal that is not the specimen (production refuses the specimen). */
export const EXAMPLE_SENDERS = ['北京某某科技有限公司', '北京某某律师事务所'];

export function writeSealsFile(dir: string, names: string[] = EXAMPLE_SENDERS): string {
  const file = join(dir, 'seals.json');
  names.forEach((_, i) => writeFileSync(join(dir, `seal-${i}.png`), sealPng(64, i * 40)));
  writeFileSync(file, JSON.stringify(Object.fromEntries(names.map((n, i) => [n, `seal-${i}.png`]))));
  return file;
}

/**
 * Production (API keys configured) needs a data key it is given. The server gets it as a file
 * where the library looks by default (hanjian.key beside the database), so a test's own
 * openRegistry({ db }) on the server's database opens its encrypted data — without setting
 * process.env, which would leak into every later test file of the same worker.
 */
export const TEST_SERVER_DATA_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

function dataKeyBeside(dir: string): string {
  const file = join(dir, 'hanjian.key');
  if (!existsSync(file)) writeFileSync(file, TEST_SERVER_DATA_KEY, { mode: 0o600 });
  return file;
}

export async function startTestServer(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  setup?: (dir: string) => void | Promise<void>,
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hanjian-http-'));
  await setup?.(dir);
  const logs: Record<string, unknown>[] = [];
  const config = parseConfig({
    host: '127.0.0.1',
    port: 0,
    db: join(dir, 'hanjian.db'),
    // One render worker: a worker costs about a second of CPU to start and warm up, and the suite
    // starts some eighty servers on two cores. Tests of concurrency and queues set their own.
    workers: 1,
    apiKeys: [
      {
        id: 'all',
        key: KEYS.all,
        scopes: [
          'preview',
          'read',
          'issue:reminder',
          'issue:demand',
          'issue:lawyer-letter',
          'deliver',
          'void',
          'request',
        ],
      },
      { id: 'preview-only', key: KEYS.previewOnly, scopes: ['preview'] },
      { id: 'reminder-issuer', key: KEYS.reminderIssuer, scopes: ['issue:reminder', 'read'] },
      { id: 'slow', key: KEYS.slow, scopes: ['preview'], ratePerMinute: 3 },
    ],
    publicBaseUrl: 'https://verify.example.test',
    dataKeyFile: dataKeyBeside(dir),
    sealsFile: existsSync(join(dir, 'seals.json')) ? join(dir, 'seals.json') : writeSealsFile(dir), // a setup may write its own
    // The tests' fetch shares the server's event loop: after a long synchronous stretch (parsing
    // a PDF under load) it may reuse a kept-alive socket whose 5 s timer fires just then, and the
    // request meets ECONNRESET. Tests of the timeouts themselves set their own.
    keepAliveTimeoutMs: 120_000,
    // Plan acceptance codes go to <dir>/sms-outbox.jsonl (test/support/sms.ts reads them).
    sms: { provider: 'file', dir },
    ...overrides,
  });
  const running = await startService(config, (e) => logs.push(e));
  await running.ready;
  const call: TestServer['call'] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? KEYS.all : opts.key;
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | Uint8Array | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
    return fetch(`${running.url}${path}`, { method, headers, body: body as BodyInit | undefined });
  };
  return { ...running, logs, dir, call };
}
