/**
 * The terminal a command runs at: where it prints, what it reads as standard input and the
 * environment it reads its settings from. A command run from the shell has the process's own;
 * `runCommand` gives a command another one for the duration of its run (tests run the CLI this
 * way, in their own process, instead of starting a Node process for each of ~100 commands).
 * Commands therefore never touch process.stdout, process.stdin or process.env directly.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Readable } from 'node:stream';

export interface TerminalOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Terminal {
  stdout: TerminalOutput;
  stderr: TerminalOutput;
  stdin: Readable;
  /** Standard input as bytes, when it is known whole in advance (a synchronous read of "-" takes them). */
  stdinBytes?: Buffer;
  env: NodeJS.ProcessEnv;
}

const scoped = new AsyncLocalStorage<Terminal>();

function processTerminal(): Terminal {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

export function terminal(): Terminal {
  return scoped.getStore() ?? processTerminal();
}

/** Runs `run` with `t` as its terminal: everything it starts, awaited or not, sees `t`. */
export function atTerminal<T>(t: Terminal, run: () => Promise<T>): Promise<T> {
  return scoped.run(t, run);
}
