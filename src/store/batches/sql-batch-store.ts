/**
 * Where batches and their rows live (jobs/batches/batch-store.ts): the registry's SQLite file by
 * default, PostgreSQL when HANJIAN_DATABASE_URL is set. Every method returns a Promise and speaks portable SQL
 * (sql.ts), so one implementation serves both engines. Row state changes are conditional
 * updates: whichever worker changes a row first wins, and a retried job changes nothing twice.
 */
import type {
  BatchMode,
  BatchRecord,
  BatchStatus,
  BatchStore,
  CallbackStatus,
  NewRow,
  RowCounts,
  RowProblem,
  RowRecord,
  RowRef,
  RowStatus,
} from '../../jobs/batches/batch-store.js';
import type { SqlClient, SqlValue } from './sql-client.js';

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toBatch(r: Row): BatchRecord {
  return {
    id: String(r.id),
    orgId: String(r.org_id),
    keyId: String(r.key_id),
    userId: str(r.user_id),
    scopes: r.scopes_json ? (JSON.parse(String(r.scopes_json)) as string[]) : null,
    mode: r.mode as BatchMode,
    status: r.status as BatchStatus,
    total: Number(r.total),
    idempotencyKey: str(r.idempotency_key),
    callbackUrl: str(r.callback_url),
    callbackStatus: r.callback_status as CallbackStatus,
    callbackAttempts: Number(r.callback_attempts),
    callbackNextAt: str(r.callback_next_at),
    callbackError: str(r.callback_error),
    createdAt: String(r.created_at),
    finishedAt: str(r.finished_at),
    subject: str(r.subject),
  };
}

function toRow(r: Row): RowRecord {
  return {
    batchId: String(r.batch_id),
    row: Number(r.row_no),
    status: r.status as RowStatus,
    contractNo: str(r.contract_no),
    inputJson: str(r.input_json),
    attempts: Number(r.attempts),
    letterId: str(r.letter_id),
    letterNo: str(r.letter_no),
    requestId: str(r.request_id),
    problem: r.error_json ? (JSON.parse(String(r.error_json)) as RowProblem) : null,
    finishedAt: str(r.finished_at),
  };
}

const INSERT_ROWS =
  'INSERT INTO batch_rows (batch_id, row_no, status, contract_no, input_json, attempts, claimed_until, letter_id, letter_no, request_id, error_json, finished_at) VALUES';
const ROW_VALUES = '(?, ?, ?, ?, ?, 0, NULL, NULL, NULL, ?, ?, ?)';

export class SqlBatchStore implements BatchStore {
  constructor(readonly sql: SqlClient) {}

  /** A new batch in state `receiving`; with an idempotency key already used by the organisation, that batch instead. */
  async create(
    b: Omit<
      BatchRecord,
      'status' | 'total' | 'callbackStatus' | 'callbackAttempts' | 'callbackNextAt' | 'callbackError' | 'finishedAt'
    >,
  ): Promise<{ batch: BatchRecord; created: boolean }> {
    if (b.idempotencyKey) {
      const existing = await this.byIdempotencyKey(b.orgId, b.idempotencyKey);
      if (existing) return { batch: existing, created: false };
    }
    const params: SqlValue[] = [
      b.id,
      b.orgId,
      b.keyId,
      b.userId,
      b.scopes ? JSON.stringify(b.scopes) : null,
      b.mode,
      b.idempotencyKey,
      b.callbackUrl,
      b.callbackUrl ? 'pending' : 'none',
      b.createdAt,
      b.subject,
    ];
    const added = await this.sql.run(
      `INSERT INTO batches (id, org_id, key_id, user_id, scopes_json, mode, status, total, idempotency_key, callback_url, callback_status, callback_attempts, callback_next_at, callback_error, created_at, finished_at, subject)
      VALUES (?, ?, ?, ?, ?, ?, 'receiving', 0, ?, ?, ?, 0, NULL, NULL, ?, NULL, ?) ON CONFLICT (org_id, idempotency_key) DO NOTHING`,
      params,
    );
    if (!added) return { batch: (await this.byIdempotencyKey(b.orgId, b.idempotencyKey!))!, created: false }; // a concurrent twin won
    return { batch: (await this.get(b.id))!, created: true };
  }

  private async byIdempotencyKey(orgId: string, key: string): Promise<BatchRecord | null> {
    const r = await this.sql.get<Row>('SELECT * FROM batches WHERE org_id = ? AND idempotency_key = ?', [orgId, key]);
    return r ? toBatch(r) : null;
  }

  async get(id: string): Promise<BatchRecord | null> {
    const r = await this.sql.get<Row>('SELECT * FROM batches WHERE id = ?', [id]);
    return r ? toBatch(r) : null;
  }

