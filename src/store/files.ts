/** Content-addressed PDF storage beside the database: letters/<sha256 prefix>/<sha256>.pdf. */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { HanjianError } from '../shared/errors.js';

export class PdfFiles {
  constructor(private root: string) {}

  pathOf(sha: string): string {
    return join(this.root, sha.slice(0, 2), `${sha}.pdf`);
  }

  /**
   * Durable write (fsync, then rename): the file exists whole before the record that names it
   * commits. A failure (full disk, read-only folder) removes the temporary file and says which
   * system error it was: STORAGE_UNAVAILABLE (503), so the caller may retry once it is fixed.
   */
  write(sha: string, pdf: Buffer, io: WriteIo = defaultIo): { path: string; created: boolean } {
    const path = this.pathOf(sha);
    if (existsSync(path)) return { path, created: false };
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    let fd: number | undefined;
    try {
      mkdirSync(join(this.root, sha.slice(0, 2)), { recursive: true });
      fd = openSync(tmp, 'w');
      io.write(fd, pdf);
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      renameSync(tmp, path);
    } catch (e) {
      if (fd !== undefined)
        try {
          closeSync(fd);
        } catch {
          /* already failing: the first error is the one to report */
        }
      try {
        rmSync(tmp, { force: true });
      } catch {
        /* the folder itself is unusable: nothing was written there */
      }
      throw storageUnavailable(e);
    }
    return { path, created: true };
  }

  /** Other content-addressed files beside the PDFs (seal images, proof files): <kind>/<sha>.<ext>, written once. */
  writeBlob(kind: string, sha: string, bytes: Buffer, ext: string): void {
    const path = join(this.root, '..', kind, `${sha}.${ext}`);
    if (existsSync(path)) return;
    mkdirSync(join(this.root, '..', kind), { recursive: true });
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
    } catch (e) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        /* the folder itself is unusable */
      }
      throw storageUnavailable(e);
    }
  }

  /** `open`: the stored bytes to their plaintext (null when they do not open), checked against the name after. */
  readBlob(kind: string, sha: string, ext: string, open: Opener = same): Buffer | null {
    const path = join(this.root, '..', kind, `${sha}.${ext}`);
    if (!existsSync(path)) return null;
    const bytes = open(readFileSync(path));
    return bytes && createHash('sha256').update(bytes).digest('hex') === sha ? bytes : null;
  }

  remove(sha: string): void {
    rmSync(this.pathOf(sha), { force: true });
  }

  /** Purge: the file overwritten with zeros (an older, unencrypted one held personal data in clear), then removed. */
  shred(kind: string, sha: string, ext: string): boolean {
    const path = kind === 'letters' ? this.pathOf(sha) : join(this.root, '..', kind, `${sha}.${ext}`);
    if (!existsSync(path)) return false;
    try {
      const size = statSync(path).size;
      const fd = openSync(path, 'r+');
      try {
        writeSync(fd, Buffer.alloc(size));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      rmSync(path, { force: true });
    } catch (e) {
      throw storageUnavailable(e);
    }
    return true;
  }

  /** The stored bytes, checked against their name: a mismatch is an error, never served. */
  read(sha: string, open: Opener = same): Buffer {
    const path = this.pathOf(sha);
    if (!existsSync(path)) {
      throw new HanjianError({
        code: 'STORED_PDF_MISSING',
        category: 'internal',
        zh: '已出具函件的 PDF 文件缺失',
        en: 'the stored PDF of an issued letter is missing',
      });
    }
    let stored: Buffer;
    try {
      stored = readFileSync(path);
    } catch (e) {
      throw storageUnavailable(e);
    }
    const bytes = open(stored);
    if (!bytes || createHash('sha256').update(bytes).digest('hex') !== sha) {
      throw new HanjianError({
        code: 'STORED_PDF_CORRUPT',
        category: 'internal',
        zh: '已出具函件的 PDF 与登记的哈希不符（可能被篡改）',
        en: 'the stored PDF does not match its recorded sha256 (possibly tampered with)',
      });
    }
    return bytes;
  }
}

/** Stored bytes to their plaintext, or null when they do not open (store/blob-cipher.ts). */
export type Opener = (stored: Buffer) => Buffer | null;
const same: Opener = (b) => b;

/** The one step tests replace to simulate a full disk: everything else is the real file system. */
export interface WriteIo {
  write(fd: number, bytes: Buffer): void;
}
/** writeSync may write less than asked (a nearly full disk writes what fits and returns): loop until all is written or it throws. */
const defaultIo: WriteIo = {
  write: (fd, bytes) => {
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
  },
};

function storageUnavailable(cause: unknown): HanjianError {
  const errno = (cause as NodeJS.ErrnoException)?.code ?? 'EIO';
  return new HanjianError({
    code: 'STORAGE_UNAVAILABLE',
    category: 'internal',
    cause,
    zh: `无法写入或读取函件文件（${errno}）`,
    en: `the letter files cannot be written or read (${errno})`,
  });
}
