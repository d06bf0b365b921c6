/**
 * Copies a SQLite registry (its database and the files beside it) into PostgreSQL: every
 * table, every stored PDF, seal image and proof file. Rows keep their ids and values exactly —
 * encrypted personal data stays encrypted, so the instances on PostgreSQL need the same data key —
 * and rows already there are left alone, so the copy can be run again after an interruption
 * (or to pick up letters issued since). Then it verifies: every source row is in the target
 * with the same values (compared by hash, in batches), every blob is there with its sha256.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vault } from '../shared/vault.js';
import { blobKey, blobKeySync, decryptWith, encryptedKind, encryptWith } from './blob-cipher.js';
import type { Db, Param, Row } from './db.js';
import { SqliteDb } from './sqlite/db.js';

/** In dependency order (referenced tables first). A feature's new table is added here, with its migrations. */
export const COPIED_TABLES: { table: string; key: string }[] = [
  { table: 'orgs', key: 'id' },
  { table: 'users', key: 'id' },
  { table: 'api_keys', key: 'id' },
  { table: 'engagements', key: 'id' },
  { table: 'letters', key: 'id' },
  { table: 'letter_requests', key: 'id' },
  { table: 'letter_events', key: 'id' },
  { table: 'debtor_responses', key: 'id' },
  { table: 'audit', key: 'seq' },
  { table: 'import_batches', key: 'id' },
  { table: 'import_batch_requests', key: 'request_id' },
  { table: 'plan_settings', key: 'org_id' },
  { table: 'repayment_plans', key: 'id' },
  { table: 'plan_codes', key: 'id' },
  { table: 'org_seals', key: 'id' },
  { table: 'column_mappings', key: 'id' },
];

const BLOB_KINDS: { dir: string; kind: string }[] = [
  { dir: 'letters', kind: 'letters' },
  { dir: 'seals', kind: 'seals' },
  { dir: 'proofs', kind: 'proofs' },
  { dir: 'mandates', kind: 'mandates' },
];
const BATCH = 200;

export interface TableReport {
  table: string;
  source: number;
  copied: number;
  verified: number;
  mismatched: string[];
}
export interface CopyReport {
  tables: TableReport[];
  blobs: { source: number; copied: number; verified: number; bad: string[]; missing: string[] };
  ok: boolean;
}

const rowHash = (r: Row, columns: string[]) =>
  createHash('sha256')
    .update(JSON.stringify(columns.map((c) => r[c] ?? null)))
    .digest('hex');

async function columnsOf(db: Db, table: string): Promise<string[]> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
      : await db.all<{ name: string }>(
          'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?',
          [table],
        );
  return rows.map((r) => r.name);
}

async function copyTable(
  from: Db,
  to: Db,
  table: string,
  key: string,
  onProgress?: (msg: string) => void,
): Promise<TableReport> {
  const source = await columnsOf(from, table);
  const target = new Set(await columnsOf(to, table));
  const missing = source.filter((c) => !target.has(c));
  if (missing.length)
    throw new Error(
      `table ${table}: the target has no column ${missing.join(', ')} (is its schema older than the source's?)`,
    );
  const keys = (await from.all<Record<string, string | number>>(`SELECT ${key} FROM ${table} ORDER BY ${key}`)).map(
    (r) => r[key]!,
  );
  const report: TableReport = { table, source: keys.length, copied: 0, verified: 0, mismatched: [] };
  const insert = `INSERT INTO ${table} (${source.join(', ')}) VALUES (${source.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`;
  for (let i = 0; i < keys.length; i += BATCH) {
    const batch = keys.slice(i, i + BATCH);
    const marks = batch.map(() => '?').join(', ');
    const rows = await from.all(`SELECT ${source.join(', ')} FROM ${table} WHERE ${key} IN (${marks})`, batch);
    await to.transaction(async () => {
      for (const r of rows)
        report.copied += (
          await to.run(
            insert,
            source.map((c) => r[c] as Param),
          )
        ).changes;
    });
    const copied = new Map(
      (await to.all(`SELECT ${source.join(', ')} FROM ${table} WHERE ${key} IN (${marks})`, batch)).map((r) => [
        String(r[key]),
        rowHash(r, source),
      ]),
    );
    for (const r of rows) {
      if (copied.get(String(r[key])) === rowHash(r, source)) report.verified++;
      else report.mismatched.push(String(r[key]));
    }
    onProgress?.(`${table}: ${Math.min(i + BATCH, keys.length)}/${keys.length}`);
  }
  return report;
}

