/** What plan acceptance codes need from storage (store/sql/plan-codes.ts): one row per code sent. */
import type { Transactional } from '../shared/transactional.js';

export type PlanCodeStatus = 'sending' | 'sent' | 'failed' | 'used';

export interface PlanCodeRow {
  id: string;
  letterId: string;
  /** The offer the code was sent for (debtors.ts `offerSha256`): the chosen option of this letter. */
  offerSha256: string;
  terms: number;
  /** HMAC-SHA256 of the code under a key derived from the data key; the code itself is never stored. */
  codeHash: string;
  /** The sender's name (file, log, aliyun) and the number it went to, masked (138****8000). */
  sender: string;
  toMasked: string;
  /** The provider's id of the message, once sent. */
  messageId: string | null;
  status: PlanCodeStatus;
  createdAt: string;
  sentAt: string | null;
  expiresAt: string;
  /** Wrong codes entered against it. */
  attempts: number;
  usedAt: string | null;
}

export interface PlanCodeStore extends Transactional {
  /**
   * Inside a transaction: the letter's codes created since `since`, newest first, holding the
   * letter's lock until the transaction ends (so two sends at once count each other).
   */
  recentLocked(letterId: string, since: string): Promise<PlanCodeRow[]>;
  insert(r: PlanCodeRow): Promise<void>;
  markSent(id: string, sentAt: string, messageId: string): Promise<void>;
  markFailed(id: string): Promise<void>;
  /** The letter's latest code that was sent (used or not); a failed or unsent one does not count. */
  latestSent(letterId: string): Promise<PlanCodeRow | null>;
  /** Counts one wrong code against it; returns the attempts after this one. */
  addAttempt(id: string): Promise<number>;
  /** Marks a sent code used, unless it was used already or has `maxAttempts` wrong ones; false then. */
  use(id: string, at: string, maxAttempts: number): Promise<boolean>;
  byId(id: string): Promise<PlanCodeRow | null>;
}
