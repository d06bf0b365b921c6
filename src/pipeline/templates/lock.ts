/**
 * Released template versions are immutable. versions.lock.json records a sha256 over each
 * version's wording — every file of its folder except example.json — and a test compares, so a
 * changed wording must be a new version. The example is the version's test data, not its
 * wording: one whose figures were found wrong is corrected in place (issue 27), and the golden
 * text shows the change.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from './catalog.js';

/** Not fixed by the lock: test data, corrected when its figures are wrong. */
export const EXAMPLE_FILE = 'example.json';

export function hashVersionDir(dir: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (name === EXAMPLE_FILE) continue;
    h.update(name)
      .update('\0')
      .update(readFileSync(join(dir, name)))
      .update('\0');
  }
  return h.digest('hex');
}

export function computeLock(catalog: Catalog): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of catalog.versions) out[v.id] = hashVersionDir(v.dir);
  return out;
}
