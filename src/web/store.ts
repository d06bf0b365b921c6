/**
 * The workspace's own tables: sign-in sessions, import batches and the drafts a reviewer
 * opened. An interface of Promises with portable SQL, so a PostgreSQL store can sit beside
 * this SQLite one.
 */
import type Database from 'better-sqlite3';

export interface SessionRow { tokenSha256: string; userId: string; csrf: string; createdAt: string; expiresAt: string }
export interface BatchRow { id: string; orgId: string; engagementId: string | null; fileName: string; createdBy: string; rowsTotal: number; rowsAccepted: number; resultSealed: string; createdAt: string }

export interface WebStore {
  addSession(s: SessionRow): Promise<void>;
  session(tokenSha256: string, now: string): Promise<SessionRow | null>;
  dropSession(tokenSha256: string): Promise<void>;
  /** Every session of a user (a password change, a removed user). */
  dropSessionsOf(userId: string): Promise<void>;
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

type Row = Record<string, unknown>;
const toBatch = (r: Row): BatchRow => ({
  id: r.id as string, orgId: r.org_id as string, engagementId: (r.engagement_id as string | null) ?? null, fileName: r.file_name as string, createdBy: r.created_by as string,
  rowsTotal: r.rows_total as number, rowsAccepted: r.rows_accepted as number, resultSealed: r.result_sealed as string, createdAt: r.created_at as string,
});
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export class SqliteWebStore implements WebStore {
  constructor(private db: Database.Database) {}

  async addSession(s: SessionRow): Promise<void> {
    this.db.prepare('INSERT INTO web_sessions (token_sha256, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(s.tokenSha256, s.userId, s.csrf, s.createdAt, s.expiresAt);
    // Expired sessions are cleared as new ones are made: the table holds only live ones (and a few stale).
    this.db.prepare('DELETE FROM web_sessions WHERE expires_at < ?').run(s.createdAt);
  }

  async session(tokenSha256: string, now: string): Promise<SessionRow | null> {
    const r = this.db.prepare('SELECT * FROM web_sessions WHERE token_sha256 = ? AND expires_at > ?').get(tokenSha256, now) as Row | undefined;
    return r ? { tokenSha256: r.token_sha256 as string, userId: r.user_id as string, csrf: r.csrf as string, createdAt: r.created_at as string, expiresAt: r.expires_at as string } : null;
  }

  async dropSession(tokenSha256: string): Promise<void> {
    this.db.prepare('DELETE FROM web_sessions WHERE token_sha256 = ?').run(tokenSha256);
  }

  async dropSessionsOf(userId: string): Promise<void> {
    this.db.prepare('DELETE FROM web_sessions WHERE user_id = ?').run(userId);
  }

  async addBatch(b: BatchRow, requests: { requestId: string; rowNo: number }[]): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO import_batches (id, org_id, engagement_id, file_name, created_by, rows_total, rows_accepted, result_sealed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(b.id, b.orgId, b.engagementId, b.fileName, b.createdBy, b.rowsTotal, b.rowsAccepted, b.resultSealed, b.createdAt);
      const add = this.db.prepare('INSERT INTO import_batch_requests (batch_id, request_id, row_no) VALUES (?, ?, ?)');
      for (const r of requests) add.run(b.id, r.requestId, r.rowNo);
    }).immediate();
  }

  async batch(id: string): Promise<BatchRow | null> {
    const r = this.db.prepare('SELECT * FROM import_batches WHERE id = ?').get(id) as Row | undefined;
    return r ? toBatch(r) : null;
  }

  async batches(orgIds: string[], limit: number): Promise<BatchRow[]> {
    if (!orgIds.length) return [];
    return (this.db.prepare(`SELECT * FROM import_batches WHERE org_id IN (${marks(orgIds.length)}) ORDER BY created_at DESC LIMIT ?`).all(...orgIds, limit) as Row[]).map(toBatch);
  }

  async batchOf(requestIds: string[]): Promise<Map<string, { batchId: string; rowNo: number }>> {
    const out = new Map<string, { batchId: string; rowNo: number }>();
    for (let i = 0; i < requestIds.length; i += 500) {
      const ids = requestIds.slice(i, i + 500);
      for (const r of this.db.prepare(`SELECT batch_id, request_id, row_no FROM import_batch_requests WHERE request_id IN (${marks(ids.length)})`).all(...ids) as Row[]) {
        out.set(r.request_id as string, { batchId: r.batch_id as string, rowNo: r.row_no as number });
      }
    }
    return out;
  }

  async requestsOf(batchId: string): Promise<{ requestId: string; rowNo: number }[]> {
    return (this.db.prepare('SELECT request_id, row_no FROM import_batch_requests WHERE batch_id = ? ORDER BY row_no').all(batchId) as Row[]).map((r) => ({ requestId: r.request_id as string, rowNo: r.row_no as number }));
  }

  async markOpened(requestId: string, userId: string, at: string): Promise<boolean> {
    return this.db.prepare('INSERT INTO review_opens (request_id, user_id, opened_at) VALUES (?, ?, ?) ON CONFLICT (request_id, user_id) DO NOTHING').run(requestId, userId, at).changes > 0;
  }

  async openedBy(userId: string, requestIds: string[]): Promise<Set<string>> {
    if (!requestIds.length) return new Set();
    const rows = this.db.prepare(`SELECT request_id FROM review_opens WHERE user_id = ? AND request_id IN (${marks(requestIds.length)})`).all(userId, ...requestIds.slice(0, 900)) as Row[];
    return new Set(rows.map((r) => r.request_id as string));
  }
}