  async bySubject(subject: string): Promise<BatchRecord[]> {
    return (
      await this.sql.all<Row>("SELECT * FROM batches WHERE subject = ? AND status <> 'receiving' ORDER BY created_at", [
        subject,
      ])
    ).map(toBatch);
  }

  /** Rows as they are received; a row that failed on arrival (bad JSON, over the bounds) is stored failed, never queued. */
  async addRows(batchId: string, rows: NewRow[], now: string): Promise<void> {
    if (!rows.length) return;
    // One multi-row statement per call (the caller sends a few hundred rows at a time): on
    // PostgreSQL one round trip instead of one per row, which a 100,000-row body would feel.
    const values = rows.map(() => ROW_VALUES).join(', ');
    await this.sql.run(
      `${INSERT_ROWS} ${values}`,
      rows.flatMap((r) => [
        batchId,
        r.row,
        r.problem ? 'failed' : 'queued',
        r.contractNo,
        r.inputJson,
        r.requestId ?? null,
        r.problem ? JSON.stringify(r.problem) : null,
        r.problem ? now : null,
      ]),
    );
  }

  /** The body was read to its end: the rows may now be worked on. */
  async open(batchId: string, total: number): Promise<void> {
    await this.sql.run("UPDATE batches SET status = 'running', total = ? WHERE id = ? AND status = 'receiving'", [
      total,
      batchId,
    ]);
  }

  /** A batch whose body was refused or cut off: nothing of it remains. */
  async discard(batchId: string): Promise<void> {
    await this.sql.run('DELETE FROM batch_rows WHERE batch_id = ?', [batchId]);
    await this.sql.run('DELETE FROM batches WHERE id = ?', [batchId]);
  }

  /** Batches left `receiving` by a process that died while reading their body. */
  async discardStale(before: string): Promise<void> {
    const ids = await this.sql.all<{ id: string }>(
      "SELECT id FROM batches WHERE status = 'receiving' AND created_at < ?",
      [before],
    );
    for (const { id } of ids) await this.discard(id);
  }

  async counts(batchId: string): Promise<RowCounts> {
    const rows = await this.sql.all<{ status: RowStatus; n: unknown }>(
      'SELECT status, CAST(COUNT(*) AS INTEGER) AS n FROM batch_rows WHERE batch_id = ? GROUP BY status',
      [batchId],
    );
    const c: RowCounts = { queued: 0, done: 0, failed: 0 };
    for (const r of rows) c[r.status] = Number(r.n);
    return c;
  }

  async finishedSince(batchId: string, since: string): Promise<number> {
    const r = await this.sql.get<{ n: unknown }>(
      'SELECT CAST(COUNT(*) AS INTEGER) AS n FROM batch_rows WHERE batch_id = ? AND finished_at >= ?',
      [batchId, since],
    );
    return Number(r?.n ?? 0);
  }

  async row(ref: RowRef): Promise<RowRecord | null> {
    const r = await this.sql.get<Row>('SELECT * FROM batch_rows WHERE batch_id = ? AND row_no = ?', [
      ref.batchId,
      ref.row,
    ]);
    return r ? toRow(r) : null;
  }

  /** Rows of a batch in order, after a row number: the archive and the error list page through them. */
  async rows(batchId: string, after: number, limit: number, status?: RowStatus): Promise<RowRecord[]> {
    const rows = status
      ? await this.sql.all<Row>(
          'SELECT * FROM batch_rows WHERE batch_id = ? AND status = ? AND row_no > ? ORDER BY row_no LIMIT ?',
          [batchId, status, after, limit],
        )
      : await this.sql.all<Row>('SELECT * FROM batch_rows WHERE batch_id = ? AND row_no > ? ORDER BY row_no LIMIT ?', [
          batchId,
          after,
          limit,
        ]);
    return rows.map(toRow);
  }

  async queuedRows(batchId: string): Promise<number[]> {
    return (
      await this.sql.all<{ row_no: unknown }>(
        "SELECT row_no FROM batch_rows WHERE batch_id = ? AND status = 'queued' ORDER BY row_no",
        [batchId],
      )
    ).map((r) => Number(r.row_no));
  }

  async running(): Promise<BatchRecord[]> {
    return (await this.sql.all<Row>("SELECT * FROM batches WHERE status = 'running' ORDER BY created_at")).map(toBatch);
  }

