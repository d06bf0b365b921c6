/**
 * hanjian requests approve -o FILE: the issued letter's PDF written out; an unwritable path refused
 * before anything is issued. hanjian void then asks for a lawyer's or an administrator's sign-in.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { PASSWORD, pendingRequests, setUpFirm } from '../web/fixture.js';
import { runCli } from './run.js';

describe('hanjian requests approve -o', () => {
  it("writes the PDF it issued (the stored bytes); a path that cannot be written issues nothing; void needs a lawyer's sign-in", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-approve-o-'));
    const ids = await setUpFirm(dir);
    const [id] = await pendingRequests(dir, ids, 1);
    const db = join(dir, 'hanjian.db');
    const approve = (out: string) =>
      runCli(['requests', 'approve', id!, '--lawyer', 'lisi', '--password-stdin', '-o', out, '--db', db, '--json'], {
        stdin: PASSWORD,
      });
    const bad = await approve(join(dir, 'no-such-folder', 'letter.pdf'));
    expect(bad.code).toBe(1);
    const list = await runCli(['requests', 'list', '--org', '北京某某科技有限公司', '--db', db, '--json']);
    expect(JSON.parse(list.stdout)[0].status).toBe('pending_review');
    const file = join(dir, 'letter.pdf');
    const ok = await approve(file);
    expect(ok.stderr).not.toContain('Error');
    expect(ok.code).toBe(0);
    const record = JSON.parse(ok.stdout);
    expect(record.file).toBe(file);
    expect(existsSync(file)).toBe(true);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(record.pdfSha256);
    expect((await runCli(['requests', 'list', '-o', file, '--org', 'x', '--db', db])).code).toBe(2);
    // hanjian void asks for the sign-in of a lawyer or an administrator; an assistant may not.
    const voidAs = (login: string) =>
      runCli(['void', record.number, '--lawyer', login, '--password-stdin', '--reason', '发错对象', '--db', db], {
        stdin: PASSWORD,
      });
    const unsigned = await runCli(['void', record.number, '--reason', '发错对象', '--db', db]);
    expect(unsigned.code).toBe(2);
    expect(unsigned.stderr).toContain('--lawyer LOGIN --password-stdin');
    const wrong = await runCli(
      ['void', record.number, '--lawyer', 'lisi', '--password-stdin', '--reason', '发错对象', '--db', db],
      { stdin: 'not the password' },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('登录名或密码错误');
    // Another organisation's administrator finds no such letter of theirs.
    const outsider = await voidAs('other');
    expect(outsider.code).toBe(1);
    expect(outsider.stderr).toContain('本机构没有出具过这个函号');
    const assistant = await voidAs('zhaoliu');
    expect(assistant.code).toBe(1);
    expect(assistant.stderr).toContain('只有律师或管理员可以作废函件');
    const lawyer = await voidAs('lisi');
    expect(lawyer.code, lawyer.stderr).toBe(0);
    expect(lawyer.stdout).toContain('已作废');
    const reg = openRegistry({ db });
    try {
      const trail = await reg.audit.rows({ subject: record.id });
      expect(trail.find((r) => r.action === 'letter.void')?.actor).toBe('cli:lisi');
    } finally {
      await reg.close();
    }
  }, 240_000);
});
