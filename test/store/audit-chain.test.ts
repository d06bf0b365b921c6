/**
 * Issue 32, medium 5: the audit chain keyed (HMAC-SHA256, the key kept apart from the database)
 * and anchored. Deleting the last rows is detected against a saved anchor; deleting a row and
 * recomputing the later links without the key is detected by the chain itself; an unkeyed
 * chain of an older registry is re-keyed at first start with a recorded audit.rekey row.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHanjian } from '../../src/app/hanjian.js';
import { runCli } from '../cli/run.js';

const KEY = 'cc'.repeat(32);
const open = (db: string, auditKey?: string) =>
  openHanjian({ db, publicBaseUrl: 'https://verify.example.test', dataKey: KEY, auditKey });
const fresh = () => join(mkdtempSync(join(tmpdir(), 'hanjian-audit-')), 'hanjian.db');

async function withRows(db: string, n: number) {
  const h = open(db);
  await h.ready();
  for (let i = 0; i < n; i++)
    await h.audit.append({ orgId: null, actor: 'test', action: 'org.update', subject: `s${i}` });
  return h;
}

type Row = {
  seq: number;
  at: string;
  org_id: string | null;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
};
const content = (r: Row, prev: string) =>
  JSON.stringify([r.seq, r.at, r.org_id, r.actor, r.action, r.subject, r.details, prev]);

/** What someone who can write the database but lacks the key does: delete a row, renumber and relink the rest with `hash`. */
async function cutAndRelink(h: ReturnType<typeof open>, seq: number, hash: (s: string) => string) {
  const db = h.stores.db;
  await db.run('DELETE FROM audit WHERE seq = ?', [seq]);
  const rows = await db.all<Row>('SELECT * FROM audit ORDER BY seq');
  await db.run('DELETE FROM audit');
  let prev = '0'.repeat(64);
  for (const [i, r] of rows.entries()) {
    const row = { ...r, seq: i + 1 };
    const h2 = hash(content(row, prev));
    await db.run(
      'INSERT INTO audit (seq, at, org_id, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [row.seq, row.at, row.org_id, row.actor, row.action, row.subject, row.details, prev, h2],
    );
    prev = h2;
  }
}

describe('the keyed, anchored audit chain', () => {
  it('deleting the last 3 rows is detected against the anchor taken before', async () => {
    const db = fresh();
    const h = await withRows(db, 10);
    const anchor = (await h.audit.anchor())!;
    expect(anchor).toMatchObject({ chain: 'hmac-sha256', seq: 10 });
    expect(await h.audit.verify(anchor)).toMatchObject({ rows: 10, broken: null });
    await h.stores.db.run('DELETE FROM audit WHERE seq > 7');
    // The shorter chain is intact in itself…
    expect((await h.audit.verify()).broken).toBeNull();
    // …but not against the anchor.
    const v = await h.audit.verify(anchor);
    expect(v.broken).toMatchObject({ seq: 10 });
    expect(v.broken!.problem).toMatch(/missing: the trail ends at row 7/);
    await h.close();
  });

  it('deleting one row and recomputing the later links is detected (without the key nobody can relink)', async () => {
    for (const hash of [
      (s: string) => createHash('sha256').update(s).digest('hex'), // the old unkeyed links
      (s: string) => createHmac('sha256', Buffer.alloc(32, 7)).update(s).digest('hex'), // a guessed key
    ]) {
      const h = await withRows(fresh(), 6);
      await cutAndRelink(h, 3, hash);
      const v = await h.audit.verify();
      expect(v.broken).toMatchObject({ seq: 1 });
      expect(v.broken!.problem).toMatch(/does not match its hash/);
      await h.close();
    }
  });

  it('an unkeyed chain (an older registry) is re-keyed at first start, recorded, and then verifies', async () => {
    const db = fresh();
    const h = await withRows(db, 4);
    // Make it what an older version left: plain sha256 links, no chain facts.
    await cutAndRelink(h, 999, (s) => createHash('sha256').update(s).digest('hex'));
    await h.stores.db.run("DELETE FROM registry_meta WHERE key LIKE 'audit-%'");
    await h.close();
    const again = open(db);
    await again.ready();
    const v = await again.audit.verify();
    expect(v).toMatchObject({ rows: 5, broken: null });
    const last = (await again.audit.rows()).at(-1)!;
    expect(last.action).toBe('audit.rekey');
    expect(JSON.parse(last.details)).toMatchObject({ rows: 4, unkeyedIntact: true });
    await again.close();
  });

  it('a configured audit key must stay the same: another one stops the start with AUDIT_KEY_WRONG', async () => {
    const db = fresh();
    const h = open(db, 'dd'.repeat(32));
    await h.ready();
    await h.audit.append({ orgId: null, actor: 'test', action: 'org.update' });
    await h.close();
    const other = open(db); // derived from the data key instead
    await expect(other.ready()).rejects.toMatchObject({ code: 'AUDIT_KEY_WRONG' });
    await other.close();
  });

  it('hanjian registry audit --anchor writes the head; --against detects the cut (exit 1)', async () => {
    const db = fresh();
    const h = await withRows(db, 5);
    await h.close();
    const anchorFile = join(db, '..', 'anchor.json');
    const env = { HANJIAN_DATA_KEY: KEY, HANJIAN_DATA_KEY_FILE: '', HANJIAN_AUDIT_KEY: '' };
    const made = await runCli(['registry', 'audit', '--db', db, '--anchor', anchorFile], { env });
    expect(made.code).toBe(0);
    const ok = await runCli(['registry', 'audit', '--db', db, '--against', anchorFile, '--json'], { env });
    expect(ok.code).toBe(0);
    const cut = open(db);
    await cut.stores.db.run('DELETE FROM audit WHERE seq > 2');
    await cut.close();
    const bad = await runCli(['registry', 'audit', '--db', db, '--against', anchorFile], { env });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/row 5.*missing/);
    writeFileSync(anchorFile, '{"seq": "x"}');
    expect((await runCli(['registry', 'audit', '--db', db, '--against', anchorFile], { env })).code).toBe(2);
  });
});
