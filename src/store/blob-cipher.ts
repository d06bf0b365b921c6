/**
 * Stored PDFs and proof files at rest: encrypted with AES-256-GCM under the registry's blob key
 * (`HJB1` | iv 12 | tag 16 | ciphertext), still named by the sha256 of their plaintext, which
 * is checked after opening on every read. The blob key is random, kept in registry_meta encrypted
 * with the data key (so a data-key rotation re-encrypts one row, not every file). Files written
 * before encryption existed (they start with %PDF, a PNG or JPEG signature, never `HJB1`) are read
 * as they are. Seal images are not personal data and stay as they are.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { BlobKind } from '../shared/blobs.js';
import type { Vault } from '../shared/vault.js';
import type { Queryable } from './db.js';

const MAGIC = Buffer.from('HJB1');
export const BLOB_KEY_FACT = 'blob-key';

/** The kinds encrypted at rest: everything that can carry a debtor's name and address (not the seal images, kind `seals`). */
export const encryptedKind = (kind: BlobKind | string) => kind !== 'seals';

/** Whether stored bytes carry the mark (`HJB1`) and room for the iv and tag: written encrypted. */
export const isEncrypted = (stored: Buffer) => stored.length >= 32 && stored.subarray(0, 4).equals(MAGIC);

export function encryptWith(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([MAGIC, iv, c.getAuthTag(), body]);
}

/** The plaintext; stored bytes without the mark are returned as they are (written before encryption); null when they do not open. */
export function decryptWith(key: Buffer | null, stored: Buffer): Buffer | null {
  if (!isEncrypted(stored)) return stored;
  if (!key) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', key, stored.subarray(4, 16));
    d.setAuthTag(stored.subarray(16, 32));
    return Buffer.concat([d.update(stored.subarray(32)), d.final()]);
  } catch {
    return null;
  }
}

/** The registry's blob key, made at first use (SQLite, while opening). */
export function blobKeySync(handle: Database.Database, vault: Vault): Buffer {
  const get = () =>
    (
      handle.prepare('SELECT value FROM registry_meta WHERE key = ?').get(BLOB_KEY_FACT) as
        | { value: string }
        | undefined
    )?.value;
  let encrypted = get();
  if (!encrypted) {
    handle
      .prepare('INSERT INTO registry_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING')
      .run(BLOB_KEY_FACT, vault.encrypt(randomBytes(32).toString('hex')));
    encrypted = get()!;
  }
  return Buffer.from(vault.decrypt(encrypted), 'hex');
}

/** The registry's blob key, made at first use (any database). */
export async function blobKey(db: Queryable, vault: Vault): Promise<Buffer> {
  const get = async () =>
    (await db.get<{ value: string }>('SELECT value FROM registry_meta WHERE key = ?', [BLOB_KEY_FACT]))?.value;
  let encrypted = await get();
  if (!encrypted) {
    await db.run('INSERT INTO registry_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
      BLOB_KEY_FACT,
      vault.encrypt(randomBytes(32).toString('hex')),
    ]);
    encrypted = (await get())!;
  }
  return Buffer.from(vault.decrypt(encrypted), 'hex');
}
