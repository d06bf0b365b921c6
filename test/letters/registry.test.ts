import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openRegistry, type Renderer } from '../../src/app/library.js';
import { LAYOUT_ENGINE_VERSION, renderLetter } from '../../src/pipeline/index.js';
import { HanjianError } from '../../src/shared/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { SqlLetterStore } from '../../src/store/sql/letters.js';
import { SqliteDb } from '../../src/store/sqlite/db.js';
import { runCli } from '../cli/run.js';
import { dated, example, ROOT, TODAY } from '../helpers.js';
import { readPdf } from '../pipeline/pdf/extract.js';

const lawyer = () => {
  const x = example('lawyer-letter');
  delete x.letterNo;
  return x;
};
/** The registry issues a lawyer's letter only with an approval; the workflow supplies it (test/workflow covers that path). */
/** Another debtor and contract: one contract gets one letter of a kind a day (ALREADY_ISSUED). */
const lawyerFor = (name: string, n: number) => {
  const x = lawyer();
  x.debtor.name = name;
  x.account.contractNo = `BT2025-00${n}`;
  return x;
};
const approval = { requestId: 'test-request', approvedBy: 'test-lawyer', clientOrgId: 'default' };
const tmp = () => mkdtempSync(join(tmpdir(), 'hanjian-reg-'));
const pdfFiles = (dir: string): string[] =>
  existsSync(join(dir, 'letters'))
    ? readdirSync(join(dir, 'letters'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.pdf'))
    : [];

describe('registry', () => {
  it('migrates, issues numbered letters per firm and year, and prints the code and QR', async () => {
    const dir = tmp();
    const reg = openRegistry({ db: join(dir, 'h.db'), publicBaseUrl: 'https://verify.example.test' });
    const a = await reg.issue(lawyer(), { today: TODAY, approval, requester: 'test' });
    const b = await reg.issue(
      { ...lawyerFor('张三', 4), debt: { ...lawyer().debt, paid: '100.00', total: '12326.00' } },
      { today: TODAY, approval, requester: 'test' },
    );
    expect(a.record.number).toBe('（2026）京某律函字第0001号');
    expect(b.record.number).toBe('（2026）京某律函字第0002号');
    const text = (await readPdf((await reg.letters.pdf(a.record.id)).pdf)).lines.map((l) => l.text).join('\n');
    expect(text).toContain('（2026）京某律函字第0001号');
    expect(text).toContain(`核验码：${a.record.verifyCode}`);
    expect(text).toContain('https://verify.example.test/v1/verify');
    // Reminders and demands number per creditor, with the creditor's prefix.
    const r = await reg.issue(
      { ...dated('reminder'), creditor: { ...example('reminder').creditor, letterPrefix: '某某科技提字' } },
      { today: TODAY },
    );
    expect(r.record.number).toBe('（2026）某某科技提字第0001号');
    expect((reg.stores.db as SqliteDb).schemaVersion).toBe(MIGRATIONS.length);
    await reg.close();
  });

  it('a render that fails leaves no record, no file and no gap', async () => {
    const dir = tmp();
    let fail = false;
    const render: Renderer = async (input, o) => {
      const r = await renderLetter(input, { letterNo: o.letterNo, verification: o.verification, today: o.today });
      if (fail) throw new Error('disk on fire');
      return { pdf: r.pdf, sha256: r.sha256, inputSha256: r.inputSha256, template: r.template, seal: r.seal };
    };
    const reg = openRegistry({ db: join(dir, 'h.db'), publicBaseUrl: 'https://v.test', render });
    await reg.issue(lawyer(), { today: TODAY, approval, idempotencyKey: 'a' });
    fail = true;
    await expect(reg.issue(lawyerFor('李雷', 1), { today: TODAY, approval, idempotencyKey: 'b' })).rejects.toThrow(
      'disk on fire',
    );
    expect(pdfFiles(dir)).toHaveLength(1);
    expect(await reg.stores.letters.findByIdempotencyKey('default', 'b')).toBeNull();
    fail = false;
    const c = await reg.issue(lawyerFor('李雷', 1), { today: TODAY, approval, idempotencyKey: 'b' });
    expect(c.record.number).toBe('（2026）京某律函字第0002号');
    // A refused letter (compliance) uses no number either.
    await expect(
      reg.issue(
        { ...lawyerFor('张三', 5), account: { ...lawyerFor('张三', 5).account, overdueDailyRate: '0.001' } },
        { today: TODAY, approval },
      ),
    ).rejects.toMatchObject({ code: 'COMPLIANCE' });
    expect((await reg.issue(lawyerFor('韩梅梅', 2), { today: TODAY, approval })).record.number).toBe(
      '（2026）京某律函字第0003号',
    );
    await reg.close();
  });

  it('idempotency: same key and input → the same letter; different input or requester → conflict', async () => {
    const reg = openRegistry({ db: join(tmp(), 'h.db'), publicBaseUrl: 'https://v.test' });
    const first = await reg.issue(lawyer(), { today: TODAY, approval, idempotencyKey: 'k', requester: 'crm' });
    const again = await reg.issue(lawyer(), { today: TODAY, approval, idempotencyKey: 'k', requester: 'crm' });
    expect(again).toEqual({ record: first.record, replayed: true, pdf: first.pdf });
    await expect(
      reg.issue(
        { ...lawyer(), demand: { days: 10 } },
        { today: TODAY, approval, idempotencyKey: 'k', requester: 'crm' },
      ),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    await expect(
      reg.issue(lawyer(), { today: TODAY, approval, idempotencyKey: 'k', requester: 'other' }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    await expect(reg.issue(example('lawyer-letter'), { today: TODAY })).rejects.toMatchObject({
      code: 'LETTER_NO_NOT_ALLOWED',
    });
    await reg.close();
  });

  it('survives SIGKILL in the middle of issuing: consistent database, next number correct', async () => {
    const dir = tmp();
    const db = join(dir, 'h.db');
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'test', 'fixtures', 'issue-child.mjs'),
        db,
        join(ROOT, 'templates', 'lawyer-letter', '1', 'example.json'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('HANGING')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
      setTimeout(() => reject(new Error(`child did not reach the hang: ${out}`)), 30_000);
    });
    await new Promise((r) => child.on('close', r));
    expect(out).toContain('ISSUED （2026）京某律函字第0002号');
    expect(out).toContain('HANGING （2026）京某律函字第0003号');
    const check = new Database(db);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((check.prepare('SELECT COUNT(*) n FROM letters').get() as { n: number }).n).toBe(2);
    check.close();
    const reg = openRegistry({ db, publicBaseUrl: 'https://verify.example.test' });
    const next = await reg.issue(lawyerFor('王二', 3), { today: TODAY, approval });
    expect(next.record.number).toBe('（2026）京某律函字第0003号');
    await reg.close();
  });

  it('verifies by number and code, and by PDF file; detects a tampered stored PDF; re-renders identically', async () => {
    const dir = tmp();
    const db = join(dir, 'h.db');
    const reg = openRegistry({ db, publicBaseUrl: 'https://v.test' });
    const { record } = await reg.issue(lawyer(), { today: TODAY, approval });
    expect(await reg.letters.verify(record.number, record.verifyCode.toLowerCase().replace('-', ''))).toMatchObject({
      valid: true,
      debtor: '张*',
      total: '12426.00',
      sender: '北京某某律师事务所',
    });
    expect(await reg.letters.verify(record.number, 'AAAA-AAAA')).toEqual({ valid: false });
    const { pdf } = await reg.letters.pdf(record.id);
    expect(await reg.letters.verifyPdf(pdf)).toMatchObject({ valid: true, number: record.number });
    expect(await reg.check()).toEqual({ checked: 1, failed: 0, notRerendered: 0 });
    await reg.close();

    const file = join(dir, 'issued.pdf');
    writeFileSync(file, pdf);
    const cli = await runCli(['verify', file, '--db', db]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(record.number);
    writeFileSync(file, Buffer.concat([pdf, Buffer.from('\n% altered')]));
    expect((await runCli(['verify', file, '--db', db])).code).toBe(1);

    // Tamper with the stored file: it is never served, and the audit reports it.
    const stored = join(dir, 'letters', record.pdfSha256.slice(0, 2), `${record.pdfSha256}.pdf`);
    const bytes = readFileSync(stored);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 1;
    writeFileSync(stored, bytes);
    const again = openRegistry({ db, publicBaseUrl: 'https://v.test' });
    await expect(again.letters.pdf(record.id)).rejects.toMatchObject({ code: 'STORED_PDF_CORRUPT' });
    expect(await again.check()).toEqual({ checked: 1, failed: 1, notRerendered: 0 });
    await again.close();
    const audit = await runCli(['registry', 'check', '--db', db, '--json']);
    expect(audit.code).toBe(1);
    expect(JSON.parse(audit.stdout).failed).toBe(1);
  });

  it('records the layout engine; check verifies every file but re-renders only letters of the current engine', async () => {
    const dir = tmp();
    const db = join(dir, 'h.db');
    const reg = openRegistry({ db, publicBaseUrl: 'https://v.test' });
    const current = (await reg.issue(lawyer(), { today: TODAY, approval })).record;
    const old = (await reg.issue(lawyerFor('李雷', 1), { today: TODAY, approval })).record;
    expect(current.engine).toBe(LAYOUT_ENGINE_VERSION);
    expect((await reg.letters.get(current.id)).engine).toBe(LAYOUT_ENGINE_VERSION);
    await reg.close();

    // A database from before the engine column: migration 5 marks its letters as engine 1.
    const raw = new Database(db);
    raw.exec('ALTER TABLE letters DROP COLUMN engine; DELETE FROM schema_migrations WHERE version = 5');
    raw.prepare('UPDATE letters SET pdf_sha256 = pdf_sha256').run();
    raw.close();
    const migratedDb = new SqliteDb(db);
    expect(migratedDb.schemaVersion).toBe(MIGRATIONS.length);
    expect((await new SqlLetterStore(migratedDb).findById(old.id))!.engine).toBe(1);
    await migratedDb.close();
    // Only the "old" letter stays engine 1; the other is marked current again.
    const fix = new Database(db);
    fix.prepare('UPDATE letters SET engine = ? WHERE id = ?').run(LAYOUT_ENGINE_VERSION, current.id);
    fix.close();

    const seen: { number: string; ok: boolean; note?: string }[] = [];
    const again = openRegistry({ db, publicBaseUrl: 'https://v.test' });
    expect(await again.check((r) => seen.push(r))).toEqual({ checked: 2, failed: 0, notRerendered: 1 });
    expect(seen.find((r) => r.number === old.number)).toMatchObject({ ok: true, note: 'engine v1, not re-rendered' });
    await again.close();
    const cli = await runCli(['registry', 'check', '--db', db]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`${old.number} (${old.id}): engine v1, not re-rendered`);

    // The file of a letter that is not re-rendered is still checked against its sha256.
    const stored = join(dir, 'letters', old.pdfSha256.slice(0, 2), `${old.pdfSha256}.pdf`);
    const bytes = readFileSync(stored);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 1;
    writeFileSync(stored, bytes);
    const audit = await runCli(['registry', 'check', '--db', db, '--json']);
    expect(audit.code).toBe(1);
    expect(JSON.parse(audit.stdout)).toMatchObject({ checked: 2, failed: 1, notRerendered: 0 });
  });

  it('issues from the CLI', async () => {
    const dir = tmp();
    const db = join(dir, 'h.db');
    const input = join(dir, 'in.json');
    writeFileSync(input, JSON.stringify(dated('demand')));
    const r = await runCli([
      'issue',
      input,
      '--db',
      db,
      '--key',
      'cli-1',
      '--json',
      '--today',
      TODAY,
      '-o',
      join(dir, 'out.pdf'),
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ number: '（2026）函字第0001号', replayed: false });
    const again = await runCli(['issue', input, '--db', db, '--key', 'cli-1', '--json', '--today', TODAY]);
    expect(JSON.parse(again.stdout)).toMatchObject({ number: '（2026）函字第0001号', replayed: true });
    // A lawyer's letter is never issued from the terminal without a lawyer's approval.
    writeFileSync(input, JSON.stringify(lawyer()));
    const refused = await runCli(['issue', input, '--db', db, '--json', '--today', TODAY]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).code).toBe('REVIEW_REQUIRED');
    expect(existsSync(join(dir, 'out.pdf'))).toBe(true);
    expect(HanjianError).toBeDefined();
  });
});
