/**
 * Opening batches for the service: on the registry's SQLite file with the in-process queue,
 * or — with a PostgreSQL URL — on PostgreSQL with pg-boss, shared by every instance.
 */

import type { BatchStore } from '../../jobs/batches/batch-store.js';
import { Batches, type BatchesOptions } from '../../jobs/batches/batches.js';
import type { BatchParts } from '../../jobs/batches/parts.js';
import type { JobQueue } from '../../jobs/batches/queue.js';
import { LocalQueue } from './local-queue.js';
import { PgClient } from './pg-client.js';
import { PgBossQueue } from './pgboss-queue.js';
import { SqlBatchStore } from './sql-batch-store.js';
import { SqliteClient } from './sql-client.js';

export interface OpenBatchesOptions extends Omit<BatchesOptions, 'store' | 'queue' | 'parts'> {
  /** The registry's SQLite file (batches live beside the letters), unless `databaseUrl` is given. */
  sqliteFile: string;
  databaseUrl?: string;
  concurrency: number;
  leaseMs: number;
  busyTimeoutMs?: number;
  /** pg-boss's check for expired jobs (a dead instance's rows), in seconds. */
  maintenanceIntervalSeconds?: number;
}

export async function openBatches(parts: BatchParts, o: OpenBatchesOptions): Promise<Batches> {
  const queueOptions = { concurrency: o.concurrency, leaseMs: o.leaseMs, retryDelayMs: 2_000 };
  let store: BatchStore;
  let queue: JobQueue;
  if (o.databaseUrl) {
    store = new SqlBatchStore(await PgClient.open(o.databaseUrl));
    queue = new PgBossQueue({
      ...queueOptions,
      connectionString: o.databaseUrl,
      maintenanceIntervalSeconds: o.maintenanceIntervalSeconds,
      onError: (e) =>
        o.log({ msg: 'batch queue error', level: 'error', error: e.name, cause: (e as NodeJS.ErrnoException).code }),
    });
  } else {
    store = new SqlBatchStore(new SqliteClient(o.sqliteFile, o.busyTimeoutMs));
    queue = new LocalQueue(store, queueOptions);
  }
  const batches = new Batches({ ...o, store, queue, parts });
  try {
    await batches.start();
  } catch (e) {
    await batches.close().catch(() => {});
    throw e;
  }
  return batches;
}
