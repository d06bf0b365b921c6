/**
 * Batches: many letters from one JSON-lines body, worked by a job queue through the issuing
 * renderer, with progress, the failed rows, a streamed archive and a signed completion
 * callback. Everything is scoped to the organisation that posted the batch: another one gets
 * "not found". What a row does is rows.ts; where rows wait is the JobQueue (queue.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { SheetLimits } from '../../imports/index.js';
import type { Caller } from '../../orgs/model.js';
import { personKeyId } from '../../orgs/sessions.js';
import { HanjianError } from '../../shared/errors.js';
import { writeArchive } from './archive.js';
import {
  type ApiBatchMode,
  type BatchMode,
  type BatchRecord,
  type BatchStore,
  eachRow,
  type NewRow,
  type RowCounts,
  type RowProblem,
  type RowRecord,
} from './batch-store.js';
import { backoffMs, type CallbackPolicy, deliverCallback } from './callback.js';
import { type IngestLimits, lineTooLong, parseLine, readLines, TooManyRows } from './ingest.js';
import type { BatchParts } from './parts.js';
import type { JobQueue } from './queue.js';
import { type RowContext, workRow } from './rows.js';
import { columnDecisions, type InputRow, type SheetParams, sheetBase, sheetRows } from './sheet.js';
import type { WorkspaceJobSpec, WorkspaceJobs, WorkspaceUser } from './workspace.js';

export interface BatchesOptions {
  store: BatchStore;
  queue: JobQueue;
  parts: BatchParts;
  limits: IngestLimits;
  /** Attempts of a row that meets passing failures (a busy registry, a render timeout). */
  maxAttempts: number;
  callbacks: CallbackPolicy & { secret?: string; maxAttempts: number; backoffMs: number; pollMs: number };
  log: (entry: Record<string, unknown>) => void;
  /** A letter newly issued by a row. */
  onIssued?: (kind: string) => void;
}

export interface CreateOptions {
  mode: BatchMode;
  callbackUrl: string | null;
  idempotencyKey: string | null;
  /** The workspace's batches only: the import batch they work on (BatchRecord.subject). */
  subject?: string;
  /** The workspace names its batch before it exists (an import's result links to it). */
  id?: string;
}

export interface BatchProgress {
  id: string;
  mode: ApiBatchMode;
  status: 'running' | 'finished';
  total: number;
  done: number;
  failed: number;
  queued: number;
  /** Rows settled per second over the last minute. */
  rate: number;
  /** Seconds until the last row is settled at the current rate; null when finished or not yet measurable. */
  etaSeconds: number | null;
  createdAt: string;
  finishedAt: string | null;
  callback: {
    url: string;
    status: 'pending' | 'delivered' | 'failed';
    attempts: number;
    lastError: string | null;
  } | null;
  errors: string;
  archive: string;
}

export interface RowFailure {
  row: number;
  contractNo: string | null;
  problem: RowProblem;
}

const notFound = () =>
  new HanjianError({
    code: 'BATCH_NOT_FOUND',
    category: 'not_found',
    path: 'id',
    zh: '没有这个批量任务',
    en: 'no such batch',
  });
const RATE_WINDOW_MS = 60_000;
/** Rows written to the store per transaction while the body is read. */
const CHUNK = 500;

export class Batches implements WorkspaceJobs {
  private callbackTimer: NodeJS.Timeout | null = null;
  private delivering: Promise<void> | null = null;
  private closed = false;
  private ctx: RowContext;

  constructor(private o: BatchesOptions) {
    this.ctx = {
      store: o.store,
      parts: o.parts,
      maxAttempts: o.maxAttempts,
      onFinished: (id) => this.finished(id),
      onIssued: o.onIssued,
      log: o.log,
    };
  }

  async start(): Promise<void> {
    // A body still being read an hour after it began belongs to a process that died reading it.
    await this.o.store.discardStale(new Date(Date.now() - 3_600_000).toISOString());
    await this.o.queue.start((job) => workRow(this.ctx, job));
    // Rows of running batches are enqueued again: a process may have died between reading a body and enqueuing it (a row enqueued twice is one job).
    for (const b of await this.o.store.running()) await this.o.queue.enqueue(b.id, await this.o.store.queuedRows(b.id));
    this.callbackTimer = setInterval(() => this.deliverDue(), this.o.callbacks.pollMs);
    this.callbackTimer.unref();
    this.deliverDue();
  }

