/** The audit table (audit/audit-store.ts). */
import type { AuditRow, AuditStore } from '../../audit/audit-store.js';
import type { Db } from '../db.js';

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

export class SqlAuditStore implements AuditStore {
  constructor(private db: Db) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  lockChain(): Promise<void> {
    return this.db.lock('audit');
  }

  async last(): Promise<Pick<AuditRow, 'seq' | 'hash'> | null> {
    return (
      (await this.db.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')) ??
      null
    );
  }

  async insert(r: AuditRow): Promise<void> {
    await this.db.run(`INSERT INTO audit (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      r.seq,
      r.at,
      r.orgId,
      r.actor,
      r.action,
      r.subject,
      r.details,
      r.prevHash,
      r.hash,
    ]);
  }

  async rows(filter: { orgId?: string; subject?: string }): Promise<AuditRow[]> {
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
    return (await this.db.all<Stored>(sql, params)).map((r) => ({
      seq: r.seq,
      at: r.at,
      orgId: r.org_id,
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      details: r.details,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
  }

  async relink(seq: number, prevHash: string, hash: string): Promise<void> {
    await this.db.run('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?', [prevHash, hash, seq]);
  }

  async fact(name: string): Promise<string | null> {
    return (
      (await this.db.get<{ value: string }>('SELECT value FROM registry_meta WHERE key = ?', [name]))?.value ?? null
    );
  }

  async setFact(name: string, value: string): Promise<void> {
    await this.db.run('DELETE FROM registry_meta WHERE key = ?', [name]);
    await this.db.run('INSERT INTO registry_meta (key, value) VALUES (?, ?)', [name, value]);
  }
}
