/**
 * The workspace's own tables: import batches, the drafts a reviewer opened, each client's column
 * mapping and the uploads waiting for it, in portable SQL through the registry's database
 * interface (SQLite or PostgreSQL).
 */
import { randomUUID } from 'node:crypto';
import type { Db, Row } from '../store/db.js';

export interface BatchRow {
  id: string;
  orgId: string;
  engagementId: string | null;
  fileName: string;
  createdBy: string;
  rowsTotal: number;
  rowsAccepted: number;
  resultEncrypted: string;
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
  /** The organisation's saved decisions for a client's unknown headers: header key → field path or 'ignore'. */
  columnMapping(orgId: string, clientOrgId: string): Promise<Map<string, string>>;
  saveColumnMapping(
    orgId: string,
    clientOrgId: string,
    decisions: { key: string; target: string }[],
    by: string,
    at: string,
  ): Promise<void>;
  /** An upload waiting for its column mapping; uploads older than `expireBefore` are removed. */
  addUpload(u: UploadRow, expireBefore: string): Promise<void>;
  upload(id: string): Promise<UploadRow | null>;
  removeUpload(id: string): Promise<void>;
}

export interface UploadRow {
  id: string;
  orgId: string;
  userId: string;
  uploadEncrypted: string;
  createdAt: string;
}

const toBatch = (r: Row): BatchRow => ({
  id: r.id as string,
  orgId: r.org_id as string,
  engagementId: (r.engagement_id as string | null) ?? null,
  fileName: r.file_name as string,
  createdBy: r.created_by as string,
  rowsTotal: r.rows_total as number,
  rowsAccepted: r.rows_accepted as number,
  resultEncrypted: r.result_encrypted as string,
  createdAt: r.created_at as string,
});
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export class DbWebStore implements WebStore {
  constructor(private db: Db) {}

  async addBatch(b: BatchRow, requests: { requestId: string; rowNo: number }[]): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.run(
        'INSERT INTO import_batches (id, org_id, engagement_id, file_name, created_by, rows_total, rows_accepted, result_encrypted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          b.id,
          b.orgId,
          b.engagementId,
          b.fileName,
          b.createdBy,
          b.rowsTotal,
          b.rowsAccepted,
          b.resultEncrypted,
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

  async columnMapping(orgId: string, clientOrgId: string): Promise<Map<string, string>> {
    const rows = await this.db.all(
      'SELECT header, target FROM column_mappings WHERE org_id = ? AND client_org_id = ? ORDER BY header',
      [orgId, clientOrgId],
    );
    return new Map(rows.map((r) => [r.header as string, r.target as string]));
  }

  async saveColumnMapping(
    orgId: string,
    clientOrgId: string,
    decisions: { key: string; target: string }[],
    by: string,
    at: string,
  ): Promise<void> {
    await this.db.transaction(async () => {
      for (const d of decisions)
        await this.db.run(
          `INSERT INTO column_mappings (id, org_id, client_org_id, header, target, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (org_id, client_org_id, header) DO UPDATE SET target = excluded.target, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [randomUUID(), orgId, clientOrgId, d.key, d.target, at, by],
        );
    });
  }

  async addUpload(u: UploadRow, expireBefore: string): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.run('DELETE FROM import_uploads WHERE created_at < ?', [expireBefore]);
      await this.db.run(
        'INSERT INTO import_uploads (id, org_id, user_id, upload_encrypted, created_at) VALUES (?, ?, ?, ?, ?)',
        [u.id, u.orgId, u.userId, u.uploadEncrypted, u.createdAt],
      );
    });
  }

  async upload(id: string): Promise<UploadRow | null> {
    const r = await this.db.get('SELECT * FROM import_uploads WHERE id = ?', [id]);
    return r
      ? {
          id: r.id as string,
          orgId: r.org_id as string,
          userId: r.user_id as string,
          uploadEncrypted: r.upload_encrypted as string,
          createdAt: r.created_at as string,
        }
      : null;
  }

  async removeUpload(id: string): Promise<void> {
    await this.db.run('DELETE FROM import_uploads WHERE id = ?', [id]);
  }
}
