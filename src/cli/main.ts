#!/usr/bin/env node
/** hanjian — the command line. Thin: every command goes through letters.ts or registry/. */
import { HanjianError } from '../errors.js';
import { VERSION } from '../version.js';
import { EXIT, exitCodeFor, UsageError } from './exit.js';

export interface Out {
  line: (s: string) => void;
  warn: (s: string) => void;
  json: (v: unknown) => number;
  help: (s: string) => number;
  columns: number;
  isTTY: boolean;
}

const HELP = `hanjian ${VERSION} — Chinese collection letters (还款提醒函 · 逾期催告函 · 律师函) as verifiable PDF

Usage: hanjian <command> [options]

Commands:
  preview <input.json>        draft PDF (marked 预览 · 草稿), or --text to read it in the terminal
  render <input.json> -o F    the final PDF, without the registry
  validate <input.json>       check the input and the letter it makes
  batch <inputs.jsonl> --out DIR [--workers N] [--preview] [--skip-existing]
                              many letters in worker threads, with errors.jsonl and summary.json
  templates [--json]          template versions, status, effective dates
  plan <accounts.jsonl>       which letter each account should get today, and why
  issue <input.json>          issue a letter through the registry (number, record, PDF)
  verify <file.pdf>           is this PDF a letter issued by this registry?
  registry check              check stored files; re-render letters of this layout engine, report differences
  serve [--port N]            the HTTP API

Every command takes --json (machine-readable output), --debug (stack traces) and --help.
Input "-" reads standard input.

Exit codes:
  0  ok
  1  invalid input, a letter refused (compliance, missing glyph), or some batch lines failed
  2  usage error (unknown command or option)
  3  internal error (templates, fonts, storage)
  130 interrupted (Ctrl-C); a batch can resume with --skip-existing

Example:
  hanjian preview templates/lawyer-letter/1/example.json --text`;

function makeOut(json: boolean): Out {
  return {
    line: (s) => process.stdout.write(s + '\n'),
    warn: (s) => process.stderr.write(`警告 / warning: ${s}\n`),
    json: (v) => {
      process.stdout.write(JSON.stringify(v, null, 2) + '\n');
      return 0;
    },
    help: (s) => {
      process.stdout.write(s + '\n');
      return 0;
    },
    columns: process.stdout.columns || 80,
    isTTY: !!process.stdout.isTTY && !json,
  };
}

type Command = (args: string[], out: Out) => Promise<number>;

async function command(name: string): Promise<Command | undefined> {
  switch (name) {
    case 'preview': return (a, o) => import('./commands/render.js').then((m) => m.runPreviewOrRender(a, o, 'preview'));
    case 'render': return (a, o) => import('./commands/render.js').then((m) => m.runPreviewOrRender(a, o, 'render'));
    case 'validate': return (a, o) => import('./commands/validate.js').then((m) => m.runValidate(a, o));
    case 'templates': return (a, o) => import('./commands/templates.js').then((m) => m.runTemplates(a, o));
    case 'batch': return (a, o) => import('./batch/command.js').then((m) => m.runBatch(a, o));
    case 'plan': return (a, o) => import('./commands/plan.js').then((m) => m.runPlan(a, o));
    case 'serve': return (a, o) => import('./commands/serve.js').then((m) => m.runServe(a, o));
    case 'issue': return (a, o) => import('./commands/registry.js').then((m) => m.runIssue(a, o));
    case 'verify': return (a, o) => import('./commands/registry.js').then((m) => m.runVerify(a, o));
    case 'registry': return (a, o) => import('./commands/registry.js').then((m) => m.runRegistry(a, o));
    default: return undefined;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  const debug = rest.includes('--debug');
  const out = makeOut(json);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out.line(HELP);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    out.line(VERSION);
    return EXIT.ok;
  }
  try {
    const cmd = await command(name);
    if (!cmd) throw new UsageError(`unknown command "${name}" (see hanjian --help)`);
    return await cmd(rest, out);
  } catch (e) {
    return report(e, json, debug);
  }
}

function report(e: unknown, json: boolean, debug: boolean): number {
  const code = exitCodeFor(e);
  // node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options.
  const usage = e instanceof UsageError || /^ERR_PARSE_ARGS/.test(String((e as { code?: string }).code));
  const exit = usage ? EXIT.usage : code;
  if (json) {
    const body = e instanceof HanjianError
      ? { ok: false, code: e.code, message: e.message, path: e.path, issues: e.issues }
      : { ok: false, code: usage ? 'USAGE' : 'INTERNAL', message: usage ? (e as Error).message : '内部错误 / internal error' };
    process.stdout.write(JSON.stringify(body, null, 2) + '\n');
  } else if (e instanceof HanjianError) {
    process.stderr.write(`错误 / error [${e.code}]: ${e.message}\n`);
    if (e.issues.length > 1 || e.issues[0]?.message !== e.message) for (const i of e.issues) process.stderr.write(`  - [${i.code}] ${i.message}\n`);
  } else if (usage) {
    process.stderr.write(`用法错误 / usage: ${(e as Error).message}\n`);
  } else {
    process.stderr.write(`内部错误 / internal error: ${(e as Error)?.message ?? String(e)}\n`);
  }
  if (debug && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  return exit;
}

// Run only when executed, not when imported by tests.
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL((await import('node:fs')).realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`内部错误 / internal error: ${String(e)}\n`); process.exitCode = EXIT.internal; },
  );
}
