/**
 * `hanjian data-key rotate`: a new data key for a registry. Every encrypted column and the canary
 * are re-encrypted in one transaction (store/key-check.ts); the new key is written first beside
 * the old as `<file>.next` (0600, synced), and only after the commit does it take the old
 * key's place by a rename, the old key kept as `<file>.old`. Interrupted before the commit:
 * nothing changed (delete the .next file). Interrupted after it, before the rename: the
 * registry is under the key in `<file>.next` (the start says DATA_KEY_WRONG; rename it).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HanjianError } from '../shared/errors.js';
import { DataKey } from '../store/data-key.js';
import { reencryptAll } from '../store/key-check.js';
import { AUDIT_KEY_LABEL, type Hanjian } from './hanjian.js';

export interface Rotation {
  keyFile: string;
  oldKeyFile: string | null;
  reencrypted: { table: string; column: string; rows: number }[];
}

function writeSynced(file: string, text: string): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    fsyncSync(fd);
    closeSync(fd);
  } catch {
    /* not every platform syncs a directory */
  }
}

/** Rotates the registry's data key; `keyFile`: where the new key goes (default: the file the current key came from). */
export async function rotateDataKey(h: Hanjian, o: { keyFile?: string; actor?: string } = {}): Promise<Rotation> {
  const source = h.vault.source;
  const target = o.keyFile ? resolve(o.keyFile) : existsSync(source) ? resolve(source) : null;
  if (!target)
    throw new HanjianError({
      code: 'CONFIG_INVALID',
      category: 'internal',
      zh: `当前数据密钥来自 ${source}（不是文件）：请用 --key-file 指定新密钥写入的文件，轮换后把 HANJIAN_DATA_KEY_FILE 指向它`,
      en: `the current data key comes from ${source}, not a file: name the file for the new key with --key-file, then point HANJIAN_DATA_KEY_FILE at it`,
    });
  await h.ready();
  const next = `${target}.next`;
  const bytes = randomBytes(32);
  const fresh = DataKey.fromBytes(bytes, target);
  writeSynced(next, `${bytes.toString('hex')}\n`);
  const reencrypted = await h.stores.db.transaction(async () => {
    const counts = await reencryptAll(h.stores.db, h.vault, fresh);
    await h.audit.append({
      orgId: null,
      actor: o.actor ?? 'cli',
      action: 'data-key.rotate',
      details: { rows: counts.reduce((n, c) => n + c.rows, 0) },
    });
    // An audit key derived from the data key changes with it: the chain is re-keyed in the same transaction.
    if (h.auditKeyDerived) await h.audit.rekeyTo(fresh.derive(AUDIT_KEY_LABEL), 'data-key.rotate');
    return counts;
  });
  let oldKeyFile: string | null = null;
  if (existsSync(target)) {
    oldKeyFile = `${target}.old`;
    copyFileSync(target, oldKeyFile);
    chmodSync(oldKeyFile, 0o600);
  }
  renameSync(next, target);
  syncDir(dirname(target));
  return { keyFile: target, oldKeyFile, reencrypted };
}
