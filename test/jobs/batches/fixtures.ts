/** Shared by the batch tests: rows of letters dated today, polling a batch to its end, reading its archive. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { unzipSync } from 'fflate';
import { todayInShanghai } from '../../../src/pipeline/schema/dates.js';
import { dated } from '../../helpers.js';

/** `n` reminders and demands, each for its own contract (one letter of a kind per contract a day). */
export function letterRows(n: number, prefix: string): Record<string, any>[] {
  const today = todayInShanghai();
  return Array.from({ length: n }, (_, i) => {
    const x = dated(i % 2 ? 'demand' : 'reminder', today);
    x.account.contractNo = `${prefix}-${String(i + 1).padStart(6, '0')}`;
    return x;
  });
}

export const ndjson = (rows: unknown[]) =>
  `${rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`;

export interface Progress {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  queued: number;
  rate: number;
  etaSeconds: number | null;
  callback: { status: string; attempts: number; lastError: string | null } | null;
}

/** Polls the progress until `done` says so (default: the batch finished), a bounded number of times. */
export async function untilFinished(
  get: () => Promise<Response>,
  done: (p: Progress) => boolean = (p) => p.status === 'finished',
  maxSeconds = 240,
): Promise<Progress> {
  const deadline = Date.now() + maxSeconds * 1000;
  for (;;) {
    const r = await get();
    if (r.status !== 200) throw new Error(`progress: HTTP ${r.status} ${await r.text()}`);
    const p = (await r.json()) as Progress;
    if (done(p)) return p;
    if (Date.now() > deadline) throw new Error(`batch not finished in ${maxSeconds} s: ${JSON.stringify(p)}`);
    await sleep(150);
  }
}

export interface ArchiveIndexRow {
  row: string;
  status: string;
  number: string;
  contract_no: string;
  debtor: string;
  total: string;
  verify_code: string;
  file: string;
  letter_id: string;
  error_code: string;
}

export function readArchive(zip: Uint8Array): { files: Record<string, Uint8Array>; index: ArchiveIndexRow[] } {
  const files = unzipSync(zip);
  return { files, index: parseIndex(Buffer.from(files['index.csv']!)) };
}

export interface ZipEntry {
  name: string;
  method: number;
  size: number;
  compressedSize: number;
  offset: number;
}

/**
 * The entries of a ZIP file on disk, read from its central directory — so an archive of
 * thousands of PDFs is checked without holding it in memory. (Not ZIP64: the archives of the
 * tests stay under 65,535 entries and 4 GB.)
 */
export function zipDirectory(file: string): ZipEntry[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 65_557));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error('not a ZIP file: no end of central directory');
    const count = tail.readUInt16LE(eocd + 10);
    const dir = Buffer.alloc(tail.readUInt32LE(eocd + 12));
    readSync(fd, dir, 0, dir.length, tail.readUInt32LE(eocd + 16));
    const entries: ZipEntry[] = [];
    for (let p = 0, i = 0; i < count; i++) {
      if (dir.readUInt32LE(p) !== 0x02014b50) throw new Error(`central directory entry ${i} is damaged`);
      const nameLength = dir.readUInt16LE(p + 28);
      entries.push({
        method: dir.readUInt16LE(p + 10),
        compressedSize: dir.readUInt32LE(p + 20),
        size: dir.readUInt32LE(p + 24),
        offset: dir.readUInt32LE(p + 42),
        name: dir.toString('utf8', p + 46, p + 46 + nameLength),
      });
      p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** One stored (not deflated) entry's bytes, found through its local header. */
export function zipStoredEntry(file: string, e: ZipEntry): Buffer {
  if (e.method !== 0) throw new Error(`${e.name} is compressed (method ${e.method})`);
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(30);
    readSync(fd, head, 0, 30, e.offset);
    const data = Buffer.alloc(e.size);
    readSync(fd, data, 0, e.size, e.offset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28));
    return data;
  } finally {
    closeSync(fd);
  }
}

/** The index.csv of an archive as rows. The fixtures hold no commas or quotes in its columns, so a plain split reads them. */
export function parseIndex(csv: Buffer): ArchiveIndexRow[] {
  const [head, ...lines] = csv
    .toString('utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])) as unknown as ArchiveIndexRow);
}
