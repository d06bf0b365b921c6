/** What the seals part needs from storage (store/sql/seals.ts): which image is in use and the ones it replaced. */
import type { Transactional } from '../shared/transactional.js';

export interface OrgSeal {
  id: string;
  orgId: string;
  sha256: string;
  width: number;
  height: number;
  size: number;
  uploadedBy: string;
  uploadedAt: string;
  replacedAt: string | null;
}

export interface SealStore extends Transactional {
  current(orgId: string): Promise<OrgSeal | null>;
  /** Newest first. */
  history(orgId: string, limit: number): Promise<OrgSeal[]>;
  /** Marks the organisation's seal in use as replaced (at `at`) and inserts the new one. */
  replace(seal: OrgSeal): Promise<void>;
}
