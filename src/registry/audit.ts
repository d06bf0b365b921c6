/**
 * The audit trail: append-only rows, each holding the hash of the row before it, so that a
 * changed, removed or inserted row breaks the chain from that point on. Details never hold
 * personal data (no names, ID or phone numbers): ids, numbers, reasons, hashes.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

export interface AuditEntry { orgId: string | null; actor: string; action: string; subject?: string | null; details?: Record<string, unknown> }
export interface AuditRow { seq: number; at: string; orgId: string | null; actor: string; action: string; subject: string | null; details: string; prevHash: string; hash: string }

const GENESIS = '0'.repeat(64);

function hashOf(r: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256').update(JSON.stringify([r.seq, r.at, r.orgId, r.actor, r.action, r.subject, r.details, r.prevHash])).digest('hex');
}

export class AuditLog {
  constructor(private db: Database.Database) {}

  /** Appends one row. Call inside the transaction of the change it records, so both commit or neither. */
  append(e: AuditEntry, at = new Date().toISOString()): AuditRow {
    const last = this.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const row = { seq: (last?.seq ?? 0) + 1, at, orgId: e.orgId, actor: e.actor, action: e.action, subject: e.subject ?? null, details: JSON.stringify(e.details ?? {}), prevHash: last?.hash ?? GENESIS };
    const full: AuditRow = { ...row, hash: hashOf(row) };
    this.db.prepare('INSERT INTO audit (seq, at, org_id, actor, action, subject, details, prev_hash, hash) VALUES (@seq, @at, @orgId, @actor, @action, @subject, @details, @prevHash, @hash)').run(full);
    return full;
  }

  rows(filter: { orgId?: string; subject?: string } = {}): AuditRow[] {
    const where: string[] = [];
    if (filter.orgId) where.push('org_id = @orgId');
    if (filter.subject) where.push('subject = @subject');
    const sql = `SELECT seq, at, org_id orgId, actor, action, subject, details, prev_hash prevHash, hash FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    return this.db.prepare(sql).all(filter) as AuditRow[];
  }

  /** Walks the whole chain; the first row whose hash or link is wrong, or null if it is intact. */
  verify(): { rows: number; broken: { seq: number; problem: string } | null } {
    let prev = GENESIS;
    let expectSeq = 1;
    let n = 0;
    for (const r of this.db.prepare('SELECT seq, at, org_id orgId, actor, action, subject, details, prev_hash prevHash, hash FROM audit ORDER BY seq').iterate() as Iterable<AuditRow>) {
      n++;
      if (r.seq !== expectSeq) return { rows: n, broken: { seq: r.seq, problem: `row ${expectSeq} is missing` } };
      if (r.prevHash !== prev) return { rows: n, broken: { seq: r.seq, problem: 'does not link to the row before it' } };
      if (hashOf(r) !== r.hash) return { rows: n, broken: { seq: r.seq, problem: 'its content does not match its hash (altered)' } };
      prev = r.hash;
      expectSeq++;
    }
    return { rows: n, broken: null };
  }
}
