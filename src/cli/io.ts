/**
 * The CLI's I/O: how commands print (Out), how they read input files (bounded, UTF-8 checked,
 * a missing file named) and how they write (whole files or nothing, an unwritable target named).
 * Every failure here is the user's to fix, so it is a HanjianError that exits 1, never "internal".
 */
import {
  accessSync,
  closeSync,
  constants,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HanjianError } from '../shared/errors.js';
import { terminal } from './terminal.js';

export interface Out {
  line: (s: string) => void;
  warn: (s: string) => void;
  json: (v: unknown) => number;
  /** One JSON value on one line (JSON lines output), buffered: call flush() when done. */
  record: (v: unknown) => void;
  flush: () => void;
  help: (s: string) => number;
  columns: number;
  isTTY: boolean;
}

/** One letter's input is a few kilobytes; 8 MiB leaves room for any real letter and bounds a hostile one. */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

const displayName = (path: string) => (path === '-' ? '<stdin>' : path);

/** Why a path cannot be read, in words a user can act on. */
export function unreadable(path: string, e: unknown): HanjianError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const name = displayName(path);
  const [zh, en] =
    code === 'ENOENT'
      ? ['找不到输入文件', 'input file not found']
      : code === 'EISDIR'
        ? ['输入的是目录，不是文件', 'the input is a directory, not a file']
        : code === 'EACCES' || code === 'EPERM'
          ? ['没有读取输入文件的权限', 'permission denied reading the input file']
          : ['无法读取输入文件', `cannot read the input file (${code ?? (e as Error)?.message ?? e})`];
  return new HanjianError({ code: 'INPUT_UNREADABLE', category: 'invalid_input', path: name, zh, en });
}

/** Fails with the path (exit 1) when a file is missing, a directory or unreadable; "-" is stdin and always passes. */
export function checkReadable(path: string): void {
  if (path === '-') return;
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw unreadable(path, e);
  }
}

function tooLarge(path: string, limit: number): HanjianError {
  return new HanjianError({
    code: 'INPUT_TOO_LARGE',
    category: 'invalid_input',
    path: displayName(path),
    zh: `输入超过 ${limit} 字节上限`,
    en: `input larger than the ${limit}-byte limit`,
  });
}

/** The whole file (or stdin for "-"), refused as INPUT_TOO_LARGE past `limit` bytes without reading further. */
export function readBounded(path: string, limit: number): Buffer {
  const given = path === '-' ? terminal().stdinBytes : undefined;
  if (given) {
    if (given.length > limit) throw tooLarge(path, limit);
    return given;
  }
  const fd = path === '-' ? 0 : openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking stdin pipe: wait for more
        if ((e as NodeJS.ErrnoException).code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      total += n;
      if (total > limit) {
        throw tooLarge(path, limit);
      }
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Strict UTF-8: a byte-order mark is dropped (editors on Windows write one); anything else that
 * is not UTF-8 is refused rather than turned into U+FFFD, and where the bytes read as GB18030
 * (GBK, the usual Chinese legacy encoding) the message says so and how to convert.
 */
export function decodeUtf8(bytes: Uint8Array, source: string, line?: number): string {
  try {
    return UTF8.decode(bytes); // ignoreBOM: false → a leading BOM is consumed, not returned
  } catch {
    const where = line === undefined ? source : `${source}:${line}`;
    const gb = looksLikeGb18030(bytes);
    throw new HanjianError({
      code: 'NOT_UTF8',
      category: 'invalid_input',
      path: where,
      zh: `不是 UTF-8 编码${gb ? '（看起来是 GB18030/GBK，可用 iconv -f GB18030 -t UTF-8 转换）' : ''}`,
      en: `not UTF-8${gb ? ' (it reads as GB18030/GBK: convert it with iconv -f GB18030 -t UTF-8)' : ''}`,
    });
  }
}

const GB18030 = new TextDecoder('gb18030', { fatal: true });

/** True when the bytes decode as GB18030 and say something in Chinese (not just any byte soup). */
export function looksLikeGb18030(bytes: Uint8Array): boolean {
  try {
    const s = GB18030.decode(bytes);
    return /[\u4e00-\u9fff]/u.test(s);
  } catch {
    return false;
  }
}

export function readText(path: string): string {
  checkReadable(path);
  let bytes: Buffer;
  try {
    bytes = readBounded(path, MAX_INPUT_BYTES);
  } catch (e) {
    if (e instanceof HanjianError) throw e;
    throw unreadable(path, e);
  }
  return decodeUtf8(bytes, displayName(path));
}

export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HanjianError({
      code: 'JSON_MALFORMED',
      category: 'invalid_input',
      path: source,
      zh: `JSON 格式错误：${(e as Error).message}`,
      en: `malformed JSON: ${(e as Error).message}`,
    });
  }
}

export const readJson = (path: string): unknown => parseJson(readText(path), displayName(path));

/** Why a path cannot be written, naming it: the user fixes the path or the permissions (exit 1). */
export function unwritable(path: string, e: unknown): HanjianError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOENT'
      ? ['所在目录不存在', 'its folder does not exist']
      : code === 'EISDIR'
        ? ['这是一个目录', 'it is a directory']
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? ['没有写入权限', `permission denied (${code})`]
          : code === 'ENOSPC'
            ? ['磁盘已满', 'no space left on the device (ENOSPC)']
            : code === 'ENOTDIR'
              ? ['路径中有一段不是目录', 'a part of the path is not a folder']
              : ['无法写入', `cannot write it (${code ?? (e as Error)?.message ?? e})`];
  return new HanjianError({
    code: 'OUTPUT_UNWRITABLE',
    category: 'invalid_input',
    path,
    zh: `无法写入输出文件：${why[0]}`,
    en: `cannot write the output file: ${why[1]}`,
  });
}

/** Checked before the work, so nothing is rendered (or issued) only to fail at the last step. */
export function checkWritable(path: string): void {
  try {
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      /* a new file: its folder decides */
    }
    if (isDir) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    const dir = dirname(path);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw unwritable(path, e);
  }
}

/** Write to a temporary file in the same folder, then rename: readers never see half a PDF. */
export function writeAtomic(path: string, data: Buffer | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* nothing was created where nothing can be */
    }
    throw unwritable(path, e);
  }
}
