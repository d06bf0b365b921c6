/**
 * Runs the built CLI (dist/cli/main.js) as a user would: by default in this process, at a
 * terminal of its own (src/cli/terminal.ts: its own standard input and output, environment and
 * exit code), which saves starting Node and loading pdfkit, fontkit and the stores for each of
 * ~100 commands; or, with `process: true` (and whenever a test needs a real process — a working
 * directory, a signal, a standard input left open), as a child process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';

export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string;
  keepStdinOpen?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onSpawn?: (c: ChildProcess) => void;
  /** Run as a child process even when nothing else asks for one (exit behaviour, the binary itself). */
  process?: boolean;
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<Ran> {
  // `serve` owns its process (it exits on a bad configuration and on SIGTERM): never in the test's own.
  const needsProcess =
    opts.process || args[0] === 'serve' || opts.cwd !== undefined || opts.keepStdinOpen || opts.onSpawn;
  return needsProcess ? runChild(args, opts) : runInProcess(args, opts);
}

type RunCommand = (argv: string[], at: import('../../src/cli/terminal.js').Terminal) => Promise<number>;
let runCommand: Promise<RunCommand> | undefined;

async function runInProcess(args: string[], opts: RunOptions): Promise<Ran> {
  // Loaded by Node itself, untransformed, as a user runs them (vitest.config.ts: dist/ is external).
  runCommand ??= import(pathToFileURL(CLI).href).then((m: { runCommand: RunCommand }) => m.runCommand);
  let stdout = '';
  let stderr = '';
  const stdinBytes = Buffer.from(opts.stdin ?? '', 'utf8');
  // Without the variables a child's environment would not have either: the test's own process may
  // carry settings (HANJIAN_*) that another file put there for a server it runs in-process.
  const env = { ...process.env, ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const code = await (await runCommand)(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    stdin: Readable.from([stdinBytes]),
    stdinBytes,
    env,
  });
  return { code, signal: null, stdout, stderr };
}

function runChild(args: string[], opts: RunOptions): Promise<Ran> {
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
