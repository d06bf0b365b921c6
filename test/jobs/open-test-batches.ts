/** The batches of a test on a registry's SQLite file: quick retries and polls, no callbacks. */
import type { Batches } from '../../src/jobs/batches/batches.js';
import type { BatchParts } from '../../src/jobs/batches/parts.js';
import { openBatches } from '../../src/store/batches/open-batches.js';

export function openTestBatches(parts: BatchParts, sqliteFile: string, maxAttempts = 3): Promise<Batches> {
  return openBatches(parts, {
    sqliteFile,
    concurrency: 1,
    leaseMs: 60_000,
    retryDelayMs: 5,
    pollMs: 5,
    maxAttempts,
    limits: { maxRows: 100, maxLineBytes: 10_000 },
    log: () => {},
    callbacks: { maxAttempts: 1, backoffMs: 100, pollMs: 60_000, httpsOnly: false, allowPrivate: false },
  });
}

/** Waits (at most 4 s) for a workspace batch to finish. */
export async function finished(batches: Batches, id: string, orgId: string): Promise<void> {
  for (let i = 0; i < 400 && (await batches.workspaceBatch(id, orgId))?.status !== 'finished'; i++)
    await new Promise((r) => setTimeout(r, 10));
}
