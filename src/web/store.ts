/**
 * The workspace's own tables: import batches and the drafts a reviewer opened, in portable SQL through the registry's database interface (SQLite or PostgreSQL).
 */
import type { Db, Row } from '../store/db.js';

export interface BatchRow {
  id: string;
  orgId: string;
  engagementId: string | null;
  fileName: string;
  createdBy: string;
  rowsTotal: number;
  rowsAccepted: number;
  resultSealed: string;
  createdAt: string;
}

export interface WebStore {
  addBatch(b: BatchRow, requests: { requestId: string; rowNo: number }[]): Promise<void>;
  /** By id only: the caller checks that the user's organisation is a party to it. */
  batch(id: string): Promise<BatchRow | null>;
  batches(orgIds: string[], limit: number): Promise<BatchRow[]>;
  /** Request id → batch id and row, for the given requests. */
  batchOf(requestIds: string[]): Promise<Map<string, { batchId: string; rowNo: number }>>;
  requestsOf(batchId: string): Promise<{ requestId: string; rowNo: number }[]>;
  markOpened(requestId: string, userId: string, at: string): Promise<boolean>;
  openedBy(userId: string, requestIds: string[]): Promise<Set<string>>;
}

const toBatch = (r: Row): BatchRow => ({
  id: r.id as string,
  orgId: r.org_id as string,
  engagementId: (r.engagement_id as string | null) ?? null,
  fileName: r.file_name as string,
  createdBy: r.created_by as string,
  rowsTotal: r.rows_total as number,
  rowsAccepted: r.rows_accepted as number,
  resultSealed: r.result_sealed as string,
  createdAt: r.created_at as string,
});
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export class DbWebStore implements WebStore {
  constructor(private db: Db) {}

  async addBatch(b: BatchRow, requests: { requestId: string; rowNo: number }[]): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.run(
        'INSERT INTO import_batches (id, org_id, engagement_id, file_name, created_by, rows_total, rows_accepted, result_sealed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          b.id,
          b.orgId,
          b.engagementId,
          b.fileName,
          b.createdBy,
          b.rowsTotal,
          b.rowsAccepted,
          b.resultSealed,
          b.createdAt,
        ],
      );
      for (const r of requests)
        await this.db.run('INSERT INTO import_batch_requests (batch_id, request_id, row_no) VALUES (?, ?, ?)', [
          b.id,
          r.requestId,
          r.rowNo,
        ]);
    });
  }

  async batch(id: string): Promise<BatchRow | null> {
    const r = await this.db.get('SELECT * FROM import_batches WHERE id = ?', [id]);
    return r ? toBatch(r) : null;
  }

  async batches(orgIds: string[], limit: number): Promise<BatchRow[]> {
    if (!orgIds.length) return [];
    return (
      await this.db.all(
        `SELECT * FROM import_batches WHERE org_id IN (${marks(orgIds.length)}) ORDER BY created_at DESC LIMIT ?`,
        [...orgIds, limit],
      )
    ).map(toBatch);
  }

  async batchOf(requestIds: string[]): Promise<Map<string, { batchId: string; rowNo: number }>> {
    const out = new Map<string, { batchId: string; rowNo: number }>();
    for (let i = 0; i < requestIds.length; i += 500) {
      const ids = requestIds.slice(i, i + 500);
      for (const r of await this.db.all(
        `SELECT batch_id, request_id, row_no FROM import_batch_requests WHERE request_id IN (${marks(ids.length)})`,
        ids,
      )) {
        out.set(r.request_id as string, { batchId: r.batch_id as string, rowNo: r.row_no as number });
      }
    }
    return out;
  }

  async requestsOf(batchId: string): Promise<{ requestId: string; rowNo: number }[]> {
    return (
      await this.db.all('SELECT request_id, row_no FROM import_batch_requests WHERE batch_id = ? ORDER BY row_no', [
        batchId,
      ])
    ).map((r) => ({ requestId: r.request_id as string, rowNo: r.row_no as number }));
  }

  async markOpened(requestId: string, userId: string, at: string): Promise<boolean> {
    return (
      (
        await this.db.run(
          'INSERT INTO review_opens (request_id, user_id, opened_at) VALUES (?, ?, ?) ON CONFLICT (request_id, user_id) DO NOTHING',
          [requestId, userId, at],
        )
      ).changes > 0
    );
  }

  async openedBy(userId: string, requestIds: string[]): Promise<Set<string>> {
    if (!requestIds.length) return new Set();
    const ids = requestIds.slice(0, 900);
    const rows = await this.db.all(
      `SELECT request_id FROM review_opens WHERE user_id = ? AND request_id IN (${marks(ids.length)})`,
      [userId, ...ids],
    );
    return new Set(rows.map((r) => r.request_id as string));
  }
}