  /**
   * The in-process queue takes rows here: queued rows of running batches whose claim has lapsed,
   * the workspace's first (a person is watching its progress page, and an own letter is dated
   * the day it was imported), then the oldest batch first. Each is claimed by a conditional
   * update until `until`.
   */
  async claim(limit: number, now: string, until: string): Promise<RowRef[]> {
    const candidates = await this.sql.all<{ batch_id: string; row_no: unknown }>(
      `SELECT r.batch_id, r.row_no FROM batch_rows r JOIN batches b ON b.id = r.batch_id
      WHERE r.status = 'queued' AND b.status = 'running' AND (r.claimed_until IS NULL OR r.claimed_until < ?) ORDER BY CASE WHEN b.subject IS NULL THEN 1 ELSE 0 END, b.created_at, r.batch_id, r.row_no LIMIT ?`,
      [now, limit],
    );
    const claimed: RowRef[] = [];
    for (const c of candidates) {
      const n = await this.sql.run(
        "UPDATE batch_rows SET claimed_until = ? WHERE batch_id = ? AND row_no = ? AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < ?)",
        [until, c.batch_id, Number(c.row_no), now],
      );
      if (n) claimed.push({ batchId: c.batch_id, row: Number(c.row_no) });
    }
    return claimed;
  }

  /** At start of the only process that works a SQLite queue: claims held by a process that died are void. */
  async releaseClaims(): Promise<void> {
    await this.sql.run(
      "UPDATE batch_rows SET claimed_until = NULL WHERE status = 'queued' AND claimed_until IS NOT NULL",
    );
  }

  /** The attempt about to be made (counted before it runs, so a row that kills its worker still runs out of attempts). */
  async attempt(ref: RowRef): Promise<number> {
    await this.sql.run(
      "UPDATE batch_rows SET attempts = attempts + 1 WHERE batch_id = ? AND row_no = ? AND status = 'queued'",
      [ref.batchId, ref.row],
    );
    return (await this.row(ref))?.attempts ?? 0;
  }

  /** True for the one call that moved the row out of `queued`. The stored input goes: the letter or request keeps its own. */
  async complete(
    ref: RowRef,
    result: { letterId?: string; letterNo?: string; requestId?: string },
    now: string,
  ): Promise<boolean> {
    return (
      (await this.sql.run(
        "UPDATE batch_rows SET status = 'done', letter_id = ?, letter_no = ?, request_id = ?, input_json = NULL, claimed_until = NULL, finished_at = ? WHERE batch_id = ? AND row_no = ? AND status = 'queued'",
        [result.letterId ?? null, result.letterNo ?? null, result.requestId ?? null, now, ref.batchId, ref.row],
      )) === 1
    );
  }

  async fail(ref: RowRef, problem: RowProblem, now: string): Promise<boolean> {
    return (
      (await this.sql.run(
        "UPDATE batch_rows SET status = 'failed', error_json = ?, input_json = NULL, claimed_until = NULL, finished_at = ? WHERE batch_id = ? AND row_no = ? AND status = 'queued'",
        [JSON.stringify(problem), now, ref.batchId, ref.row],
      )) === 1
    );
  }

  /** A passing failure (a busy registry): the row waits until `until` before it is taken again. */
  async retryAt(ref: RowRef, until: string): Promise<void> {
    await this.sql.run(
      "UPDATE batch_rows SET claimed_until = ? WHERE batch_id = ? AND row_no = ? AND status = 'queued'",
      [until, ref.batchId, ref.row],
    );
  }

  /** True for the one call that found the last row finished and closed the batch. */
  async finishIfDone(batchId: string, now: string): Promise<boolean> {
    // Whether any row is left, not how many: every settled row asks, and counting a 100,000-row batch's queue each time would cost O(rows²).
    if (
      await this.sql.get("SELECT 1 AS left_over FROM batch_rows WHERE batch_id = ? AND status = 'queued' LIMIT 1", [
        batchId,
      ])
    )
      return false;
    return (
      (await this.sql.run(
        "UPDATE batches SET status = 'finished', finished_at = ?, callback_next_at = CASE WHEN callback_status = 'pending' THEN ? ELSE callback_next_at END WHERE id = ? AND status = 'running'",
        [now, now, batchId],
      )) === 1
    );
  }

  /** Finished batches whose callback is due. */
  async dueCallbacks(now: string): Promise<BatchRecord[]> {
    return (
      await this.sql.all<Row>(
        "SELECT * FROM batches WHERE callback_status = 'pending' AND status = 'finished' AND callback_next_at <= ? ORDER BY callback_next_at LIMIT 20",
        [now],
      )
    ).map(toBatch);
  }

  /** Takes a due callback for one delivery attempt (until `until`); false when another worker took it. */
  async claimCallback(b: BatchRecord, until: string): Promise<boolean> {
    return (
      (await this.sql.run(
        "UPDATE batches SET callback_next_at = ? WHERE id = ? AND callback_status = 'pending' AND callback_next_at = ?",
        [until, b.id, b.callbackNextAt],
      )) === 1
    );
  }

  async recordCallback(
    id: string,
    r: { status: CallbackStatus; attempts: number; nextAt: string | null; error: string | null },
  ): Promise<void> {
    await this.sql.run(
      'UPDATE batches SET callback_status = ?, callback_attempts = ?, callback_next_at = ?, callback_error = ? WHERE id = ?',
      [r.status, r.attempts, r.nextAt, r.error, id],
    );
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
