/**
 * The data key checked at start, against the registry it opens: an encrypted canary (a fixed text
 * encrypted with the key) is kept in registry_meta at first use; at every start it must open.
 * A wrong key stops the start with DATA_KEY_WRONG naming what to do, instead of a 500 on the
 * first read of personal data. A registry that already holds encrypted data but no canary (made
 * before the canary existed) is checked against one of its encrypted values before the canary is
 * written. And a key file is never created beside a database that already holds encrypted data
 * (DATA_KEY_MISSING): that is the wrong key, not a new one.
 *
 * SQLite is checked while opening (synchronously: the CLI and the library open it without an
 * await); PostgreSQL at ready(), which the service awaits before it listens.
 */
import type Database from 'better-sqlite3';
import type { Vault } from '../shared/vault.js';
import { BLOB_KEY_FACT, blobKey, blobKeySync } from './blob-cipher.js';
import { type DataKeyOptions, dataKeyWrong, loadDataKey } from './data-key.js';
import type { Db, Queryable } from './db.js';
import type { Stores } from './open.js';
import { SqliteDb } from './sqlite/db.js';

/** Every column that holds text encrypted with the data key, with the key of its row. */
export const ENCRYPTED_COLUMNS: { table: string; column: string; key: string[] }[] = [
  { table: 'letters', column: 'input_json', key: ['id'] },
  { table: 'letter_requests', column: 'input_json', key: ['id'] },
  { table: 'debtor_responses', column: 'text_json', key: ['id'] },
  { table: 'import_batches', column: 'result_encrypted', key: ['id'] },
  { table: 'batch_rows', column: 'input_json', key: ['batch_id', 'row_no'] },
  { table: 'repayment_plans', column: 'acceptance_encrypted', key: ['id'] },
  { table: 'import_uploads', column: 'upload_encrypted', key: ['id'] },
];

export const CANARY_KEY = 'data-key-canary';
const CANARY_TEXT = 'hanjian data key canary v1';

const meta = `SELECT value FROM registry_meta WHERE key = ?`;
const sampleOf = (c: (typeof ENCRYPTED_COLUMNS)[number]) =>
  `SELECT ${c.column} AS v FROM ${c.table} WHERE ${c.column} LIKE 'enc1:%' LIMIT 1`;

/** What the rows say: 'ok' (the canary opens), 'write' (no canary yet; any encrypted sample opened). Throws DATA_KEY_WRONG. */
function verdict(vault: Vault, canary: string | undefined, sample: string | undefined): 'ok' | 'write' {
  const opens = (encrypted: string) => {
    try {
      return vault.decrypt(encrypted);
    } catch (e) {
      throw dataKeyWrong(vault.source, e);
    }
  };
  if (canary !== undefined) {
    if (opens(canary) !== CANARY_TEXT) throw dataKeyWrong(vault.source);
    return 'ok';
  }
  if (sample !== undefined) opens(sample);
  return 'write';
}

/** SQLite, while opening: whether the registry holds encrypted data (a canary, or any encrypted value). */
export function holdsEncryptedDataSync(handle: Database.Database): boolean {
  if (handle.prepare(meta).get(CANARY_KEY)) return true;
  return ENCRYPTED_COLUMNS.some((c) => handle.prepare(sampleOf(c)).get() !== undefined);
}

/** SQLite, while opening: checks the key against the canary, writing it at first use. */
export function checkDataKeySync(handle: Database.Database, vault: Vault): void {
  const canary = (handle.prepare(meta).get(CANARY_KEY) as { value: string } | undefined)?.value;
  let sample: string | undefined;
  if (canary === undefined)
    for (const c of ENCRYPTED_COLUMNS) {
      sample ??= (handle.prepare(sampleOf(c)).get() as { v: string } | undefined)?.v;
    }
  if (verdict(vault, canary, sample) === 'write')
    handle
      .prepare('INSERT INTO registry_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING')
      .run(CANARY_KEY, vault.encrypt(CANARY_TEXT));
}

/** Any database (PostgreSQL at ready()): the same check. */
export async function checkDataKey(db: Queryable, vault: Vault): Promise<void> {
  const canary = (await db.get<{ value: string }>(meta, [CANARY_KEY]))?.value;
  let sample: string | undefined;
  if (canary === undefined) for (const c of ENCRYPTED_COLUMNS) sample ??= (await db.get<{ v: string }>(sampleOf(c)))?.v;
  if (verdict(vault, canary, sample) === 'write')
    await db.run('INSERT INTO registry_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
      CANARY_KEY,
      vault.encrypt(CANARY_TEXT),
    ]);
}

/**
 * The data key for the opened stores, checked: SQLite now (and no key file is made beside a
 * database that holds encrypted data), PostgreSQL by `check()` once it is reachable.
 */
export function openDataKey(
  stores: Stores,
  o: DataKeyOptions & { vault?: Vault },
): { vault: Vault; check: () => Promise<void> } {
  const lite = stores.db instanceof SqliteDb ? stores.db.handle : null;
  const vault =
    o.vault ?? loadDataKey({ ...o, holdsEncryptedData: lite ? () => holdsEncryptedDataSync(lite) : undefined });
  if (!lite) {
    // PostgreSQL: the blob key is read (or made) on first use, after the migrations.
    stores.blobs.useKey(() => blobKey(stores.db, vault));
    return {
      vault,
      check: async () => {
        await checkDataKey(stores.db, vault);
        await stores.blobs.loadKey();
      },
    };
  }
  checkDataKeySync(lite, vault);
  const key = blobKeySync(lite, vault);
  stores.blobs.useKey(async () => key);
  return { vault, check: async () => {} };
}

/**
 * Re-encrypts every encrypted column and the canary from one key to another, in one transaction:
 * either every row is under the new key or (on any failure) none is. Returns the rows re-encrypted
 * per column. The caller writes the new key where the old one was only after this commits.
 */
export async function reencryptAll(
  db: Db,
  from: Vault,
  to: Vault,
): Promise<{ table: string; column: string; rows: number }[]> {
  return db.transaction(async () => {
    const counts: { table: string; column: string; rows: number }[] = [];
    for (const c of ENCRYPTED_COLUMNS) {
      const rows = await db.all<Record<string, string | number>>(
        `SELECT ${[...c.key, c.column].join(', ')} FROM ${c.table} WHERE ${c.column} LIKE 'enc1:%'`,
      );
      for (const r of rows)
        await db.run(`UPDATE ${c.table} SET ${c.column} = ? WHERE ${c.key.map((k) => `${k} = ?`).join(' AND ')}`, [
          to.encrypt(from.decrypt(String(r[c.column]))),
          ...c.key.map((k) => r[k]!),
        ]);
      counts.push({ table: c.table, column: c.column, rows: rows.length });
    }
    // The blob key (stored PDFs and proofs are encrypted with it) is re-encrypted, not the files.
    const blob = await db.get<{ value: string }>('SELECT value FROM registry_meta WHERE key = ?', [BLOB_KEY_FACT]);
    if (blob)
      await db.run('UPDATE registry_meta SET value = ? WHERE key = ?', [
        to.encrypt(from.decrypt(blob.value)),
        BLOB_KEY_FACT,
      ]);
    await db.run('DELETE FROM registry_meta WHERE key = ?', [CANARY_KEY]);
    await db.run('INSERT INTO registry_meta (key, value) VALUES (?, ?)', [CANARY_KEY, to.encrypt(CANARY_TEXT)]);
    return counts;
  });
}