  /** Reads a JSON-lines body into a new batch (202), or answers the batch made earlier with the same Idempotency-Key. */
  async create(
    caller: Caller,
    opts: CreateOptions,
    body: AsyncIterable<Buffer | string>,
  ): Promise<{ batch: BatchRecord; created: boolean }> {
    const limits = this.o.limits;
    return this.createWith(
      caller,
      opts,
      async (add) => {
        try {
          return await readLines(body, limits, (bytes, row) =>
            add(
              bytes
                ? parseLine(bytes, row, opts.mode)
                : { row, value: null, contractNo: null, problem: lineTooLong(limits.maxLineBytes) },
            ),
          );
        } catch (e) {
          if (e instanceof TooManyRows)
            throw new HanjianError({
              code: 'BATCH_TOO_MANY_ROWS',
              category: 'invalid_input',
              path: 'body',
              zh: `批量至多 ${e.maxRows} 行`,
              en: `a batch has at most ${e.maxRows} rows`,
            });
          throw e;
        }
      },
      async () => {
        for await (const _ of body) {
          /* the batch exists: the body is read and dropped */
        }
      },
    );
  }

  /** An uploaded spreadsheet (XLSX) as a new batch: the rows read by the importer (sheet.ts), numbered by their spreadsheet row. */
  async createFromSheet(
    caller: Caller,
    opts: CreateOptions,
    bytes: Uint8Array,
    params: SheetParams,
    limits: SheetLimits,
  ): Promise<{ batch: BatchRecord; created: boolean }> {
    // Refusals of the request itself (parameters, an unreadable file) come before a batch exists.
    const { base, engagement } = await sheetBase(this.o.parts.orgs, caller, opts.mode, params);
    const rows = await sheetRows(
      bytes,
      { ...limits, maxRows: Math.min(limits.maxRows, this.o.limits.maxRows) },
      base,
      engagement,
      columnDecisions(params.columns),
    );
    return this.createWith(
      caller,
      opts,
      async (add) => {
        for (const r of rows) await add(r);
        return rows.length;
      },
      async () => {},
    );
  }

  /** Stores the rows `fill` hands over, a chunk at a time, then opens the batch and queues its good rows. */
  private async createWith(
    caller: Caller,
    opts: CreateOptions,
    fill: (add: (r: InputRow) => Promise<void>) => Promise<number>,
    drop: () => Promise<void>,
  ): Promise<{ batch: BatchRecord; created: boolean }> {
    const { batch, created } = await this.o.store.create({
      id: opts.id ?? randomUUID(),
      orgId: caller.orgId,
      keyId: caller.keyId,
      userId: caller.userId,
      scopes: caller.scopes ? [...caller.scopes] : null,
      mode: opts.mode,
      idempotencyKey: opts.idempotencyKey,
      callbackUrl: opts.callbackUrl,
      createdAt: new Date().toISOString(),
      subject: opts.subject ?? null,
    });
    if (!created) {
      await drop();
      return { batch, created };
    }
    let pending: NewRow[] = [];
    const queued: number[] = [];
    const flush = async () => {
      const rows = pending;
      pending = [];
      await this.o.store.addRows(batch.id, rows, new Date().toISOString());
    };
    let total: number;
    try {
      total = await fill(async (r) => {
        // The input holds personal data: encrypted with the data key like a letter's stored input.
        pending.push({
          row: r.row,
          contractNo: r.contractNo,
          inputJson: r.problem || r.requestId ? null : this.o.parts.vault.encrypt(JSON.stringify(r.value)),
          requestId: r.requestId ?? null,
          problem: r.problem,
        });
        if (!r.problem) queued.push(r.row);
        if (pending.length >= CHUNK) await flush();
      });
      await flush();
    } catch (e) {
      await this.o.store.discard(batch.id).catch(() => {});
      throw e;
    }
    if (total === 0) {
      await this.o.store.discard(batch.id);
      throw new HanjianError({
        code: 'BATCH_EMPTY',
        category: 'invalid_input',
        path: 'body',
        zh: '批量没有任何一行',
        en: 'the batch has no rows',
      });
    }
    await this.o.store.open(batch.id, total);
    await this.o.queue.enqueue(batch.id, queued);
    // Every row may have failed on arrival: then the batch is finished now.
    if (!queued.length && (await this.o.store.finishIfDone(batch.id, new Date().toISOString())))
      await this.finished(batch.id);
    return { batch: (await this.o.store.get(batch.id))!, created };
  }

