/** `hanjian serve` as a separate process on a PostgreSQL registry, for the multi-instance tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { CLI } from '../cli/run.js';
import { TEST_DATA_KEY } from '../store/postgres/fresh.js';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface Instance {
  port: number;
  url: string;
  child: ChildProcess;
  dead: boolean;
  stderr: () => string;
}

/** Starts an instance on `databaseUrl` (no API keys: every scope, the default organisation) and resolves once /readyz answers 200. */
export async function startInstance(databaseUrl: string, env: Record<string, string> = {}): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], {
    env: {
      ...process.env,
      HANJIAN_DATABASE_URL: databaseUrl,
      HANJIAN_DATA_KEY: TEST_DATA_KEY,
      HANJIAN_WORKERS: '1',
      HANJIAN_RATE_PER_MINUTE: '1000000',
      HANJIAN_MAX_ISSUE_QUEUE: '64',
      HANJIAN_DATABASE_POOL: '4',
      HANJIAN_PUBLIC_BASE_URL: 'https://v.test',
      HANJIAN_TODAY: undefined,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const inst: Instance = { port, url: `http://127.0.0.1:${port}`, child, dead: false, stderr: () => stderr };
  child.on('exit', () => {
    inst.dead = true;
  });
  for (let i = 0; ; i++) {
    if (inst.dead) throw new Error(`instance on ${port} exited: ${stderr}`);
    const ok = await fetch(`${inst.url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return inst;
    if (i > 600) throw new Error(`instance on ${port} not ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50)); // polling a starting process: there is nothing to await
  }
}
