/**
 * An organisation's lock file (`versions.lock.json` at the root of its catalogue folder): for
 * every version a lawyer released, the sha256 of each of its files and of the whole, who
 * released it and when, and whether it was retired since. A released version's files never
 * change: the loader compares them with the lock and refuses a version whose files differ.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { HanjianError } from '../../shared/errors.js';

export const FIRM_LOCK_FILE = 'versions.lock.json';

const person = z.strictObject({ userId: z.string(), login: z.string(), name: z.string() });
const entrySchema = z.strictObject({
  status: z.enum(['released', 'retired']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  releasedAt: z.string(),
  releasedBy: person,
  retiredAt: z.string().optional(),
  retiredBy: person.optional(),
  retireReason: z.string().optional(),
});
const lockSchema = z.record(z.string().regex(/^[a-z-]+@[1-9][0-9]*$/), entrySchema);
export type LockEntry = z.output<typeof entrySchema>;
export type FirmLock = Record<string, LockEntry>;

export interface VersionHash {
  /** Over every file's relative path and bytes, in sorted order. */
  sha256: string;
  /** Per file, by path relative to the version folder (`clauses.json`, `clauses/plan.hbs`). */
  files: Record<string, string>;
}

/** Every file under the version folder (subfolders included), hashed. */
export function hashFirmVersion(dir: string): VersionHash {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path);
      else if (e.isFile())
        files[path] = createHash('sha256')
          .update(readFileSync(join(dir, path)))
          .digest('hex');
    }
  };
  walk('');
  const h = createHash('sha256');
  for (const [path, sha] of Object.entries(files)) h.update(path).update('\0').update(sha).update('\0');
  return { sha256: h.digest('hex'), files };
}

/** The files whose bytes differ from the lock's (or were added or removed), each with both hashes. */
export function changedFiles(
  locked: LockEntry,
  now: VersionHash,
): { file: string; locked: string | null; actual: string | null }[] {
  const names = [...new Set([...Object.keys(locked.files), ...Object.keys(now.files)])].sort();
  return names
    .filter((f) => locked.files[f] !== now.files[f])
    .map((f) => ({ file: f, locked: locked.files[f] ?? null, actual: now.files[f] ?? null }));
}

export function readFirmLock(root: string): FirmLock {
  const file = join(root, FIRM_LOCK_FILE);
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw lockError(file, (e as Error).message);
  }
  const parsed = lockSchema.safeParse(raw);
  if (!parsed.success)
    throw lockError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Written whole to a temporary file and renamed over the old one, so a reader never sees half a lock. */
export function writeFirmLock(root: string, lock: FirmLock): void {
  const file = join(root, FIRM_LOCK_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  const sorted = Object.fromEntries(Object.entries(lock).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
  renameSync(tmp, file);
}

function lockError(file: string, detail: string): HanjianError {
  return new HanjianError({
    code: 'TEMPLATE_LOCK_INVALID',
    category: 'template',
    path: file,
    zh: `模板锁定文件无效：${detail}`,
    en: `invalid template lock file: ${detail}`,
  });
}