  /** The organisation's own batch, read to its end: an API batch (no subject) or the workspace's. */
  private async own(id: string, orgId: string, workspace: boolean): Promise<BatchRecord | null> {
    const b = id.length <= 64 ? await this.o.store.get(id) : null;
    return b && b.orgId === orgId && b.status !== 'receiving' && (b.subject !== null) === workspace ? b : null;
  }

  /** A batch the API shows: never one of the workspace's. */
  private async visible(id: string, orgId: string): Promise<BatchRecord> {
    const b = await this.own(id, orgId, false);
    if (!b) throw notFound();
    return b;
  }

  /** The workspace's batches (jobs/batches/workspace.ts): created as its user, read by id or by import. */
  async createForWorkspace(user: WorkspaceUser, job: WorkspaceJobSpec): Promise<BatchRecord> {
    // Scopes are not kept: each row asks for the person's rights as they are then (rows.ts).
    const caller: Caller = { orgId: user.orgId, userId: user.userId, keyId: personKeyId(user.userId), scopes: null };
    const { batch } = await this.createWith(
      caller,
      { mode: job.mode, callbackUrl: null, idempotencyKey: null, subject: job.subject, id: job.id },
      async (add) => {
        for (const r of job.rows)
          await add({ row: r.row, contractNo: null, value: r.input ?? null, requestId: r.requestId, problem: null });
        return job.rows.length;
      },
      async () => {},
    );
    return batch;
  }

  workspaceBatch(id: string, orgId: string): Promise<BatchRecord | null> {
    return this.own(id, orgId, true);
  }

  workspaceBatches(subject: string): Promise<BatchRecord[]> {
    return this.o.store.bySubject(subject);
  }

  async allRows(id: string): Promise<RowRecord[]> {
    const out: RowRecord[] = [];
    for await (const r of eachRow(this.o.store, id)) out.push(r);
    return out;
  }

  counts(id: string): Promise<RowCounts> {
    return this.o.store.counts(id);
  }

  async progress(id: string, orgId: string): Promise<BatchProgress> {
    return this.progressOf(await this.visible(id, orgId));
  }

  private async progressOf(b: BatchRecord): Promise<BatchProgress> {
    const c = await this.o.store.counts(b.id);
    const now = Date.now();
    const window = Math.min(RATE_WINDOW_MS, Math.max(1, now - Date.parse(b.createdAt)));
    const recent =
      b.status === 'finished' ? 0 : await this.o.store.finishedSince(b.id, new Date(now - window).toISOString());
    const rate = b.status === 'finished' ? 0 : Math.round((recent / (window / 1000)) * 10) / 10;
    return {
      id: b.id,
      // Only API batches are shown (visible) or called back: never the workspace's `approve`.
      mode: b.mode as ApiBatchMode,
      status: b.status === 'finished' ? 'finished' : 'running',
      total: b.total,
      done: c.done,
      failed: c.failed,
      queued: c.queued,
      rate,
      etaSeconds: b.status !== 'finished' && rate > 0 ? Math.ceil(c.queued / rate) : null,
      createdAt: b.createdAt,
      finishedAt: b.finishedAt,
      callback: b.callbackUrl
        ? {
            url: b.callbackUrl,
            status: b.callbackStatus as 'pending' | 'delivered' | 'failed',
            attempts: b.callbackAttempts,
            lastError: b.callbackError,
          }
        : null,
      errors: `/v1/batches/${b.id}/errors`,
      archive: `/v1/batches/${b.id}/archive`,
    };
  }

  /** The failed rows in row order, a page at a time after a row number. */
  async failures(
    id: string,
    orgId: string,
    after: number,
    limit: number,
  ): Promise<{ errors: RowFailure[]; next: number | null }> {
    const b = await this.visible(id, orgId);
    const rows = await this.o.store.rows(b.id, after, limit, 'failed');
    return {
      errors: rows.map((r) => ({ row: r.row, contractNo: r.contractNo, problem: r.problem! })),
      next: rows.length === limit ? rows.at(-1)!.row : null,
    };
  }

