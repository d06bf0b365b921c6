/** Content-addressed PDF storage beside the database: letters/<sha256 prefix>/<sha256>.pdf. */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { HanjianError } from '../errors.js';

export class PdfFiles {
  constructor(private root: string) {}

  pathOf(sha: string): string {
    return join(this.root, sha.slice(0, 2), `${sha}.pdf`);
  }

  /** Durable write (fsync, then rename): the file exists whole before the record that names it commits. */
  write(sha: string, pdf: Buffer): { path: string; created: boolean } {
    const path = this.pathOf(sha);
    if (existsSync(path)) return { path, created: false };
    mkdirSync(join(this.root, sha.slice(0, 2)), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, pdf);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    return { path, created: true };
  }

  remove(sha: string): void {
    rmSync(this.pathOf(sha), { force: true });
  }

  /** The stored bytes, checked against their name: a mismatch is an error, never served. */
  read(sha: string): Buffer {
    const path = this.pathOf(sha);
    if (!existsSync(path)) {
      throw new HanjianError({ code: 'STORED_PDF_MISSING', category: 'internal', zh: '已出具函件的 PDF 文件缺失', en: 'the stored PDF of an issued letter is missing' });
    }
    const bytes = readFileSync(path);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha) {
      throw new HanjianError({ code: 'STORED_PDF_CORRUPT', category: 'internal', zh: '已出具函件的 PDF 与登记的哈希不符（可能被篡改）', en: 'the stored PDF does not match its recorded sha256 (possibly tampered with)' });
    }
    return bytes;
  }
}
