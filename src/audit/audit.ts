/**
 * The audit trail: append-only rows, each holding the hash of the row before it, so that a
 * changed, removed or inserted row breaks the chain from that point on. Details never hold
 * personal data (no names, ID or phone numbers): ids, numbers, reasons, hashes.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';

export interface AuditEntry {
  orgId: string | null;
  actor: string;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}
export interface AuditRow {
  seq: number;
  at: string;
  orgId: string | null;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

function hashOf(r: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([r.seq, r.at, r.orgId, r.actor, r.action, r.subject, r.details, r.prevHash]))
    .digest('hex');
}

const COLUMNS = 'seq, at, org_id, actor, action, subject, details, prev_hash, hash';
type Stored = {
  seq: number;
  at: string;
  org_id: string | null;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
};
const toAuditRow = (r: Stored): AuditRow => ({
  seq: r.seq,
  at: r.at,
  orgId: r.org_id,
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export class AuditLog {
  constructor(private db: Db) {}

  /**
   * Appends one row. Call inside the transaction of the change it records, so both commit or
   * neither; alone, it is its own transaction. The chain is locked first, so two instances never
   * link to the same row.
   */
  append(e: AuditEntry, at = new Date().toISOString()): Promise<AuditRow> {
    return this.db.transaction(async () => {
      await this.db.lock('audit');
      const last = await this.db.get<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1',
      );
      const row = {
        seq: (last?.seq ?? 0) + 1,
        at,
        orgId: e.orgId,
        actor: e.actor,
        action: e.action,
        subject: e.subject ?? null,
        details: JSON.stringify(e.details ?? {}),
        prevHash: last?.hash ?? GENESIS,
      };
      const full: AuditRow = { ...row, hash: hashOf(row) };
      await this.db.run(`INSERT INTO audit (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        full.seq,
        full.at,
        full.orgId,
        full.actor,
        full.action,
        full.subject,
        full.details,
        full.prevHash,
        full.hash,
      ]);
      return full;
    });
  }

  async rows(filter: { orgId?: string; subject?: string } = {}): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.orgId) {
      where.push('org_id = ?');
      params.push(filter.orgId);
    }
    if (filter.subject) {
      where.push('subject = ?');
      params.push(filter.subject);
    }
    const sql = `SELECT ${COLUMNS} FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    return (await this.db.all<Stored>(sql, params)).map(toAuditRow);
  }

  /** Walks the whole chain; the first row whose hash or link is wrong, or null if it is intact. */
  async verify(): Promise<{ rows: number; broken: { seq: number; problem: string } | null }> {
    let prev = GENESIS;
    let expectSeq = 1;
    let n = 0;
    for (const r of await this.rows()) {
      n++;
      if (r.seq !== expectSeq) return { rows: n, broken: { seq: r.seq, problem: `row ${expectSeq} is missing` } };
      if (r.prevHash !== prev)
        return { rows: n, broken: { seq: r.seq, problem: 'does not link to the row before it' } };
      if (hashOf(r) !== r.hash)
        return { rows: n, broken: { seq: r.seq, problem: 'its content does not match its hash (altered)' } };
      prev = r.hash;
      expectSeq++;
    }
    return { rows: n, broken: null };
  }
}
