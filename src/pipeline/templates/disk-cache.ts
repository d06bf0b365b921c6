/**
 * A cache on disk for the work a cold process would otherwise redo on every start (issue 31:
 * a preview from a cold process in about 0.3 s): template compilations (templates/), prepared
 * seal images (seals/), a template's shared font subset (subsets/), a year's lunar dates
 * (lunar/) and what each conduct pattern needs (rules/). Why it can never change a letter: an entry is named by the sha256 of everything its
 * content depends on (the input bytes, the versions of the libraries that make it, a format
 * version), so a hit is byte for byte what computing again would give; its content carries its
 * own sha256 and is checked on every read. Safe under concurrent processes: an entry is written
 * to a temporary file and renamed into place, so a reader sees a whole entry or none, and two
 * writers write the same bytes. Any failure (no home, an unwritable or damaged directory) only
 * means computing again.
 *
 * The directory is ~/.cache/hanjian (per user, mode 0700: template entries are code that is
 * run, so a directory of another user's, or one others may write to, is not used), or what
 * setDiskCacheDir chooses; null turns the cache off.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

let dir: string | null | undefined;

/** Where entries live; null: no cache. Call before the first render (the CLI does, from HANJIAN_CACHE_DIR). */
export function setDiskCacheDir(path: string | null): void {
  dir = path;
  trusted = null;
}

export function diskCacheDir(): string | null {
  if (dir === undefined) {
    try {
      dir = join(homedir(), '.cache', 'hanjian');
    } catch {
      dir = null;
    }
  }
  if (dir !== null && trusted !== dir) {
    if (!isOwnPrivateDir(dir)) return null;
    trusted = dir;
  }
  return dir;
}

/** The directory last found safe to run entries from. */
let trusted: string | null = null;

/**
 * Template entries are code: a directory someone else owns, or others may write to, is not
 * used (a missing one is created private on the first write).
 */
function isOwnPrivateDir(path: string): boolean {
  try {
    const st = statSync(path);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** The name of an entry: sha256 over its parts, each length-prefixed so no two part lists collide. */
export function cacheKey(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    h.update(`${bytes.length}:`).update(bytes);
  }
  return h.digest('hex');
}

const DIGEST = 32;

/** The entry's content, or null when there is none or it fails its checksum. */
export function readEntry(kind: string, key: string): Buffer | null {
  const root = diskCacheDir();
  if (!root) return null;
  try {
    const data = readFileSync(join(root, kind, `${key}.bin`));
    const content = data.subarray(0, data.length - DIGEST);
    const sum = createHash('sha256').update(content).digest();
    return data.length >= DIGEST && sum.equals(data.subarray(data.length - DIGEST)) ? content : null;
  } catch {
    return null;
  }
}

/**
 * Whether an entry is there, without reading it: for a reader that needs the content only
 * later, if at all (a damaged one is found then, and readEntry gives null).
 */
export function hasEntry(kind: string, key: string): boolean {
  const root = diskCacheDir();
  return root !== null && existsSync(join(root, kind, `${key}.bin`));
}

export function writeEntry(kind: string, key: string, content: Uint8Array): void {
  const root = diskCacheDir();
  if (!root) return;
  const folder = join(root, kind);
  const tmp = join(folder, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(tmp, Buffer.concat([content, createHash('sha256').update(content).digest()]), { mode: 0o600 });
    renameSync(tmp, join(folder, `${key}.bin`));
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing was written: nothing to remove.
    }
  }
}