/** The files of a SQLite registry: <root>/<kind>/…/<sha256>.<ext>. */
function blobFiles(root: string): { path: string; kind: string; sha: string; ext: string }[] {
  const out: { path: string; kind: string; sha: string; ext: string }[] = [];
  for (const { dir, kind } of BLOB_KINDS) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    for (const rel of readdirSync(base, { recursive: true }).map(String)) {
      const m = /([0-9a-f]{64})\.(pdf|png|jpg)$/.exec(rel);
      if (m) out.push({ path: join(base, rel), kind, sha: m[1]!, ext: m[2]! });
    }
  }
  return out;
}

async function copyBlobs(
  root: string,
  to: Db,
  onProgress?: (msg: string) => void,
  keys: { from: Buffer; to: Buffer } | null = null,
): Promise<CopyReport['blobs']> {
  const files = blobFiles(root);
  const report: CopyReport['blobs'] = { source: files.length, copied: 0, verified: 0, bad: [], missing: [] };
  for (const [i, f] of files.entries()) {
    const bytes = decryptWith(keys?.from ?? null, readFileSync(f.path));
    // A file whose content does not match its name is reported, never copied under that name.
    if (!bytes || createHash('sha256').update(bytes).digest('hex') !== f.sha) {
      report.bad.push(f.path);
      continue;
    }
    report.copied += (
      await to.run(
        'INSERT INTO blobs (sha256, kind, ext, size, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [
          f.sha,
          f.kind,
          f.ext,
          bytes.length,
          keys && encryptedKind(f.kind) ? encryptWith(keys.to, bytes) : bytes,
          new Date().toISOString(),
        ],
      )
    ).changes;
    const back = await to.get<{ bytes: Buffer }>('SELECT bytes FROM blobs WHERE sha256 = ?', [f.sha]);
    const plain = back ? decryptWith(keys?.to ?? null, back.bytes) : null;
    if (plain && createHash('sha256').update(plain).digest('hex') === f.sha) report.verified++;
    else report.bad.push(f.path);
    if (i % 100 === 99) onProgress?.(`files: ${i + 1}/${files.length}`);
  }
  // Every issued letter's PDF must now be in the target, whether copied now or before.
  const letters = await to.all<{ pdf_sha256: string }>(
    'SELECT DISTINCT l.pdf_sha256 FROM letters l LEFT JOIN blobs b ON b.sha256 = l.pdf_sha256 WHERE b.sha256 IS NULL',
  );
  report.missing = letters.map((r) => r.pdf_sha256);
  return report;
}

export async function copyRegistry(
  from: Db,
  filesRoot: string,
  to: Db,
  onProgress?: (msg: string) => void,
  vault?: Vault,
): Promise<CopyReport> {
  await to.ready();
  // Encrypted files are opened with the source's blob key and encrypted again with the target's (each registry has its own).
  const keys =
    vault && from instanceof SqliteDb ? { from: blobKeySync(from.handle, vault), to: await blobKey(to, vault) } : null;
  const tables: TableReport[] = [];
  for (const { table, key } of COPIED_TABLES) tables.push(await copyTable(from, to, table, key, onProgress));
  const blobs = await copyBlobs(filesRoot, to, onProgress, keys);
  // The counters start after the highest number copied, so the next letter continues the series.
  await to.run(`INSERT INTO series_counters (series, year, last_seq) SELECT series, year, MAX(seq) FROM letters GROUP BY series, year
    ON CONFLICT (series, year) DO UPDATE SET last_seq = GREATEST(series_counters.last_seq, EXCLUDED.last_seq)`);
  const ok =
    tables.every((t) => t.verified === t.source && !t.mismatched.length) && !blobs.bad.length && !blobs.missing.length;
  return { tables, blobs, ok };
}
