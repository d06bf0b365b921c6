/**
 * What the lawyer's review needs from storage (store/sql/requests.ts): the letter_requests
 * table. The requested letter is kept encrypted like an issued letter's input.
 */
import type { Transactional } from '../shared/transactional.js';

export interface RequestRow {
  id: string;
  creditorOrgId: string;
  engagementId: string | null;
  kind: string;
  contractNo: string;
  status: 'pending_review' | 'issued' | 'rejected';
  inputJson: string | null;
  inputSha256: string;
  requestedBy: string;
  overrideReason: string | null;
  policyReasons: string[];
  decidedBy: string | null;
  decisionReason: string | null;
  letterId: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  updatedAt: string;
  debtorMasked: string;
  total: string;
  /** The issued letter's number, once approved (read with the row). */
  letterNumber?: string | null;
}

export interface RequestStore extends Transactional {
  insert(r: RequestRow): Promise<void>;
  byId(id: string): Promise<RequestRow | null>;
  byIdempotencyKey(orgId: string, key: string): Promise<RequestRow | null>;
  pendingFor(orgId: string, contractNo: string, kind: string): Promise<boolean>;
  /** The creditor's own requests, and those under engagements where the caller is the firm. */
  list(orgId: string, firmEngagements: string[], status?: RequestRow['status']): Promise<RequestRow[]>;
  decide(
    id: string,
    status: RequestRow['status'],
    by: string,
    reason: string | null,
    letterId: string | null,
  ): Promise<void>;
}
