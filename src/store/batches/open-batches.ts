/**
 * Opening batches for the service: on the registry's SQLite file, or — with a PostgreSQL URL —
 * on PostgreSQL shared by every instance. Either way the rows are the jobs (row-queue.ts).
 */

import type { BatchStore } from '../../jobs/batches/batch-store.js';
import { Batches, type BatchesOptions } from '../../jobs/batches/batches.js';
import type { BatchParts } from '../../jobs/batches/parts.js';
import type { JobQueue } from '../../jobs/batches/queue.js';
import { PgClient } from './pg-client.js';
import { RowQueue } from './row-queue.js';
import { SqlBatchStore } from './sql-batch-store.js';
import { SqliteClient } from './sql-client.js';

export interface OpenBatchesOptions extends Omit<BatchesOptions, 'store' | 'queue' | 'parts'> {
  /** The registry's SQLite file (batches live beside the letters), unless `databaseUrl` is given. */
  sqliteFile: string;
  databaseUrl?: string;
  concurrency: number;
  leaseMs: number;
  /** The first wait before a row that met a passing failure is tried again (2 s). */
  retryDelayMs?: number;
  /** How often the worker looks for rows nothing woke it for (another instance's, a lapsed lease): 1 s. */
  pollMs?: number;
  busyTimeoutMs?: number;
}

export async function openBatches(parts: BatchParts, o: OpenBatchesOptions): Promise<Batches> {
  const queueOptions = {
    concurrency: o.concurrency,
    leaseMs: o.leaseMs,
    retryDelayMs: o.retryDelayMs ?? 2_000,
    pollMs: o.pollMs,
  };
  const store: BatchStore = o.databaseUrl
    ? new SqlBatchStore(await PgClient.open(o.databaseUrl))
    : new SqlBatchStore(new SqliteClient(o.sqliteFile, o.busyTimeoutMs));
  const queue: JobQueue = new RowQueue(store, { ...queueOptions, soleWorker: !o.databaseUrl });
  const batches = new Batches({ ...o, store, queue, parts });
  try {
    await batches.start();
  } catch (e) {
    await batches.close().catch(() => {});
    throw e;
  }
  return batches;
}
