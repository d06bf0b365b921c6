/**
 * Commands print, read and take settings only through their terminal (src/cli/terminal.ts):
 * a command that wrote to process.stdout or read process.env would, when run at another
 * terminal (the tests run the CLI in-process), print into the wrong place or read the wrong
 * settings — and a test could pass on settings its command never saw.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

const CLI_DIR = join(ROOT, 'src', 'cli');
const PROCESS_IO = /process\.(stdout|stderr|stdin|env)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the CLI terminal', () => {
  it('no command touches process.stdout, stderr, stdin or env (only terminal.ts and the program entry do)', () => {
    const offenders = sources(CLI_DIR).flatMap((file) => {
      let text = readFileSync(file, 'utf8');
      if (file.endsWith('terminal.ts')) return [];
      // main.ts: what runs only when it is the program (caches, EPIPE, exit status) is the process's own.
      if (file.endsWith('main.ts')) text = text.split('async function enableCaches')[0] as string;
      return text
        .split('\n')
        .map((line, i) => ({ line, at: `${file.slice(ROOT.length + 1)}:${i + 1}` }))
        .filter(({ line }) => PROCESS_IO.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//'))
        .map(({ at, line }) => `${at}: ${line.trim()}`);
    });
    expect(offenders).toEqual([]);
  });
});
