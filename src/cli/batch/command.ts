/**
 * hanjian batch: one letter per JSON line, rendered in worker threads. A bad line never stops
 * the batch; every file appears whole or not at all; Ctrl-C stops cleanly and
 * --skip-existing resumes where it stopped.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HanjianError } from '../../shared/errors.js';
import { EXIT, UsageError } from '../exit.js';
import { type Out, unwritable, writeAtomic } from '../io.js';
import { openLines, readLines } from '../lines.js';
import { checkFinalDate, RENDER_FLAGS, renderOptionsFrom } from '../options.js';
import { terminal } from '../terminal.js';
import { failure, type JobResult, type LineIssue } from './job.js';
import { BatchPool } from './pool.js';
import { Progress } from './progress.js';

export const BATCH_HELP = `hanjian batch <inputs.jsonl|-> --out DIR [--workers N] [--preview] [--skip-existing] [--json]
hanjian batch <inputs.jsonl|-> --issue --org ORG [--engagement ID] --out DIR [--db FILE] [--public-base-url URL] [--json]

One letter per line. Writes DIR/<line>-<contractNo>.pdf for each good line, DIR/errors.jsonl
(line number and issues) for bad lines, and DIR/summary.json (counts, time, letters/s).
  --workers N       worker threads (default: one per core)
  --preview         draft PDFs (预览 · 草稿) instead of final letters
  --skip-existing   skip lines whose PDF already exists (resume after Ctrl-C)
  --seals FILE, --today DATE, --charges-over-cap error|warn   as for render
  --issue           issue through the registry as ORG: reminders and demands are numbered, sealed
                    and written to DIR; lawyer's letters become requests for review under
                    --engagement (DIR/requests.jsonl). Re-running the same file issues nothing twice.
Errors (DIR/errors.jsonl) name the line and the contract number.
Exit 0 when every line succeeded, 1 when some failed, 130 when interrupted.
Example:  hanjian batch accounts.jsonl --out letters/ --workers 2
          hanjian batch demands.jsonl --issue --org 北京某某科技有限公司 --out issued/`;

export function outputName(lineNo: number, input: unknown): string {
  const contract = (input as { account?: { contractNo?: unknown } })?.account?.contractNo;
  const safe = typeof contract === 'string' ? contract.replace(/[^A-Za-z0-9\-_]/g, '_').slice(0, 60) : 'letter';
  return `${String(lineNo).padStart(6, '0')}-${safe || 'letter'}.pdf`;
}

export async function runBatch(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...RENDER_FLAGS,
      out: { type: 'string' },
      workers: { type: 'string' },
      preview: { type: 'boolean' },
      'skip-existing': { type: 'boolean' },
      issue: { type: 'boolean' },
      org: { type: 'string' },
      engagement: { type: 'string' },
      db: { type: 'string' },
      'public-base-url': { type: 'string' },
      signing: { type: 'string' },
    },
  });
  if (values.help) return out.help(BATCH_HELP);
  if (positionals.length !== 1) throw new UsageError('batch takes one JSON-lines file (or - for stdin)');
  if (!values.out) throw new UsageError('batch needs --out <dir>');
  const workers = values.workers ? Number(values.workers) : availableParallelism();
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new UsageError('--workers takes a whole number from 1 to 64');
  const source = positionals[0]!;
  const dir = values.out;
  const flags = {
    today: values.today,
    seals: values.seals,
    'specimen-seal': values['specimen-seal'],
    'charges-over-cap': values['charges-over-cap'],
  };
  renderOptionsFrom(flags, !!values.preview); // bad flags or an unreadable seals file fail here, once, not on every line
  // Final letters are dated today, as the service's are: --today names another day only for previews.
  if (!values.issue) checkFinalDate({ today: values.today }, !!values.preview);
  if (values.issue) {
    if (values.preview) throw new UsageError('--issue and --preview exclude each other');
    if (!values.org) throw new UsageError('--issue needs --org (the creditor whose letters these are)');
    if (source !== '-') await scanFile(source);
    makeDir(dir);
    // Loaded only here: issuing pulls in the registry and its stores (~20 MB of the main thread's RSS), rendering does not.
    const { runIssueBatch } = await import('./issue.js');
    return runIssueBatch(
      {
        source,
        dir,
        org: values.org,
        engagement: values.engagement,
        db: values.db,
        publicBaseUrl: values['public-base-url'],
        today: values.today,
        json: values.json,
        flags: { ...flags, signing: values.signing },
      },
      out,
      outputName,
    );
  }
  // Everything about the input is checked before DIR is created: a failed start leaves nothing behind.
  const total = source === '-' ? null : await scanFile(source);
  makeDir(dir);

  const progress = new Progress(total, !!terminal().stderr.isTTY && !values.json);
  const pool = new BatchPool(workers);
  const errors: { line: number; contractNo: string | null; issues: LineIssue[] }[] = [];
  const contracts = new Map<number, string>();
  const inflight = new Set<Promise<void>>();
  let ok = 0,
    failed = 0,
    skipped = 0,
    seen = 0;
  const fail = (line: number, issues: LineIssue[]) => {
    failed++;
    errors.push({ line, contractNo: contracts.get(line) ?? null, issues });
    progress.update(ok + failed + skipped, failed);
  };
  // Memory and speed after warm-up (letter 100 on), for summary.json: the figures a long batch is judged by.
  let warm: { at: number; rss: number } | null = null;
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) cleanup(dir, true); // second Ctrl-C: leave now
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  const started = performance.now();

  try {
    for await (const line of readLines(openLines(source), source, { signal: stop.signal })) {
      if (stop.signal.aborted) break;
      seen++;
      if ('error' in line) {
        fail(line.lineNo, failure(line.lineNo, line.error).issues);
        continue;
      }
      const thisLine = line.lineNo;
      try {
        let input: unknown;
        try {
          input = JSON.parse(line.text);
        } catch (e) {
          fail(thisLine, [
            { path: '', code: 'JSON_MALFORMED', message: `JSON 格式错误 / malformed JSON: ${(e as Error).message}` },
          ]);
          continue;
        }
        const contractNo = (input as { account?: { contractNo?: unknown } } | null)?.account?.contractNo;
        if (typeof contractNo === 'string') contracts.set(thisLine, contractNo.slice(0, 60));
        const target = join(dir, outputName(thisLine, input));
        if (values['skip-existing'] && existsSync(target)) {
          skipped++;
          continue;
        }
        const { result } = await pool.submit({
          id: thisLine,
          text: line.text,
          target,
          preview: !!values.preview,
          flags,
        });
        const p = result.then((r: JobResult) => {
          if (r.ok) ok++;
          else fail(thisLine, r.issues);
          progress.update(ok + failed + skipped, failed);
          if (!warm && ok >= 100) warm = { at: performance.now(), rss: process.memoryUsage().rss };
        });
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
      } catch (e) {
        fail(thisLine, failure(thisLine, e).issues); // whatever this line does, it fails alone
      }
    }
    await Promise.all(inflight); // finish what the workers have started, even when interrupted
  } finally {
    process.off('SIGINT', onSigint);
    await pool.close();
    cleanup(dir, false);
    progress.finish();
  }
  const interrupted = stop.signal.aborted;

  const seconds = (performance.now() - started) / 1000;
  errors.sort((a, b) => a.line - b.line);
  writeAtomic(join(dir, 'errors.jsonl'), errors.map((e) => JSON.stringify(e)).join('\n') + (errors.length ? '\n' : ''));
  const mb = (b: number) => Number((b / 1048576).toFixed(1));
  const w = warm as { at: number; rss: number } | null;
  const afterWarmup =
    w && ok > 100
      ? {
          lettersPerSecond: Number(((ok - 100) / ((performance.now() - w.at) / 1000)).toFixed(2)),
          rssAtLetter100Mb: mb(w.rss),
          rssAtEndMb: mb(process.memoryUsage().rss),
        }
      : null;
  const summary = {
    lines: seen,
    ok,
    failed,
    skipped,
    interrupted,
    seconds: Number(seconds.toFixed(3)),
    lettersPerSecond: Number((ok / seconds).toFixed(2)),
    workers,
    preview: !!values.preview,
    afterWarmup,
  };
  writeAtomic(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (values.json) out.json(summary);
  else
    out.line(
      `${ok} ok, ${failed} failed, ${skipped} skipped in ${seconds.toFixed(1)} s (${summary.lettersPerSecond} letters/s)${interrupted ? ' — interrupted; resume with --skip-existing' : ''}${failed ? ` — errors with line and contract number: ${join(dir, 'errors.jsonl')}` : ''}`,
    );
  if (interrupted) return EXIT.interrupted;
  return failed ? EXIT.invalid : EXIT.ok;
}

/**
 * Reads the file once before the batch starts: the line count for the progress bar, and the
 * file's encoding. A file in another encoding (a GBK export: bad lines, and no line that is
 * UTF-8 beyond ASCII) is refused once, named, before anything is created. In a UTF-8 file a
 * stray bad line is only that line's error.
 */
