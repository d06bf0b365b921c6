/** Shared by the batch tests: rows of letters dated today, polling a batch to its end, reading its archive. */
import { setTimeout as sleep } from 'node:timers/promises';
import { unzipSync } from 'fflate';
import { todayInShanghai } from '../../src/schema/dates.js';
import { dated } from '../helpers.js';

/** `n` reminders and demands, each for its own contract (one letter of a kind per contract a day). */
export function letterRows(n: number, prefix: string): Record<string, any>[] {
  const today = todayInShanghai();
  return Array.from({ length: n }, (_, i) => {
    const x = dated(i % 2 ? 'demand' : 'reminder', today);
    x.account.contractNo = `${prefix}-${String(i + 1).padStart(6, '0')}`;
    return x;
  });
}

export const ndjson = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

export interface Progress { id: string; status: string; total: number; done: number; failed: number; queued: number; rate: number; etaSeconds: number | null; callback: { status: string; attempts: number; lastError: string | null } | null }

/** Polls the progress until `done` says so (default: the batch finished), a bounded number of times. */
export async function untilFinished(get: () => Promise<Response>, done: (p: Progress) => boolean = (p) => p.status === 'finished', maxSeconds = 240): Promise<Progress> {
  const deadline = Date.now() + maxSeconds * 1000;
  for (;;) {
    const r = await get();
    if (r.status !== 200) throw new Error(`progress: HTTP ${r.status} ${await r.text()}`);
    const p = await r.json() as Progress;
    if (done(p)) return p;
    if (Date.now() > deadline) throw new Error(`batch not finished in ${maxSeconds} s: ${JSON.stringify(p)}`);
    await sleep(150);
  }
}

export interface ArchiveIndexRow { row: string; status: string; number: string; contract_no: string; debtor: string; total: string; verify_code: string; file: string; letter_id: string; error_code: string }

export function readArchive(zip: Uint8Array): { files: Record<string, Uint8Array>; index: ArchiveIndexRow[] } {
  const files = unzipSync(zip);
  const text = Buffer.from(files['index.csv']!).toString('utf8').replace(/^\ufeff/, '');
  const [head, ...lines] = text.trim().split('\r\n');
  const cols = head!.split(',');
  // The fixtures hold no commas or quotes in these columns, so a plain split reads them.
  const index = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])) as unknown as ArchiveIndexRow);
  return { files, index };
}
