/** `hanjian registry migrate`: a SQLite registry into PostgreSQL, verified, re-runnable, then checked clean there. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { DataKey } from '../../src/store/data-key.js';
import { runCli } from '../cli/run.js';
import { dated, TODAY } from '../helpers.js';
import { freshDatabase, TEST_DATA_KEY } from './postgres/fresh.js';

const env = { HANJIAN_DATA_KEY: TEST_DATA_KEY, HANJIAN_DATABASE_URL: '', HANJIAN_DB: '' };
const reminder = (contractNo: string) => ({
  ...dated('reminder'),
  account: { ...dated('reminder').account, contractNo },
});

describe('registry migrate', () => {
  it('copies every table and file, verifies them, is safe to re-run, and the copy checks clean and numbers on', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'hanjian-mig-')), 'hanjian.db');
    const dataKey = DataKey.fromText(TEST_DATA_KEY, 'test');
    const lite = openRegistry({ db, dataKey, publicBaseUrl: 'https://v.test' });
    await lite.orgs.addOrg(
      {
        kind: 'law-firm',
        name: '北京某某律师事务所',
        licenseNo: '31110000MD01234564',
        letterPrefix: '京某律函字',
        address: '北京市朝阳区某某路88号',
        phone: '010-65001234',
      },
      'test',
    );
    const a = await lite.issue(reminder('M-1'), { today: TODAY, idempotencyKey: 'm1' });
    await lite.issue(reminder('M-2'), { today: TODAY, idempotencyKey: 'm2' });
    const proof = await lite.delivery.addProof(a.record.id, Buffer.from('%PDF-1.4 receipt'), 'application/pdf');
    await lite.delivery.record(
      a.record.id,
      { type: 'dispatched', at: '2026-11-28T10:00:00+08:00', channel: 'ems', proofs: [proof.sha256] },
      { actor: 'test' },
    );
    await lite.debtors.file(a.record, { type: 'hardship', text: '失业中，申请分期' });
    await lite.close();

    const url = await freshDatabase();
    const first = await runCli(['registry', 'migrate', '--from', `sqlite:${db}`, '--to', url, '--json'], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as {
      ok: boolean;
      tables: { table: string; source: number; copied: number; verified: number }[];
      blobs: { source: number; copied: number };
    };
    expect(report.ok).toBe(true);
    const rows = Object.fromEntries(report.tables.map((t) => [t.table, t]));
    expect(rows.letters).toMatchObject({ source: 2, copied: 2, verified: 2 });
    expect(rows.orgs).toMatchObject({ source: 2, copied: 1, verified: 2 }); // the built-in default organisation exists on both sides
    expect(rows.audit).toMatchObject({ source: 5, copied: 5, verified: 5 }); // org.add, two issues, the dispatch, the hardship request
    expect(rows.debtor_responses).toMatchObject({ copied: 1 });
    expect(report.blobs).toMatchObject({ source: 3, copied: 3 }); // two PDFs and the proof

    // Again: nothing new to copy, everything verified.
    const again = JSON.parse(
      (await runCli(['registry', 'migrate', '--from', `sqlite:${db}`, '--to', url, '--json'], { env })).stdout,
    ) as typeof report;
    expect(again.ok).toBe(true);
    expect(again.tables.every((t) => t.copied === 0 && t.verified === t.source)).toBe(true);

    // On PostgreSQL: every stored PDF matches and re-renders byte for byte; the audit chain is intact.
    const check = await runCli(['registry', 'check', '--db', url], { env });
    expect(check.stdout).toContain('2 checked, 0 differ');
    expect(check.code).toBe(0);
    expect((await runCli(['registry', 'audit', '--db', url], { env })).code).toBe(0);
    const pgReg = openRegistry({ db: url, dataKey, publicBaseUrl: 'https://v.test' });
    try {
      expect((await pgReg.issue(reminder('M-3'), { today: TODAY })).record.number).toMatch(/第0003号$/);
      expect((await pgReg.issue(reminder('M-1'), { today: TODAY, idempotencyKey: 'm1' })).replayed).toBe(true);
      expect(
        (await pgReg.evidence.forLetter(a.record.id)).zip.includes(Buffer.from(`proofs/${proof.sha256}.pdf`)),
      ).toBe(true);
    } finally {
      await pgReg.close();
    }

    // A row changed in the target is found by the next run's verification (exit 1, named).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('UPDATE letters SET total_fen = 1 WHERE id = $1', [a.record.id]);
    await client.end();
    const tampered = await runCli(['registry', 'migrate', '--from', `sqlite:${db}`, '--to', url], { env });
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(
      `✗ letters: 2 rows, 0 copied now, 1 verified; differ in the target: ${a.record.id}`,
    );
  });

  it('refuses a target that is not PostgreSQL and a missing source, as usage errors', async () => {
    expect(
      (
        await runCli(
          ['registry', 'migrate', '--from', 'sqlite:/nonexistent/h.db', '--to', 'postgres://x@127.0.0.1:1/x'],
          { env },
        )
      ).code,
    ).toBe(2);
    expect((await runCli(['registry', 'migrate', '--to', 'mysql://x'], { env })).code).toBe(2);
  });
});
