#!/usr/bin/env node
/** hanjian — the command line. Thin: every command goes through letters.ts or registry/. */
import { realpathSync } from 'node:fs';
import module from 'node:module';
import { pathToFileURL } from 'node:url';
import { HanjianError } from '../shared/errors.js';
import { VERSION } from '../shared/version.js';
import { asksForHelp, COMMANDS, isCommand } from './command-table.js';
import { EXIT, exitCodeFor, UsageError } from './exit.js';
import type { Out } from './io.js';
import { atTerminal, type Terminal, terminal } from './terminal.js';

const HELP = `hanjian ${VERSION} — Chinese collection letters (还款提醒函 · 逾期催告函 · 律师函) as verifiable PDF

Usage: hanjian <command> [options]

Commands:
  preview <input.json>        draft PDF (marked 预览 · 草稿), or --text to read it in the terminal
  render <input.json> -o F    the final PDF, without the registry
  validate <input.json>       check the input and the letter it makes
  batch <inputs.jsonl> --out DIR [--workers N] [--preview] [--skip-existing]
                              many letters in worker threads, with errors.jsonl and summary.json
  templates [check|release|retire|diff]  template versions; a firm's own catalogue: lint, release, diff
  plan <accounts.jsonl>       which letter each account should get today, and why
  calendar add|show           the statutory holidays and the State Council notices deadlines count with
  issue <input.json>          issue a letter through the registry (number, record, PDF)
  verify <file.pdf>           is this PDF a letter issued by this registry?
  registry check|audit|purge  check stored files, re-render this engine's letters; audit chain; purge
  evidence <number>... -o F   the evidence package for a court: 证据目录, exhibits as PDF, SHA256SUMS
  void <number>               withdraw an issued letter (作废)
  deliver <number> dispatched|delivered|refused|returned   record dispatch (tracking number) and delivery
  payments add|list <number>  record or list payments against a letter (还款)
  letters list                the organisation's letters with their state and counts per state
  orgs | users | keys | engagements   organisations, lawyers, API keys, engagements (委托)
  requests list|approve|reject        the lawyer's review of requested lawyer's letters
  plan-settings set|show|clear        the repayment plan options letters offer (分期还款方案)
  data-key rotate             a new data key, every encrypted value re-encrypted in one transaction
  serve [--port N]            the HTTP API

Every command takes --json (machine-readable output), --debug (stack traces) and --help;
"hanjian help <command>" shows the same help. Input "-" reads standard input.

Exit codes:
  0  ok
  1  invalid input, a letter refused (compliance, missing glyph), or some batch lines failed
  2  usage error (unknown command or option)
  3  internal error (templates, fonts, storage)
  4  the time-stamping authority failed (TSA_UNAVAILABLE, TSA_REPLY_INVALID): nothing issued, retry later
  130 interrupted (Ctrl-C); a batch can resume with --skip-existing

Example:
  hanjian preview templates/lawyer-letter/1/example.json --text`;

function makeOut(json: boolean): Out {
  // JSON lines are gathered into blocks of about 64 KiB: a write per record is a system call
  // each, measured at about a quarter of the CPU time of a 200,000-line plan.
  let records: string[] = [];
  let size = 0;
  const flush = () => {
    if (records.length) terminal().stdout.write(records.join(''));
    records = [];
    size = 0;
  };
  return {
    line: (s) => {
      flush();
      terminal().stdout.write(`${s}\n`);
    },
    warn: (s) => {
      flush();
      terminal().stderr.write(`警告 / warning: ${s}\n`);
    },
    json: (v) => {
      flush();
      terminal().stdout.write(`${JSON.stringify(v, null, 2)}\n`);
      return 0;
    },
    record: (v) => {
      const s = `${JSON.stringify(v)}\n`;
      records.push(s);
      size += s.length;
      if (size >= 65536) flush();
    },
    flush,
    help: (s) => {
      flush();
      terminal().stdout.write(`${s}\n`);
      return 0;
    },
    columns: terminal().stdout.columns || Number(terminal().env.COLUMNS) || 80,
    isTTY: !!terminal().stdout.isTTY && !json,
  };
}