async function scanFile(file: string): Promise<number> {
  refuseWorkbook(file);
  let n = 0;
  let firstBad: HanjianError | null = null;
  let utf8Beyond = false;
  for await (const line of readLines(openLines(file), file)) {
    n++;
    if ('error' in line) {
      if (line.error.code === 'NOT_UTF8') firstBad ??= line.error;
    } else if (!utf8Beyond && /[^\u0000-\u007f]/.test(line.text)) utf8Beyond = true;
  }
  if (firstBad && !utf8Beyond) throw firstBad;
  return n;
}

/**
 * A client's spreadsheet given to batch (which reads JSON Lines) would be refused as "not UTF-8":
 * recognised by its first bytes (an XLSX is a ZIP, an .xls an OLE file) and pointed at the import.
 */
function refuseWorkbook(file: string): void {
  const head = Buffer.alloc(4);
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    readSync(fd, head, 0, 4, 0);
  } catch {
    return; // unreadable: the line reader names it
  } finally {
    if (fd !== null) closeSync(fd);
  }
  const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const ole = head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
  if (zip || ole)
    throw new HanjianError({
      code: 'SPREADSHEET_NOT_JSONL',
      category: 'invalid_input',
      path: file,
      zh: `这是 Excel 表格（${zip ? '.xlsx' : '.xls'}），batch 读取的是每行一个 JSON 的 .jsonl 文件。债务清单请在工作台的“导入”页上传（/app/import，可下载模板），由律师审核后出具`,
      en: `this is an Excel workbook (${zip ? '.xlsx' : '.xls'}); batch reads JSON Lines. Upload a client's spreadsheet on the workspace's import page (/app/import)`,
    });
}

function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw unwritable(dir, e);
  }
}

/** Remove temporary files a terminated write may have left (they are never renamed into place). */
function cleanup(dir: string, exit: boolean): void {
  try {
    for (const f of readdirSync(dir))
      if (f.startsWith('.') && f.endsWith('.tmp')) rmSync(join(dir, f), { force: true });
  } catch {
    /* the folder went away meanwhile: nothing to clean */
  }
  if (exit) process.exit(EXIT.interrupted);
}
