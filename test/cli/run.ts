/** Runs the built CLI (dist/cli/main.js) as a child process, as a user would. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: {
    stdin?: string;
    keepStdinOpen?: boolean;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    onSpawn?: (c: ChildProcess) => void;
  } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else if (!opts.keepStdinOpen) child.stdin.end();
    opts.onSpawn?.(child);
  });
}
