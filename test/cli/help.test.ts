/** Issue 17: help for every command, however it is asked for. */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/command-table.js';
import { runCli } from './run.js';

describe('hanjian help', () => {
  it('every command has help with its usage line and an example', async () => {
    const names = Object.keys(COMMANDS);
    expect(names).toEqual(
      expect.arrayContaining([
        'preview',
        'render',
        'validate',
        'batch',
        'templates',
        'plan',
        'issue',
        'verify',
        'registry',
        'serve',
      ]),
    );
    for (const n of names) {
      const { help } = await COMMANDS[n]!();
      expect(help, n).toMatch(new RegExp(`^hanjian ${n}\\b`));
      expect(help, n).toContain('Example');
    }
  });

  it('hanjian help <command>, <command> --help and <command> <sub> --help print that help and exit 0', async () => {
    const runs = [
      ['help', 'registry'],
      ['registry', 'check', '--help'],
      ['help', 'registry', 'check'],
      ['plan', 'accounts.jsonl', '--help'],
      ['preview', '-h', '--no-such-flag'],
      ['help', 'batch'],
      ['serve', '--help'],
    ];
    const results = await Promise.all(runs.map((a) => runCli(a)));
    results.forEach((r, i) => {
      const args = runs[i]!;
      const name = args[0] === 'help' ? args[1]! : args[0]!;
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toContain(`hanjian ${name}`);
      expect(r.stdout, args.join(' ')).toContain('Example');
    });
  });

  it('issue --help lists --seals, --specimen-seal and --public-base-url; preview and render list --specimen-seal', async () => {
    const issue = await runCli(['help', 'issue']);
    for (const flag of ['--seals', '--specimen-seal', '--public-base-url', '--key', '--db'])
      expect(issue.stdout).toContain(flag);
    for (const cmd of ['preview', 'render'])
      expect((await runCli([cmd, '--help'])).stdout).toContain('--specimen-seal');
  });

  it('usage errors still exit 2: an unknown command or help topic, a registry subcommand that does not exist', async () => {
    for (const args of [['frobnicate'], ['help', 'frobnicate'], ['registry', 'frob'], ['registry']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
