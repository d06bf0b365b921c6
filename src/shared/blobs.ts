/**
 * Where bytes are kept — issued PDFs, seal images, proof files — content-addressed by the
 * sha256 of their plaintext and checked against it on every read; PDFs and proofs are encrypted at
 * rest under the registry's blob key and opened transparently by `read`/`readBlob`. store/blobs.ts implements it: files beside a SQLite
 * database, or PostgreSQL's `blobs` table.
 */
export interface BlobStore {
  /** Stores an issued PDF; `created` says whether this call wrote it (false when it existed). */
  write(sha: string, pdf: Buffer): Promise<{ created: boolean }>;
  /** The stored PDF, checked against its name: missing or altered bytes are an error, never served. */
  read(sha: string): Promise<Buffer>;
  /** Undoes a write whose record did not commit. */
  remove(sha: string): Promise<void>;
  writeBlob(kind: BlobKind, sha: string, bytes: Buffer, ext: string): Promise<void>;
  readBlob(kind: BlobKind, sha: string, ext: string): Promise<Buffer | null>;
  /** Purge: the stored bytes destroyed (a file overwritten, then removed); whether there were any. */
  shred(kind: BlobKind, sha: string, ext: string): Promise<boolean>;
  /** Where a stored PDF can be opened on this machine, if it is a file (encrypted at rest: read it through `read`). */
  pathOf(sha: string): string | null;
}

/** The kinds of bytes kept beside the letters. */
export type BlobKind = 'letters' | 'seals' | 'proofs' | 'mandates';
