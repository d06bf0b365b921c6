/**
 * Issue 30 (one word, one meaning): the columns of encrypted personal data were `*_sealed` and
 * are renamed `*_encrypted` by a migration (src/store/encrypted-column-names.ts). A registry
 * written at the schema before it — SQLite at migration 18, PostgreSQL at 12, built here from
 * the released migrations themselves — opens with its data key, and every value written under
 * the old names is read after the rename by the stores that use them, checked by the key check
 * and re-encrypted by a key rotation. (The task item's input has moved since, with its item, to
 * batch_rows.input_json: tasks-into-batches.ts, migration 20.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Hanjian, openHanjian } from '../../src/app/hanjian.js';
import type { HanjianError } from '../../src/shared/errors.js';
import { DataKey } from '../../src/store/data-key.js';
import { reencryptAll } from '../../src/store/key-check.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { DbWebStore } from '../../src/web/store.js';
import { freshDatabase, TEST_DATA_KEY } from './postgres/fresh.js';
import { postgresAt, type Statement, sqliteAt } from './schema-at.js';

/** The schema versions just before the rename, and the rename's own. */
const SQLITE_BEFORE = 18;
const PG_BEFORE = 12;
const RENAMED = ['result', 'acceptance', 'upload'];

const KEY = DataKey.fromText(TEST_DATA_KEY, 'test');
const WRONG_KEY = DataKey.fromText('cd'.repeat(32), 'wrong');
const AT = '2026-03-02T08:00:00.000Z';
const PLAIN = {
  result: '{"rejected":[{"rowNo":2,"debtor":"张三"}]}',
  input: '{"debtor":{"name":"李四","idNumber":"110105199003071239"}}',
  acceptance: '{"ip":"198.51.100.4","userAgent":"test"}',
  upload: '{"rows":[["王五","13800138000"]]}',
};

/** Rows written as the code before the rename wrote them: in the *_sealed columns, under the data key. */
function rowsBeforeRename(): Statement[] {
  return [
    [
      "INSERT INTO users (id, org_id, login, name, role, created_at) VALUES ('u1', 'default', 'clerk', '职员', 'admin', ?)",
      [AT],
    ],
    [
      `INSERT INTO letters (id, number, series, year, seq, kind, template, sender, issue_date, input_sha256, pdf_sha256,
         pdf_size, verify_code, verify_url, debtor_masked, total_fen, requester, created_at)
       VALUES ('L1', 'HJ-2026-000001', 'HJ', 2026, 1, 'demand', 'demand/1', '某某公司', '2026-03-02', ?, ?, 1, 'V1',
         'https://verify.example.test/V1', '张*', 100, 'test', ?)`,
      ['a'.repeat(64), 'b'.repeat(64), AT],
    ],
    [
      `INSERT INTO import_batches (id, org_id, file_name, created_by, rows_total, rows_accepted, result_sealed, created_at)
       VALUES ('b1', 'default', 'x.csv', 'u1', 2, 1, ?, ?)`,
      [KEY.encrypt(PLAIN.result), AT],
    ],
    [
      "INSERT INTO web_tasks (id, org_id, user_id, kind, subject, total, status, created_at) VALUES ('t1', 'default', 'u1', 'issue', 'import:b1', 1, 'running', ?)",
      [AT],
    ],
    [
      "INSERT INTO web_task_items (task_id, item_no, ref, input_sealed, status) VALUES ('t1', 1, '1', ?, 'queued')",
      [KEY.encrypt(PLAIN.input)],
    ],
    [
      `INSERT INTO repayment_plans (id, letter_id, client_org_id, contract_no, terms, schedule_json, total_fen, grace_days,
         accepted_on, accepted_at, acceptance_sealed)
       VALUES ('p1', 'L1', 'default', 'C-1', 3, '[]', 100, 0, '2026-03-02', ?, ?)`,
      [AT, KEY.encrypt(PLAIN.acceptance)],
    ],
    [
      "INSERT INTO import_uploads (id, org_id, user_id, upload_sealed, created_at) VALUES ('up1', 'default', 'u1', ?, ?)",
      [KEY.encrypt(PLAIN.upload), AT],
    ],
  ];
}

