/**
 * What batches need from storage: the batch, its rows and their states, claims and callbacks
 * (store/batches/ implements it over SQLite or PostgreSQL). Row state changes are conditional:
 * whichever worker changes a row first wins, and a retried job changes nothing twice.
 */
/**
 * What a batch's rows do: issue a letter, file a letter request (both posted to /v1/batches), or
 * approve a pending request (the workspace's approval of a whole import, never posted by the API).
 */
export type BatchMode = 'issue' | 'request' | 'approve';
/** The modes /v1/batches takes and shows. */
export type ApiBatchMode = Exclude<BatchMode, 'approve'>;
export type BatchStatus = 'receiving' | 'running' | 'finished';
export type CallbackStatus = 'none' | 'pending' | 'delivered' | 'failed';
export type RowStatus = 'queued' | 'done' | 'failed';

export interface BatchRecord {
  id: string;
  orgId: string;
  keyId: string;
  userId: string | null;
  scopes: string[] | null;
  mode: BatchMode;
  status: BatchStatus;
  total: number;
  idempotencyKey: string | null;
  callbackUrl: string | null;
  callbackStatus: CallbackStatus;
  callbackAttempts: number;
  callbackNextAt: string | null;
  callbackError: string | null;
  createdAt: string;
  finishedAt: string | null;
  /**
   * Set for the workspace's batches (its "tasks"): the import batch they work on. Such a batch
   * acts as its user with the rights they have at each row, and is never shown by /v1/batches.
   */
  subject: string | null;
}

/** A failed row's problem, as a problem+json answer would carry it. */
export interface RowProblem {
  code: string;
  detail: string;
  path?: string;
  issues?: { path: string; code: string; message: string }[];
  issuesOmitted?: number;
}

export interface RowRecord {
  batchId: string;
  row: number;
  status: RowStatus;
  contractNo: string | null;
  inputJson: string | null;
  attempts: number;
  letterId: string | null;
  letterNo: string | null;
  requestId: string | null;
  problem: RowProblem | null;
  finishedAt: string | null;
}

export interface NewRow {
  row: number;
  contractNo: string | null;
  inputJson: string | null;
  /** The request an `approve` row approves. */
  requestId?: string | null;
  problem: RowProblem | null;
}
export interface RowCounts {
  queued: number;
  done: number;
  failed: number;
}
export interface RowRef {
  batchId: string;
  row: number;
}

/** Every row of a batch in row order, read a page at a time (a batch may hold 100,000 rows). */
export async function* eachRow(
  store: Pick<BatchStore, 'rows'>,
  batchId: string,
  page = 500,
): AsyncGenerator<RowRecord> {
  for (let after = 0; ; ) {
    const rows = await store.rows(batchId, after, page);
    yield* rows;
    if (rows.length < page) return;
    after = rows.at(-1)!.row;
  }
}

export interface BatchStore {
  /** A new batch in state `receiving`; with an idempotency key already used by the organisation, that batch instead. */
  create(
    b: Omit<
      BatchRecord,
      'status' | 'total' | 'callbackStatus' | 'callbackAttempts' | 'callbackNextAt' | 'callbackError' | 'finishedAt'
    >,
  ): Promise<{ batch: BatchRecord; created: boolean }>;
  get(id: string): Promise<BatchRecord | null>;
  /** The workspace's batches about one import batch, oldest first. */
  bySubject(subject: string): Promise<BatchRecord[]>;
  /** Rows as they are received; a row that failed on arrival (bad JSON, over the bounds) is stored failed, never queued. */
  addRows(batchId: string, rows: NewRow[], now: string): Promise<void>;
  /** The body was read to its end: the rows may now be worked on. */
  open(batchId: string, total: number): Promise<void>;
  /** A batch whose body was refused or cut off: nothing of it remains. */
  discard(batchId: string): Promise<void>;
  /** Batches left `receiving` by a process that died while reading their body. */
  discardStale(before: string): Promise<void>;
  counts(batchId: string): Promise<RowCounts>;
  finishedSince(batchId: string, since: string): Promise<number>;
  row(ref: RowRef): Promise<RowRecord | null>;
  /** Rows of a batch in order, after a row number: the archive and the error list page through them. */
  rows(batchId: string, after: number, limit: number, status?: RowStatus): Promise<RowRecord[]>;
  queuedRows(batchId: string): Promise<number[]>;
  running(): Promise<BatchRecord[]>;
  /**
   * The in-process queue takes rows here: queued rows of running batches whose claim has lapsed,
   * the workspace's batches first, then the oldest batch first. Each is claimed by a conditional
   * update until `until`.
   */
  claim(limit: number, now: string, until: string): Promise<RowRef[]>;
  /** At start of the only process that works a SQLite queue: claims held by a process that died are void. */
  releaseClaims(): Promise<void>;
  /** The attempt about to be made (counted before it runs, so a row that kills its worker still runs out of attempts). */
  attempt(ref: RowRef): Promise<number>;
  /** True for the one call that moved the row out of `queued`. The stored input goes: the letter or request keeps its own. */
  complete(
    ref: RowRef,
    result: { letterId?: string; letterNo?: string; requestId?: string },
    now: string,
  ): Promise<boolean>;
  fail(ref: RowRef, problem: RowProblem, now: string): Promise<boolean>;
  /** A passing failure (a busy registry): the row waits until `until` before it is taken again. */
  retryAt(ref: RowRef, until: string): Promise<void>;
  /** True for the one call that found the last row finished and closed the batch. */
  finishIfDone(batchId: string, now: string): Promise<boolean>;
  /** Finished batches whose callback is due. */
  dueCallbacks(now: string): Promise<BatchRecord[]>;
  /** Takes a due callback for one delivery attempt (until `until`); false when another worker took it. */
  claimCallback(b: BatchRecord, until: string): Promise<boolean>;
  recordCallback(
    id: string,
    r: { status: CallbackStatus; attempts: number; nextAt: string | null; error: string | null },
  ): Promise<void>;
  close(): Promise<void>;
}
