/** What the audit trail needs from storage (store/sql/audit.ts implements it). */
import type { Transactional } from '../shared/transactional.js';

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

export interface AuditStore extends Transactional {
  /** Inside a transaction: holds the chain's lock until it ends, so two instances never link to the same row. */
  lockChain(): Promise<void>;
  last(): Promise<Pick<AuditRow, 'seq' | 'hash'> | null>;
  insert(row: AuditRow): Promise<void>;
  rows(filter: { orgId?: string; subject?: string }): Promise<AuditRow[]>;
  /** Inside a transaction: rewrites a row's links (the chain's re-keying). */
  relink(seq: number, prevHash: string, hash: string): Promise<void>;
  /** The chain's own facts (how it is keyed): registry_meta. */
  fact(name: string): Promise<string | null>;
  setFact(name: string, value: string): Promise<void>;
}