/** What the stores read after the rename, each value opened with the key. */
async function readAfterRename(h: Hanjian) {
  const web = new DbWebStore(h.stores.db);
  const row = await h.stores.db.get<{ v: string }>(
    "SELECT input_json AS v FROM batch_rows WHERE batch_id = 't1' AND row_no = 1",
  );
  return {
    result: h.vault.decrypt((await web.batch('b1'))!.resultEncrypted),
    input: h.vault.decrypt(row!.v),
    acceptance: h.vault.decrypt((await h.stores.plans.acceptanceOf('p1'))!),
    upload: h.vault.decrypt((await web.upload('up1'))!.uploadEncrypted),
  };
}

const latestVersion = async (h: Hanjian) =>
  Number((await h.stores.db.get<{ v: number }>('SELECT MAX(version) v FROM schema_migrations'))!.v);

async function columnsOf(h: Hanjian, table: string, pgSchema: boolean): Promise<string[]> {
  const rows = pgSchema
    ? await h.stores.db.all<{ name: string }>(
        'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?',
        [table],
      )
    : await h.stores.db.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`);
  return rows.map((r) => r.name);
}

/** Renamed, read back, found by the key check, re-encrypted by a rotation. */
async function expectReadAfterRename(h: Hanjian, pgSchema: boolean) {
  const tables = ['import_batches', 'repayment_plans', 'import_uploads'];
  const columns = (await Promise.all(tables.map((t) => columnsOf(h, t, pgSchema)))).flat();
  for (const name of RENAMED) {
    expect(columns).toContain(`${name}_encrypted`);
    expect(columns).not.toContain(`${name}_sealed`);
  }
  expect(await readAfterRename(h)).toEqual(PLAIN);
  const counts = await reencryptAll(h.stores.db, h.vault, WRONG_KEY);
  expect(
    counts
      .filter((c) => c.column.endsWith('_encrypted') || c.table === 'batch_rows')
      .map((c) => [c.table, c.column, c.rows]),
  ).toEqual([
    ['import_batches', 'result_encrypted', 1],
    ['batch_rows', 'input_json', 1],
    ['repayment_plans', 'acceptance_encrypted', 1],
    ['import_uploads', 'upload_encrypted', 1],
  ]);
}

describe('the *_sealed columns renamed *_encrypted', () => {
  it('SQLite: a registry at migration 18 opens with its key and reads what was written before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-rename-'));
    const file = join(dir, 'hanjian.db');
    try {
      sqliteAt(file, SQLITE_BEFORE, rowsBeforeRename());

      // The data was written before the canary existed: a wrong key is caught on a renamed column's value.
      const wrong = (() => {
        try {
          openHanjian({ db: file, publicBaseUrl: 'https://verify.example.test', dataKey: WRONG_KEY });
        } catch (e) {
          return e as HanjianError;
        }
      })();
      expect(wrong?.code).toBe('DATA_KEY_WRONG');

      const h = openHanjian({ db: file, publicBaseUrl: 'https://verify.example.test', dataKey: KEY });
      try {
        expect(await latestVersion(h)).toBe(MIGRATIONS.length);
        await expectReadAfterRename(h, false);
      } finally {
        await h.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: a registry at migration 12 opens with its key and reads what was written before', async () => {
    const url = await freshDatabase();
    await postgresAt(url, PG_BEFORE, rowsBeforeRename());

    const wrong = openHanjian({ db: url, publicBaseUrl: 'https://verify.example.test', dataKey: WRONG_KEY });
    try {
      await expect(wrong.ready()).rejects.toMatchObject({ code: 'DATA_KEY_WRONG' });
    } finally {
      await wrong.close();
    }

    const h = openHanjian({ db: url, publicBaseUrl: 'https://verify.example.test', dataKey: KEY });
    try {
      await h.ready();
      expect(await latestVersion(h)).toBe(PG_MIGRATIONS.length);
      await expectReadAfterRename(h, true);
    } finally {
      await h.close();
    }
  });
});