  /** The batch for its archive; refused while rows are still being worked. */
  async finishedBatch(id: string, orgId: string): Promise<BatchRecord> {
    const b = await this.visible(id, orgId);
    if (b.status !== 'finished')
      throw new HanjianError({
        code: 'BATCH_NOT_FINISHED',
        category: 'conflict',
        path: 'id',
        zh: '批量任务尚未完成，完成后才能下载归档',
        en: 'the batch is still running: its archive is available once it has finished',
      });
    return b;
  }

  async archive(b: BatchRecord, caller: Caller, out: Writable): Promise<void> {
    await writeArchive(
      b,
      {
        store: this.o.store,
        letters: this.o.parts.letters,
        letterOfRequest: async (requestId) => (await this.o.parts.requests.get(requestId, caller)).letter?.id ?? null,
      },
      out,
    );
  }

  /**
   * The letters a finished batch led to, in row order (a request row once its letter is issued),
   * at most `max` of them: more is refused (the evidence package is bounded), never cut short.
   */
  async letterIds(b: BatchRecord, caller: Caller, max: number): Promise<string[]> {
    const ids: string[] = [];
    for await (const r of eachRow(this.o.store, b.id)) {
      const id =
        r.letterId ??
        (r.requestId && r.status === 'done'
          ? ((await this.o.parts.requests.get(r.requestId, caller)).letter?.id ?? null)
          : null);
      if (!id) continue;
      if (ids.length === max)
        throw new HanjianError({
          code: 'EVIDENCE_TOO_LARGE',
          category: 'invalid_input',
          path: 'id',
          zh: `该批次出具的函件超过 ${max} 封：请用 POST /v1/evidence 分批下载证据包`,
          en: `the batch issued more than ${max} letters: download their evidence in parts with POST /v1/evidence`,
        });
      ids.push(id);
    }
    return ids;
  }

  private async finished(batchId: string): Promise<void> {
    this.o.log({ msg: 'batch finished', batch: batchId });
    const b = await this.o.store.get(batchId);
    // The workspace's batch ends in the audit trail, with what it did (an API batch has its callback).
    if (b?.subject) {
      const c = await this.o.store.counts(batchId);
      await this.o.parts.audit.append({
        orgId: b.orgId,
        actor: b.keyId,
        action: 'job.finished',
        subject: b.subject,
        details: { task: b.id, kind: b.mode, done: c.done, failed: c.failed },
      });
    }
    this.deliverDue();
  }

  /** Delivers the callbacks that are due, one pass at a time. */
  private deliverDue(): void {
    if (this.closed || this.delivering || !this.o.callbacks.secret) return;
    this.delivering = this.deliverPass()
      .catch((e) => this.o.log({ msg: 'batch callbacks failed', level: 'error', error: (e as Error).name }))
      .finally(() => {
        this.delivering = null;
      });
  }

  private async deliverPass(): Promise<void> {
    const cb = this.o.callbacks;
    for (const b of await this.o.store.dueCallbacks(new Date().toISOString())) {
      if (this.closed) return;
      // Held for a minute while this attempt runs, so another instance does not deliver it too.
      if (!(await this.o.store.claimCallback(b, new Date(Date.now() + 60_000).toISOString()))) continue;
      const body = JSON.stringify({ type: 'batch.finished', batch: await this.progressOf(b) });
      const r = await deliverCallback(b.callbackUrl!, body, cb.secret!, cb, { 'hanjian-batch-id': b.id });
      const attempts = b.callbackAttempts + 1;
      const status = r.ok ? 'delivered' : attempts >= cb.maxAttempts ? 'failed' : 'pending';
      await this.o.store.recordCallback(b.id, {
        status,
        attempts,
        nextAt: status === 'pending' ? new Date(Date.now() + backoffMs(attempts, cb.backoffMs)).toISOString() : null,
        error: r.ok ? null : (r.error ?? null),
      });
      this.o.log({
        msg: 'batch callback',
        batch: b.id,
        attempt: attempts,
        status,
        ...(r.status ? { httpStatus: r.status } : {}),
        ...(r.ok ? {} : { error: r.error }),
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.callbackTimer) clearInterval(this.callbackTimer);
    await this.o.queue.close();
    await this.delivering;
    await this.o.store.close();
  }
}
