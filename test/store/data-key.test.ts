/**
 * Issue 32, low 11: the data key is checked at start against an encrypted canary (a wrong key stops
 * the open with DATA_KEY_WRONG naming what to do), no key file is made beside a database that
 * holds encrypted data, and `hanjian data-key rotate` re-encrypts everything under a new key.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotateDataKey } from '../../src/app/data-key-rotation.js';
import { openHanjian } from '../../src/app/hanjian.js';
import type { HanjianError } from '../../src/shared/errors.js';
import { runCli } from '../cli/run.js';

const KEY_A = 'aa'.repeat(32);
const KEY_B = 'bb'.repeat(32);
const open = (db: string, dataKey?: string, dataKeyFile?: string) =>
  openHanjian({ db, publicBaseUrl: 'https://verify.example.test', dataKey, dataKeyFile });
const fresh = () => mkdtempSync(join(tmpdir(), 'hanjian-key-'));

/** An encrypted value in an encrypted column (an import's result), as the workspace keeps it. */
async function encryptSomething(h: ReturnType<typeof open>, text = '张三 110105199003071239') {
  const id = `imp-${Math.random().toString(36).slice(2)}`;
  await h.stores.db.run(
    "INSERT INTO import_batches (id, org_id, file_name, created_by, rows_total, rows_accepted, result_encrypted, created_at) VALUES (?, 'default', 'x.csv', 'test', 1, 1, ?, ?)",
    [id, h.vault.encrypt(text), new Date().toISOString()],
  );
  return id;
}
const readEncrypted = async (h: ReturnType<typeof open>, id: string) =>
  h.vault.decrypt(
    (await h.stores.db.get<{ v: string }>('SELECT result_encrypted v FROM import_batches WHERE id = ?', [id]))!.v,
  );

function thrown(fn: () => unknown): HanjianError {
  try {
    fn();
  } catch (e) {
    return e as HanjianError;
  }
  throw new Error('did not throw');
}

describe('the data key at start', () => {
  it('a wrong key stops the open with DATA_KEY_WRONG, naming where the key came from and what to do', async () => {
    const db = join(fresh(), 'hanjian.db');
    const h = open(db, KEY_A);
    await h.close();
    const e = thrown(() => open(db, KEY_B));
    expect(e.code).toBe('DATA_KEY_WRONG');
    expect(e.en).toContain('HANJIAN_DATA_KEY');
    expect(e.en).toMatch(/configure the key it was encrypted with/);
    await open(db, KEY_A).close(); // the right one still opens
  });

  it('a database encrypted before the canary existed is checked against its encrypted data, then given a canary', async () => {
    const db = join(fresh(), 'hanjian.db');
    const h = open(db, KEY_A);
    await encryptSomething(h);
    await h.stores.db.run('DELETE FROM registry_meta'); // as made before this version
    await h.close();
    expect(thrown(() => open(db, KEY_B)).code).toBe('DATA_KEY_WRONG');
    const again = open(db, KEY_A);
    expect(await again.stores.db.get("SELECT 1 FROM registry_meta WHERE key = 'data-key-canary'")).toBeTruthy();
    await again.close();
  });

  it('never makes a new key file beside a database that holds encrypted data', async () => {
    const dir = fresh();
    const db = join(dir, 'hanjian.db');
    const h = open(db); // outside production: the local key file
    const id = await encryptSomething(h);
    await h.close();
    const keyFile = join(dir, 'hanjian.key');
    const original = readFileSync(keyFile, 'utf8');
    rmSync(keyFile);
    const e = thrown(() => open(db));
    expect(e.code).toBe('DATA_KEY_MISSING');
    expect(e.en).toContain(keyFile);
    expect(existsSync(keyFile)).toBe(false);
    // Put back, it opens and reads.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(keyFile, original, { mode: 0o600 });
    const back = open(db);
    expect(await readEncrypted(back, id)).toContain('张三');
    await back.close();
  });
});

describe('hanjian data-key rotate', () => {
  it('re-encrypts every encrypted value and the canary in one go; the new key opens them, the old one (kept as .old) no longer does', async () => {
    const dir = fresh();
    const db = join(dir, 'hanjian.db');
    const keyFile = join(dir, 'hanjian.key');
    const h = open(db);
    const ids = [await encryptSomething(h, '甲'), await encryptSomething(h, '乙')];
    const before = (await h.stores.db.all<{ v: string }>('SELECT result_encrypted v FROM import_batches')).map(
      (r) => r.v,
    );
    const oldKey = readFileSync(keyFile, 'utf8');
    const r = await rotateDataKey(h);
    await h.close();
    expect(r.keyFile).toBe(keyFile);
    expect(r.reencrypted.find((c) => c.table === 'import_batches')!.rows).toBe(2);
    expect(readFileSync(`${keyFile}.old`, 'utf8')).toBe(oldKey);
    expect(readFileSync(keyFile, 'utf8')).not.toBe(oldKey);
    expect(existsSync(`${keyFile}.next`)).toBe(false);

    const after = open(db);
    expect(await Promise.all(ids.map((id) => readEncrypted(after, id)))).toEqual(['甲', '乙']);
    const now = (await after.stores.db.all<{ v: string }>('SELECT result_encrypted v FROM import_batches')).map(
      (r) => r.v,
    );
    expect(now.some((v) => before.includes(v))).toBe(false);
    expect((await after.audit.rows()).map((a) => a.action)).toContain('data-key.rotate');
    // The audit key derived from the data key changed with it: the chain was re-keyed, and verifies.
    expect((await after.audit.verify()).broken).toBeNull();
    expect((await after.audit.rows()).at(-1)!.action).toBe('audit.rekey');
    await after.close();
    expect(thrown(() => open(db, oldKey)).code).toBe('DATA_KEY_WRONG');
  });

  it('runs from the CLI; a key given in the environment needs --key-file', async () => {
    const dir = fresh();
    const db = join(dir, 'hanjian.db');
    const h = open(db, KEY_A);
    await encryptSomething(h, '丙');
    await h.close();
    const env = { HANJIAN_DATA_KEY: KEY_A, HANJIAN_DATA_KEY_FILE: '' };
    const refused = await runCli(['data-key', 'rotate', '--db', db], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--key-file');
    const ok = await runCli(['data-key', 'rotate', '--db', db, '--key-file', join(dir, 'new.key'), '--json'], { env });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ keyFile: join(dir, 'new.key'), oldKeyFile: null });
    const reopened = open(db, undefined, join(dir, 'new.key'));
    await reopened.close();
    expect(thrown(() => open(db, KEY_A)).code).toBe('DATA_KEY_WRONG');
  });
});
