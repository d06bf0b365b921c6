/**
 * The worker that reads one uploaded spreadsheet (in-worker.ts starts it): the bytes come in
 * workerData, the rows or the refusal go back in one message. Whatever the file holds, the
 * cost lands here, on a thread the main one can stop, and not on the event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isHanjianError } from '../shared/errors.js';
import type { SheetLimits } from './limits.js';
import { readTable } from './sheet.js';

export interface SheetJob {
  bytes: Uint8Array;
  limits: SheetLimits;
}

export type SheetReply =
  | { ok: true; format: 'xlsx' | 'csv'; encoding: 'UTF-8' | 'GB18030' | null; rows: [number, string[]][] }
  | { ok: false; code: string; path: string; zh: string; en: string }
  | { ok: false; internal: string };

const job = workerData as SheetJob;
let reply: SheetReply;
try {
  const t = readTable(job.bytes, job.limits);
  reply = { ok: true, format: t.format, encoding: t.encoding, rows: [...t.rows] };
} catch (e) {
  reply = isHanjianError(e)
    ? { ok: false, code: e.code, path: e.path, zh: e.zh, en: e.en }
    : { ok: false, internal: e instanceof Error ? e.message : String(e) };
}
parentPort!.postMessage(reply);
