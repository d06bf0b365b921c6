/**
 * The audit trail: append-only rows, each holding the hash of the row before it, so that a
 * changed, removed or inserted row breaks the chain from that point on. Details never hold
 * personal data (no names, ID or phone numbers): ids, numbers, reasons, hashes. A part appends
 * inside the transaction of the change it records, so both commit or neither.
 */
import { createHash } from 'node:crypto';
import type { AuditAction } from './actions.js';
import type { AuditRow, AuditStore } from './audit-store.js';

export type { AuditRow } from './audit-store.js';

export interface AuditEntry {
  orgId: string | null;
  actor: string;
  action: AuditAction;
  subject?: string | null;
  details?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

function hashOf(r: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([r.seq, r.at, r.orgId, r.actor, r.action, r.subject, r.details, r.prevHash]))
    .digest('hex');
}

export class Audit {
  constructor(private store: AuditStore) {}

  /** Appends one row, joining the caller's transaction (alone, it is its own). */
  append(e: AuditEntry, at = new Date().toISOString()): Promise<AuditRow> {
    return this.store.transaction(async () => {
      await this.store.lockChain();
      const last = await this.store.last();
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
      await this.store.insert(full);
      return full;
    });
  }

  rows(filter: { orgId?: string; subject?: string } = {}): Promise<AuditRow[]> {
    return this.store.rows(filter);
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
