/** hanjian serve: the HTTP API (npm start runs this with the embedded defaults). */
import { parseArgs } from 'node:util';
import { configFromEnv } from '../../http/config.js';
import { startService } from '../../http/service.js';
import { closeOnSignals } from '../../http/server.js';
import type { Out } from '../io.js';

export const SERVE_HELP = `hanjian serve [--port N] [--host H] [--db FILE]

Starts the HTTP API. Configuration comes from the environment (or a JSON file in
HANJIAN_CONFIG): HANJIAN_PORT (8080), HANJIAN_HOST, HANJIAN_API_KEYS (JSON list of
{id, key|keySha256, scopes}) or HANJIAN_API_KEYS_FILE, HANJIAN_WORKERS, HANJIAN_MAX_QUEUE,
HANJIAN_RENDER_TIMEOUT_MS, HANJIAN_SEALS (seal images per sender), HANJIAN_DB
(./data/hanjian.db), HANJIAN_PUBLIC_BASE_URL (printed on issued letters for verification),
HANJIAN_CREDITOR_LETTER_PREFIX (numbers of reminders and demands; default 函字).
With no API keys it listens on 127.0.0.1 only. SIGTERM finishes in-flight requests, exits 0.
Example:  HANJIAN_PORT=9000 hanjian serve`;

export async function runServe(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return out.help(SERVE_HELP);
  const config = configFromEnv(process.env, { port: values.port !== undefined ? Number(values.port) : undefined, host: values.host, db: values.db });
  const running = await startService(config);
  closeOnSignals(running);
  await new Promise<never>(() => {}); // serve until a signal ends the process
  return 0;
}
