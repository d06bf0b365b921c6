/** hanjian serve: the HTTP API (npm start runs this with the embedded defaults). */
import { parseArgs } from 'node:util';
import { configFromEnv } from '../../app/config.js';
import { closeOnSignals } from '../../http/server.js';
import { startService } from '../../http/service.js';
import { HanjianError } from '../../shared/errors.js';
import { UsageError } from '../exit.js';
import type { Out } from '../io.js';
import { terminal } from '../terminal.js';

export const SERVE_HELP = `hanjian serve [--port N] [--host H] [--db FILE|URL]

Starts the HTTP API. Configuration comes from the environment, or from a JSON file named by
HANJIAN_CONFIG whose keys are either the environment names below or the camelCase names
(port, host, apiKeys, workers, maxQueue, renderTimeoutMs, ratePerMinute, sealsFile, db,
creditorLetterPrefix, publicBaseUrl, …); a wrong key is refused with the list of valid ones.
The environment wins over the file, and the options over both.
  --port N       HANJIAN_PORT (8080); 0 picks a free port
  --host H       HANJIAN_HOST (127.0.0.1 without API keys, else 0.0.0.0)
  --db FILE|URL  HANJIAN_DB (./data/hanjian.db), or a postgres:// URL
HANJIAN_DATABASE_URL (postgres://…: one registry shared by any number of instances; wins
over HANJIAN_DB), HANJIAN_DATABASE_POOL (connections per instance, default 10),
Also: HANJIAN_API_KEYS (JSON list of {id, key|keySha256, scopes}) or HANJIAN_API_KEYS_FILE,
HANJIAN_WORKERS, HANJIAN_MAX_QUEUE, HANJIAN_RENDER_TIMEOUT_MS, HANJIAN_RATE_PER_MINUTE,
HANJIAN_SEALS (seal images per sender), HANJIAN_SIGNING (PKCS#12 signing keys per sender: a
bad file, password or an expired certificate stops the start), HANJIAN_TSA_URL,
HANJIAN_TSA_TIMEOUT_MS, HANJIAN_TSA_TRUST (RFC 3161 timestamps on signed letters, and the TSA
roots to accept), HANJIAN_PUBLIC_BASE_URL (printed on issued letters for
verification), HANJIAN_CREDITOR_LETTER_PREFIX (numbers of reminders and demands; default 函字).
With no API keys it listens on 127.0.0.1 only. SIGTERM finishes in-flight requests, exits 0.
A port in use or a bad configuration exits 1 with the reason.
Example:  HANJIAN_PORT=9000 hanjian serve`;

export async function runServe(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return out.help(SERVE_HELP);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(/^\d+$/.test(values.port!) && port <= 65535))
    throw new UsageError(`--port takes a whole number from 0 to 65535 (got "${values.port}")`);
  const config = configFromEnv(terminal().env, { port, host: values.host, db: values.db });
  let running: Awaited<ReturnType<typeof startService>>;
  try {
    running = await startService(config);
  } catch (e) {
    // The render workers have started by now and would keep the process alive: leave once
    // main() has reported the error and set the exit code (setImmediate runs after that).
    setImmediate(() => process.exit());
    throw listenError(e, config.port, config.host);
  }
  closeOnSignals(running);
  await new Promise<never>(() => {}); // serve until a signal ends the process
  return 0;
}

/** Why the service could not listen, with what to do about it. */
function listenError(e: unknown, port: number, host: string | undefined): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  const fix = (zh: string, en: string) =>
    new HanjianError({ code: 'LISTEN_FAILED', category: 'invalid_input', path: 'port', zh, en });
  if (code === 'EADDRINUSE')
    return fix(
      `端口 ${port} 已被占用：请停止占用它的程序，或用 --port N（或 HANJIAN_PORT）换一个端口`,
      `port ${port} is already in use: stop whatever holds it, or choose another port with --port N (or HANJIAN_PORT)`,
    );
  if (code === 'EACCES')
    return fix(
      `没有权限监听端口 ${port}：请用 --port 选择 1024 以上的端口`,
      `no permission to listen on port ${port}: choose a port above 1023 with --port`,
    );
  if (code === 'EADDRNOTAVAIL')
    return fix(
      `本机没有地址 ${host}：请检查 --host（或 HANJIAN_HOST）`,
      `this machine has no address ${host}: check --host (or HANJIAN_HOST)`,
    );
  return e;
}
