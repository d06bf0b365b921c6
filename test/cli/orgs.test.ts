import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mandatePdf } from '../fixtures/mandate.js';
import { runCli } from './run.js';

describe('hanjian orgs update', () => {
  it("completes a creditor's address and phone after registration, audited, and refuses an empty value", async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'hanjian-orgs-')), 'h.db');
    expect(
      (
        await runCli([
          'orgs',
          'add',
          '--db',
          db,
          '--kind',
          'creditor',
          '--name',
          '北京某某科技有限公司',
          '--credit-code',
          '91110108MA01ABCD2H',
        ])
      ).code,
    ).toBe(0);
    const updated = await runCli([
      'orgs',
      'update',
      '北京某某科技有限公司',
      '--db',
      db,
      '--address',
      '北京市海淀区某某路1号',
      '--phone',
      '400-800-1234',
      '--json',
    ]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ address: '北京市海淀区某某路1号', phone: '400-800-1234' });
    const listed = JSON.parse((await runCli(['orgs', 'list', '--db', db, '--json'])).stdout);
    expect(listed[0]).toMatchObject({ address: '北京市海淀区某某路1号', phone: '400-800-1234' });
    const empty = await runCli(['orgs', 'update', '北京某某科技有限公司', '--db', db, '--phone', ' ']);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain('phone');
    const unknown = await runCli(['orgs', 'update', '不存在的公司', '--db', db, '--phone', '010-1']);
    expect(unknown.code).not.toBe(0);
    const audit = await runCli(['registry', 'audit', '--db', db, '--json']);
    expect(audit.code, audit.stderr).toBe(0);
  });
});

describe('hanjian engagements add', () => {
  it('refuses a signing or end date that is not on the calendar, naming the field, and registers nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-orgs-'));
    const db = join(dir, 'h.db');
    const mandate = join(dir, '授权委托书.pdf');
    writeFileSync(mandate, await mandatePdf()); // a readable PDF: only the dates are wrong
    const ok = async (args: string[]) => {
      const r = await runCli([...args, '--db', db]);
      expect(r.code, r.stderr).toBe(0);
    };
    await ok([
      'orgs',
      'add',
      '--kind',
      'creditor',
      '--name',
      '北京某某科技有限公司',
      '--credit-code',
      '91110108MA01ABCD2H',
    ]);
    await ok([
      'orgs',
      'add',
      '--kind',
      'law-firm',
      '--name',
      '北京某某律师事务所',
      '--license',
      '31110000MD01234564',
      '--letter-prefix',
      '京某律函字',
      '--address',
      '北京市朝阳区某某路88号',
      '--phone',
      '010-65001234',
    ]);
    await ok([
      'users',
      'add',
      '--org',
      '北京某某律师事务所',
      '--login',
      'lisi',
      '--name',
      '李四',
      '--role',
      'lawyer',
      '--license',
      '11101201910123456',
    ]);
    const add = (signed: string, extra: string[] = []) =>
      runCli([
        'engagements',
        'add',
        '--db',
        db,
        '--creditor',
        '北京某某科技有限公司',
        '--firm',
        '北京某某律师事务所',
        '--lawyers',
        'lisi',
        '--signed',
        signed,
        '--mandate',
        mandate,
        ...extra,
      ]);
    for (const [signed, extra, field] of [
      ['2026-02-31', [], 'signedOn'],
      ['2026-13-45', [], 'signedOn'],
      ['2026-11-01', ['--to', '2026-04-31'], 'endsOn'],
    ] as const) {
      const r = await add(signed, [...extra]);
      expect(r.code, `${signed} ${extra.join(' ')}`).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`${field}|不是有效日期|YYYY-MM-DD`));
    }
    // A mandate that is neither a PDF nor a PNG/JPEG scan (a text file given by mistake) is refused, naming the option.
    const notPdf = join(dir, 'mandate.txt');
    writeFileSync(notPdf, '授权委托书（文字稿）');
    const wrong = await runCli([
      'engagements',
      'add',
      '--db',
      db,
      '--creditor',
      '北京某某科技有限公司',
      '--firm',
      '北京某某律师事务所',
      '--lawyers',
      'lisi',
      '--signed',
      '2026-11-01',
      '--mandate',
      notPdf,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--mandate');
    expect(wrong.stderr).toContain('授权委托书须为 PDF、PNG 或 JPEG');
    const list = await runCli(['engagements', 'list', '--db', db, '--org', '北京某某科技有限公司', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([]);
    await ok([
      'engagements',
      'add',
      '--creditor',
      '北京某某科技有限公司',
      '--firm',
      '北京某某律师事务所',
      '--lawyers',
      'lisi',
      '--signed',
      '2026-11-01',
      '--mandate',
      mandate,
    ]);
  });
});
