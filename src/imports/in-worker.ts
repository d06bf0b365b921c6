/**
 * Reading an uploaded spreadsheet off the event loop, within a budget: each file is read by a
 * worker thread of its own (sheet-worker.ts) with a heap limit, stopped when its time is up; a
 * few run at once and a few more wait, the rest are refused at once. Whatever a file holds —
 * a sheet built to be slow, a bomb, a bug in a reader — the service goes on answering, and the
 * upload gets a 4xx naming why (or a 503 to retry when too many are being read), never a 500.
 */
import { Worker } from 'node:worker_threads';
import { HanjianError } from '../shared/errors.js';
import { workerFile } from '../shared/paths.js';
import { DEFAULT_LIMITS, importError, type SheetLimits } from './limits.js';
import type { ColumnMapping } from './mapping.js';
import { checkFileSize, type Sheet, sheetOfTable, type Table } from './sheet.js';
import type { SheetJob, SheetReply } from './sheet-worker.js';

export interface ReadBudget {
  /** Wall-clock time one file may take in its worker; by default 10 s and 1 s more for each 4 MB the parts may inflate to. */
  timeMs?: number;
  /** The worker's heap; by default twice what the parts may inflate to, at least 128 MB. */
  heapMb?: number;
  /** Files read at once (each on a thread of its own), and waiting beyond those. */
  concurrent: number;
  waiting: number;
}

export const DEFAULT_BUDGET: ReadBudget = { concurrent: 2, waiting: 8 };

/** A good sheet is read at 20–40 MB/s here; the time allowed is several times what the largest allowed one takes. */
const timeFor = (limits: SheetLimits, budget: ReadBudget) =>
  budget.timeMs ?? 10_000 + Math.ceil(limits.maxUnzippedBytes / (4 * 1024 * 1024)) * 1_000;

let running = 0;
const queue: (() => void)[] = [];

function busy(): HanjianError {
  return new HanjianError({
    code: 'QUEUE_FULL',
    category: 'internal',
    path: 'file',
    zh: '正在读取的上传文件过多，请稍后重试',
    en: 'too many uploaded files are being read; retry shortly',
  });
}

async function slot(budget: ReadBudget): Promise<() => void> {
  if (running >= budget.concurrent) {
    if (queue.length >= budget.waiting) throw busy();
    await new Promise<void>((resolve) => queue.push(resolve));
  }
  running++;
  return () => {
    running--;
    queue.shift()?.();
  };
}

/** readSheet, with the file read in a worker thread within `budget`. */
export async function readSheetInWorker(
  bytes: Uint8Array,
  limits: SheetLimits = DEFAULT_LIMITS,
  budget: ReadBudget = DEFAULT_BUDGET,
  mapping?: ColumnMapping,
): Promise<Sheet> {
  return sheetOfTable(await readTableInWorker(bytes, limits, budget), limits, mapping);
}

/** readTable, with the file read in a worker thread within `budget`: a sheet of other columns (a tracking sheet). */
export async function readTableInWorker(
  bytes: Uint8Array,
  limits: SheetLimits = DEFAULT_LIMITS,
  budget: ReadBudget = DEFAULT_BUDGET,
): Promise<Table> {
  checkFileSize(bytes, limits);
  const release = await slot(budget);
  let reply: SheetReply | null;
  try {
    reply = await runWorker(bytes, limits, budget);
  } finally {
    release();
  }
  if (!reply) {
    const seconds = timeFor(limits, budget) / 1000;
    throw importError(
      'XLSX_TOO_COMPLEX',
      `文件未能在 ${seconds} 秒及内存限额内读完，不像正常的债务清单：请拆分文件或另存后再上传`,
      `the file could not be read within ${seconds} s and its memory budget`,
    );
  }
  if (!reply.ok) {
    if ('internal' in reply)
      throw importError('XLSX_UNREADABLE', '无法读取该文件', `the file could not be read (${reply.internal})`);
    throw new HanjianError({
      code: reply.code,
      category: 'invalid_input',
      path: reply.path,
      zh: reply.zh,
      en: reply.en,
    });
  }
  return { format: reply.format, encoding: reply.encoding, rows: new Map(reply.rows) };
}

/** The worker's reply, or null when it ran out of time or memory (it is stopped either way). */
function runWorker(bytes: Uint8Array, limits: SheetLimits, budget: ReadBudget): Promise<SheetReply | null> {
  // A copy of its own: the caller's bytes may share an ArrayBuffer (Buffer's pool) that must not be detached.
  const copy = bytes.slice();
  const job: SheetJob = { bytes: copy, limits };
  const heapMb = budget.heapMb ?? Math.max(128, Math.ceil((2 * limits.maxUnzippedBytes) / 1024 / 1024));
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (r: SheetReply | null | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    const worker = new Worker(workerFile(import.meta.url, 'imports', 'sheet-worker.js'), {
      workerData: job,
      transferList: [copy.buffer as ArrayBuffer],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    const timer = setTimeout(() => done(null), timeFor(limits, budget));
    worker.once('message', (r: SheetReply) => done(r));
    // Out of memory, or an exit without a reply: the file was too much. Any other error (the worker
    // cannot be loaded) is the service's own, and is not blamed on the file.
    worker.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? null : e));
    worker.once('exit', () => done(null));
  });
}
