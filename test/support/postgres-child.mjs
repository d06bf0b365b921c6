/**
 * Starts postgres-process.mjs as a child and waits for its admin URL. Used by the vitest global
 * set-up and by the benchmarks; `stop()` closes the child's stdin and waits until the server is
 * down and its files are gone.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./postgres-process.mjs', import.meta.url));

/** @returns {Promise<{ url: string, stop: () => Promise<void> }>} */
export function startPostgresChild() {
  const child = spawn(process.execPath, [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('READY ') || l.startsWith('FAILED '));
      if (!line) return;
      if (line.startsWith('FAILED ')) return reject(new Error(`embedded PostgreSQL did not start: ${line.slice(7)}`));
      resolve({
        url: line.slice(6).trim(),
        stop: async () => {
          child.stdin.end();
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
    child.once('exit', (code) =>
      reject(new Error(`the PostgreSQL process exited (${code}) before it was ready: ${out}`)),
    );
  });
}
