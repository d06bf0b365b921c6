/**
 * What the letters part needs from storage (store/sql/letters.ts implements it over SQLite or
 * PostgreSQL). Tenancy is enforced by the part above this interface: the store answers what it
 * is asked.
 */

import type { Transactional } from '../shared/transactional.js';
import type { LetterSignature } from '../signing/signature.js';

export type { LetterSignature, SignatureTimestamp } from '../signing/signature.js';

export interface LetterRecord {
  id: string;
  number: string;
  series: string;
  year: number;
  seq: number;
  kind: string;
  template: string;
  sender: string;
  issueDate: string;
  /** The stored input, encrypted with the data key; null once purged. */
  inputJson: string | null;
  inputSha256: string;
  pdfSha256: string;
  pdfSize: number;
  verifyCode: string;
  verifyUrl: string;
  debtorMasked: string;
  totalFen: number;
  requester: string;
  idempotencyKey: string | null;
  createdAt: string;
  /** The issuing organisation (the firm for a lawyer's letter) and the creditor it acts for. */
  orgId: string;
  clientOrgId: string;
  contractNo: string | null;
  status: 'issued' | 'void';
  voidedOn: string | null;
  voidReason: string | null;
  sealSha256: string | null;
  requestId: string | null;
  purgedAt: string | null;
  /** The layout engine version that set the PDF (letters.ts LAYOUT_ENGINE_VERSION). */
  engine: number;
  /** A signed letter: the sha256 of the render before signing (a byte prefix of the stored file), and the signer's certificate. */
  signature: LetterSignature | null;
}

export interface LetterFilter {
  /** The caller's organisation: letters it issued or that were issued for it. */
  orgId: string;
  contractNo?: string;
  status?: 'issued' | 'void';
  from?: string;
  to?: string;
  /** Opaque: the createdAt and id of the last letter of the previous page. */
  after?: { createdAt: string; id: string };
  limit: number;
}

export interface IssueTx {
  /** The next sequence number of a series in a year: one more than the highest committed, or the register's next number. */
  nextSeq(series: string, year: number, registerNext?: number): Promise<number>;
  insert(record: LetterRecord): Promise<void>;
  findByIdempotencyKey(orgId: string, key: string): Promise<LetterRecord | null>;
}

export interface LetterStore extends Transactional {
  /**
   * Runs `fn` holding the issuing lock in one transaction: committed if it resolves, rolled
   * back (and no number used) if it throws.
   */
  issueTransaction<T>(fn: (tx: IssueTx) => Promise<T>): Promise<T>;
  findById(id: string): Promise<LetterRecord | null>;
  findByIdempotencyKey(orgId: string, key: string): Promise<LetterRecord | null>;
  findByNumber(number: string): Promise<LetterRecord[]>;
  findByPdfSha256(sha: string): Promise<LetterRecord | null>;
  /** Issued (not void) letters for a creditor's contract, oldest first. */
  forContract(clientOrgId: string, contractNo: string): Promise<LetterRecord[]>;
  list(filter: LetterFilter): Promise<LetterRecord[]>;
  /** Removes stored inputs of letters issued before `date`; returns how many. */
  purgeBefore(date: string, at: string): Promise<string[]>;
  all(): AsyncIterable<LetterRecord>;
  /** Voids an issued letter; false when it was not (or no longer) issued. */
  markVoid(id: string, on: string, reason: string): Promise<boolean>;
  /** The highest number a series used in a year (0 when none). */
  maxSeq(series: string, year: number): Promise<number>;
  /** Letters the default organisation issued in a series (the keyless trial before an organisation was registered). */
  countDefaultLetters(series: string): Promise<number>;
  /**
   * Moves the default organisation's letters of a series to a newly registered organisation —
   * for a creditor also as the client, with the debtor's responses and plans on them. Inside
   * the registration's transaction.
   */
  adoptDefaultLetters(series: string, orgId: string, asCreditor: boolean): Promise<void>;
}
