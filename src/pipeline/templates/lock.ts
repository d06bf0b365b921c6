/**
 * Released template versions are immutable. versions.lock.json records a sha256 over each
 * version's files; a test compares, so a changed wording must be a new version.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from './catalog.js';

export function hashVersionDir(dir: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
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
