/**
 * The archive of a finished batch: a ZIP streamed as it is made — each PDF is read, written
 * and let go, waiting whenever the client reads slower than we write — so 100,000 letters
 * never sit in memory together. PDFs are stored, not deflated (they are compressed already).
 * Beside them `index.csv` accounts for every row: its letter (number, contract, masked
 * debtor, total, verification code, file) or its failure. Entries carry the batch's finishing
 * time, so the same batch gives the same archive. The index comes last (see below).
 */
import type { Writable } from 'node:stream';
import { Zip, ZipPassThrough } from 'fflate';
import type { Letters } from '../../letters/letters.js';
import { fenToYuan } from '../../pipeline/facts/format.js';
import { type BatchRecord, type BatchStore, eachRow, type RowRecord } from './batch-store.js';

const COLUMNS = [
  'row',
  'status',
  'number',
  'contract_no',
  'debtor',
  'total',
  'verify_code',
  'file',
  'letter_id',
  'request_id',
  'error_code',
];

/** RFC 4180 quoting; a cell that a spreadsheet would run as a formula is prefixed with ' (CSV injection). */
export function csvCell(v: string | number | null): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface ArchiveSources {
  store: BatchStore;
  letters: Letters;
  /** The letter a request row led to once it was approved (null while it waits for review). */
  letterOfRequest: (requestId: string) => Promise<string | null>;
}

export async function writeArchive(batch: BatchRecord, src: ArchiveSources, out: Writable): Promise<void> {
  const mtime = new Date(batch.finishedAt ?? batch.createdAt);
  const width = Math.max(5, String(batch.total).length);
  const zip = new Zip((err, chunk) => {
    if (err) out.destroy(err);
    else if (!out.destroyed) out.write(chunk);
  });
  // Waits for the client to read what was written; a closed connection ends the wait (and the archive).
  const drained = () =>
    new Promise<void>((resolve) => {
      if (!out.writableNeedDrain || out.destroyed) return resolve();
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
  // fflate holds back an entry's data until the entry before it is complete, so the index is
  // collected (about 150 bytes a row) and added last, and each PDF is complete when added.
  const index: Buffer[] = [Buffer.from(`\ufeff${COLUMNS.join(',')}\r\n`)];
  for await (const r of eachRow(src.store, batch.id, 200)) {
    if (out.destroyed) break;
    index.push(Buffer.from(`${(await addRow(batch, r, src, zip, mtime, width)).map(csvCell).join(',')}\r\n`));
    await drained();
  }
  const indexEntry = new ZipPassThrough('index.csv');
  indexEntry.mtime = mtime;
  zip.add(indexEntry);
  indexEntry.push(Buffer.concat(index), true);
  zip.end();
  if (!out.destroyed) out.end();
}

/** Adds a row's PDF (if it has a letter) and returns its index line. */
async function addRow(
  batch: BatchRecord,
  r: RowRecord,
  src: ArchiveSources,
  zip: Zip,
  mtime: Date,
  width: number,
): Promise<(string | number | null)[]> {
  const letterId = r.letterId ?? (r.requestId && r.status === 'done' ? await src.letterOfRequest(r.requestId) : null);
  const status =
    r.status === 'failed' ? 'failed' : letterId ? 'issued' : batch.mode === 'request' ? 'requested' : r.status;
  if (!letterId)
    return [r.row, status, null, r.contractNo, null, null, null, null, null, r.requestId, r.problem?.code ?? null];
  const { record, pdf } = await src.letters.pdf(letterId, batch.orgId);
  const file = `letters/${String(r.row).padStart(width, '0')}.pdf`;
  const entry = new ZipPassThrough(file);
  entry.mtime = mtime;
  zip.add(entry);
  entry.push(pdf, true);
  return [
    r.row,
    status,
    record.number,
    record.contractNo,
    record.debtorMasked,
    fenToYuan(record.totalFen),
    record.verifyCode,
    file,
    record.id,
    r.requestId,
    null,
  ];
}