/** Runs a command at another terminal than the process's own (tests; a program embedding the CLI). */
export function runCommand(argv: string[], at: Terminal): Promise<number> {
  return atTerminal(at, () => main(argv));
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  const debug = rest.includes('--debug');
  const out = makeOut(json);
  try {
    if (!name || name === '--help' || name === '-h') {
      out.line(HELP);
      return name ? EXIT.ok : EXIT.usage;
    }
    if (name === 'help') {
      const topic = rest.find((a) => !a.startsWith('-'));
      if (!topic) return out.help(HELP);
      if (!isCommand(topic)) throw new UsageError(`no command "${topic}" (see hanjian --help)`);
      return out.help((await COMMANDS[topic]!()).help);
    }
    if (name === '--version' || name === '-v') {
      out.line(VERSION);
      return EXIT.ok;
    }
    if (!isCommand(name)) throw new UsageError(`unknown command "${name}" (see hanjian --help)`);
    const cmd = await COMMANDS[name]!();
    if (asksForHelp(rest)) return out.help(cmd.help);
    return await cmd.run(rest, out);
  } catch (e) {
    out.flush();
    return report(e, json, debug);
  } finally {
    out.flush();
  }
}

function report(e: unknown, json: boolean, debug: boolean): number {
  const code = exitCodeFor(e);
  // node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options.
  const usage = e instanceof UsageError || /^ERR_PARSE_ARGS/.test(String((e as { code?: string }).code));
  const exit = usage ? EXIT.usage : code;
  if (json) {
    const body =
      e instanceof HanjianError
        ? { ok: false, code: e.code, message: e.message, path: e.path, issues: e.issues }
        : {
            ok: false,
            code: usage ? 'USAGE' : 'INTERNAL',
            message: usage ? (e as Error).message : '内部错误 / internal error',
          };
    terminal().stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else if (e instanceof HanjianError) {
    terminal().stderr.write(`错误 / error [${e.code}]: ${e.message}\n`);
    if (e.issues.length > 1 || e.issues[0]?.message !== e.message)
      for (const i of e.issues) terminal().stderr.write(`  - [${i.code}] ${i.message}\n`);
  } else if (usage) {
    terminal().stderr.write(`用法错误 / usage: ${(e as Error).message}\n`);
  } else {
    terminal().stderr.write(`内部错误 / internal error: ${(e as Error)?.message ?? String(e)}\n`);
  }
  if (debug && e instanceof Error) terminal().stderr.write(`${e.stack}\n`);
  return exit;
}

/**
 * V8's compiled code for the modules a command loads, kept on disk by Node (Node ≥ 22.1; on
 * Node 20 the call does not exist and modules are compiled as before): parsing and compiling
 * pdfkit, fontkit and zod was a large part of a cold preview (issue 31). Node checks every
 * entry against the source's hash, so a stale entry is never used. Commands load their
 * modules with import() after this, so they all benefit. HANJIAN_CACHE_DIR moves the disk
 * caches (compile cache, templates, seals) elsewhere; "off" turns them off.
 */
async function enableCaches(): Promise<void> {
  const dir = process.env.HANJIAN_CACHE_DIR;
  const { setDiskCacheDir, diskCacheDir } = await import('../pipeline/templates/disk-cache.js');
  if (dir) setDiskCacheDir(dir === 'off' ? null : dir);
  const root = diskCacheDir();
  const enable = (module as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (root && enable) {
    try {
      enable(`${root}/v8`);
    } catch {
      // No compile cache: modules are compiled as before.
    }
  }
}

// Run only when executed, not when imported by tests. No top-level await: the command line is
// also bundled as one script (scripts/bundle-cli.mjs), which a module's await cannot be part of.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  // `hanjian plan … --json | head` closes the pipe early: that is the reader's choice, not an error.
  // The service is different: a dead log collector must not stop it answering (http/server.ts).
  const serving = process.argv[2] === 'serve';
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (serving) return;
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    else throw e;
  });
  enableCaches()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (e) => {
        process.stderr.write(`内部错误 / internal error: ${String(e)}\n`);
        process.exitCode = EXIT.internal;
      },
    );
}
