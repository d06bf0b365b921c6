/**
 * Where the registry keeps bytes — issued PDFs, seal images, proof files — content-addressed by
 * sha256 and checked against it on every read. SQLite keeps them as files beside the database
 * (files.ts); PostgreSQL keeps them in its `blobs` table, so any instance serves any letter, and
 * a blob written inside the issuing transaction disappears with it if the issue rolls back.
 */
import { createHash } from 'node:crypto';
import type { BlobKind, BlobStore } from '../shared/blobs.js';
import { HanjianError } from '../shared/errors.js';
import { decryptWith, encryptedKind, encryptWith } from './blob-cipher.js';
import type { Db } from './db.js';
import type { PdfFiles } from './files.js';

export type { BlobStore } from '../shared/blobs.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const missing = () =>
  new HanjianError({
    code: 'STORED_PDF_MISSING',
    category: 'internal',
    zh: '已出具函件的 PDF 文件缺失',
    en: 'the stored PDF of an issued letter is missing',
  });
const corrupt = () =>
  new HanjianError({
    code: 'STORED_PDF_CORRUPT',
    category: 'internal',
    zh: '已出具函件的 PDF 与登记的哈希不符（可能被篡改）',
    en: 'the stored PDF does not match its recorded sha256 (possibly tampered with)',
  });

/** The blob key, loaded once (store/blob-cipher.ts); none: bytes are stored as they are. */
class Keyed {
  private load: (() => Promise<Buffer>) | null = null;
  private key: Promise<Buffer> | null = null;
  /** Encrypts what is written from now on under the registry's blob key (set once the data key is known). */
  useKey(load: () => Promise<Buffer>): void {
    this.load = load;
    this.key = null;
  }
  /** Loads the key now (PostgreSQL: at ready(), outside any transaction, so it is committed before anything is encrypted with it). */
  async loadKey(): Promise<void> {
    await this.keyFor('letters');
  }
  protected async keyFor(kind: string): Promise<Buffer | null> {
    if (!this.load || !encryptedKind(kind)) return null;
    this.key ??= this.load().catch((e) => {
      this.key = null;
      throw e;
    });
    return this.key;
  }
}

/** The files beside a SQLite database. */
export class FileBlobStore extends Keyed implements BlobStore {
  constructor(readonly files: PdfFiles) {
    super();
  }
  async write(sha: string, pdf: Buffer) {
    const key = await this.keyFor('letters');
    return { created: this.files.write(sha, key ? encryptWith(key, pdf) : pdf).created };
  }
  async read(sha: string) {
    const key = await this.keyFor('letters');
    return this.files.read(sha, (b) => decryptWith(key, b));
  }
  async remove(sha: string) {
    this.files.remove(sha);
  }
  async writeBlob(kind: BlobKind, sha: string, bytes: Buffer, ext: string) {
    const key = await this.keyFor(kind);
    this.files.writeBlob(kind, sha, key ? encryptWith(key, bytes) : bytes, ext);
  }
  async readBlob(kind: BlobKind, sha: string, ext: string) {
    const key = await this.keyFor('letters'); // any kind may have been encrypted when written
    return this.files.readBlob(kind, sha, ext, (b) => decryptWith(key, b));
  }
  async shred(kind: BlobKind, sha: string, ext: string) {
    return this.files.shred(kind, sha, ext);
  }
  pathOf(sha: string) {
    return this.files.pathOf(sha);
  }
}

/** The `blobs` table of a PostgreSQL database. */
export class DbBlobStore extends Keyed implements BlobStore {
  constructor(private db: Db) {
    super();
  }

  async write(sha: string, pdf: Buffer) {
    await this.writeBlob('letters', sha, pdf, 'pdf');
    return { created: false }; // inside the issuing transaction: a rollback removes it
  }
  async read(sha: string) {
    const bytes = await this.readBlob('letters', sha, 'pdf', true);
    if (!bytes) throw missing();
    return bytes;
  }
  async remove() {
    /* the write was part of the transaction that rolled back */
  }
  async writeBlob(kind: BlobKind, sha: string, bytes: Buffer, ext: string) {
    const key = await this.keyFor(kind);
    const stored = key ? encryptWith(key, bytes) : bytes;
    await this.db.run(
      'INSERT INTO blobs (sha256, kind, ext, size, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
      [sha, kind, ext, bytes.length, stored, new Date().toISOString()],
    );
  }
  /** By content: the same bytes stored as a letter and as a proof are one row (`kind` says what wrote it first). */
  async readBlob(_kind: string, sha: string, ext: string, strict = false) {
    const r = await this.db.get<{ bytes: Buffer }>('SELECT bytes FROM blobs WHERE sha256 = ? AND ext = ?', [sha, ext]);
    if (!r) return null;
    const plain = decryptWith(await this.keyFor('letters'), r.bytes);
    if (plain && sha256(plain) === sha) return plain;
    if (strict) throw corrupt();
    return null;
  }
  async shred(_kind: BlobKind, sha: string, ext: string) {
    return (await this.db.run('DELETE FROM blobs WHERE sha256 = ? AND ext = ?', [sha, ext])).changes > 0;
  }
  pathOf() {
    return null;
  }
}
