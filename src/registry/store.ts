/**
 * The registry's storage interface. SQLite (better-sqlite3) implements it today; a PostgreSQL
 * store can implement the same interface without touching callers.
 */
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
  inputJson: string;
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
  /** The layout engine version that set the PDF (letters.ts LAYOUT_ENGINE_VERSION). */
  engine: number;
}

export interface IssueTx {
  /** The next sequence number of a series in a year: one more than the highest committed. */
  nextSeq(series: string, year: number): Promise<number>;
  insert(record: LetterRecord): Promise<void>;
  findByIdempotencyKey(key: string): Promise<LetterRecord | null>;
}

export interface LetterStore {
  /**
   * Runs `fn` holding the issuing lock in one transaction: committed if it resolves, rolled
   * back (and no number used) if it throws.
   */
  issueTransaction<T>(fn: (tx: IssueTx) => Promise<T>): Promise<T>;
  findById(id: string): Promise<LetterRecord | null>;
  findByIdempotencyKey(key: string): Promise<LetterRecord | null>;
  findByNumber(number: string): Promise<LetterRecord[]>;
  findByPdfSha256(sha: string): Promise<LetterRecord | null>;
  all(): AsyncIterable<LetterRecord>;
  close(): Promise<void>;
}
