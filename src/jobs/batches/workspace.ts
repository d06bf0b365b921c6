/**
 * What the workspace asks of the batches: its "tasks" — approving a whole import batch, issuing
 * a creditor's own letters from an import — are batches like any other, worked by the one batch
 * worker (rows.ts), with two differences: each names the import batch it works on (`subject`),
 * and each acts as the person who asked, with the rights they have at each row. The API never
 * shows them; the workspace reads them here.
 */
import type { BatchRecord, RowCounts, RowRecord } from './batch-store.js';

export interface WorkspaceUser {
  orgId: string;
  userId: string;
}

export interface WorkspaceJobSpec {
  /** Chosen by the caller when it must be known first (an import's result links to it). */
  id?: string;
  mode: 'approve' | 'issue';
  /** The import batch. */
  subject: string;
  /** `approve`: the request of each row. `issue`: the letter input, by spreadsheet row. */
  rows: { row: number; requestId?: string; input?: unknown }[];
}

export interface WorkspaceJobs {
  createForWorkspace(user: WorkspaceUser, job: WorkspaceJobSpec): Promise<BatchRecord>;
  /** The organisation's workspace batch, or null (another organisation's, an API batch, none). */
  workspaceBatch(id: string, orgId: string): Promise<BatchRecord | null>;
  /** The workspace's batches about one import batch, oldest first (every organisation's: filter by orgId). */
  workspaceBatches(subject: string): Promise<BatchRecord[]>;
  allRows(id: string): Promise<RowRecord[]>;
  counts(id: string): Promise<RowCounts>;
}
