/**
 * hanjian users list | disable | enable | passwd, as an operator runs them: scoped to the
 * organisation (another organisation's user is "no such user", as an unknown login is),
 * audited, the same password rule as users add; a disabled lawyer approves nothing from the
 * terminal; users add without a password says how to set one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { verifyPassword } from '../../src/orgs/passwords.js';
import { addDays, todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { storedMandate } from '../fixtures/mandate.js';
import { example, restated } from '../helpers.js';
import { runCli } from './run.js';

const FIRM = '北京某某律师事务所';
const CLIENT = '北京某某科技有限公司';
const PASSWORD = 'correct horse battery';
let db = '';

const cli = (args: string[], stdin?: string) => runCli([...args, '--db', db], stdin === undefined ? {} : { stdin });
const ok = async (args: string[], stdin?: string) => {
  const r = await cli(args, stdin);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};
const audit = () => {
  const d = new Database(db, { readonly: true });
  try {
    return d
      .prepare(
        "SELECT actor, action, subject, details FROM audit WHERE action IN ('user.disable', 'user.enable', 'user.password') ORDER BY seq",
      )
      .all() as { actor: string; action: string; subject: string; details: string }[];
  } finally {
    d.close();
  }
};

beforeAll(async () => {
  db = join(mkdtempSync(join(tmpdir(), 'hanjian-users-')), 'h.db');
  await ok([
    'orgs',
    'add',
    '--kind',
    'law-firm',
    '--name',
    FIRM,
    '--license',
    '31110000MD01234564',
    '--letter-prefix',
    '京某律函字',
    '--address',
    '北京市朝阳区某某路88号',
    '--phone',
    '010-65001234',
  ]);
  await ok(['orgs', 'add', '--kind', 'creditor', '--name', CLIENT, '--credit-code', '91110108MA01ABCD2H']);
  await ok(
    [
      'users',
      'add',
      '--org',
      FIRM,
      '--login',
      'lisi',
      '--name',
      '李四',
      '--role',
      'lawyer',
      '--license',
      '11101201910123456',
      '--password-stdin',
    ],
    PASSWORD,
  );
  await ok(
    ['users', 'add', '--org', CLIENT, '--login', 'kehu', '--name', '孙经理', '--role', 'admin', '--password-stdin'],
    PASSWORD,
  );
});

describe('hanjian users', () => {
  it('users add without a password says the user cannot sign in and how to set one', async () => {
    const r = await ok(['users', 'add', '--org', FIRM, '--login', 'zhaoliu', '--name', '赵六', '--role', 'assistant']);
    expect(r.stdout).toContain('未设置密码');
    expect(r.stdout).toContain(`hanjian users passwd zhaoliu --org ${FIRM} --password-stdin`);
    const json = await ok([
      'users',
      'add',
      '--org',
      FIRM,
      '--login',
      'zhouqi',
      '--name',
      '周七',
      '--role',
      'assistant',
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({ login: 'zhouqi', hasPassword: false, status: 'active' });
    expect(json.stdout).not.toContain('passwordHash');
    expect(json.stderr).toContain('users passwd zhouqi');
  });

  it("lists the organisation's people only, as a table and as JSON, never with a password hash", async () => {
    const table = (await ok(['users', 'list', '--org', FIRM])).stdout;
    expect(table.split('\n')[0]).toMatch(/name.*login.*role.*status.*created/);
    expect(table).toMatch(/李四\s+lisi\s+lawyer\s+在用 active\s+\d{4}-\d{2}-\d{2}/);
    expect(table).toMatch(/zhaoliu\s+assistant\s+在用 active（未设密码 no password）/);
    expect(table).not.toContain('kehu');
    const list = JSON.parse((await ok(['users', 'list', '--org', FIRM, '--json'])).stdout) as Record<string, unknown>[];
    expect(list.map((u) => u.login)).toEqual(['lisi', 'zhaoliu', 'zhouqi']);
    expect(list[0]).toMatchObject({
      name: '李四',
      role: 'lawyer',
      status: 'active',
      hasPassword: true,
      disabledAt: null,
    });
    expect(JSON.stringify(list)).not.toMatch(/scrypt|passwordHash/);
    expect((await cli(['users', 'list'])).code).toBe(2);
  });

  it('an unknown login and a user of another organisation are the same "no such user"; nothing changes', async () => {
    const attempts: [string[], string?][] = [
      [['disable', 'nobody', '--org', FIRM]],
      [['disable', 'kehu', '--org', FIRM]],
      [['disable', 'lisi', '--org', CLIENT]],
      [['enable', 'kehu', '--org', FIRM]],
      [['passwd', 'kehu', '--org', FIRM, '--password-stdin'], 'another password'],
    ];
    for (const [args, stdin] of attempts) {
      const r = await cli(['users', ...args], stdin);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('no such user');
    }
    expect(JSON.parse((await ok(['users', 'list', '--org', CLIENT, '--json'])).stdout)[0]).toMatchObject({
      login: 'kehu',
      status: 'active',
    });
    expect(audit()).toEqual([]);
    expect((await cli(['users', 'frobnicate'])).stderr).toContain('add, list, disable, enable or passwd');
    expect((await cli(['users', 'disable', '--org', FIRM])).code).toBe(2);
  });

  it('passwd sets a password under the one password rule (12–200 characters, as in the workspace), audited without the password', async () => {
    const short = await cli(['users', 'passwd', 'zhaoliu', '--org', FIRM, '--password-stdin'], 'short');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('a password is 12–200 characters');
    expect((await cli(['users', 'passwd', 'zhaoliu', '--org', FIRM])).code).toBe(2);
    const r = await ok(['users', 'passwd', 'zhaoliu', '--org', FIRM, '--password-stdin'], 'a new password\n');
    expect(r.stdout).toContain('password set: zhaoliu');
    const reg = openRegistry({ db });
    try {
      const u = (await reg.orgs.findUser('zhaoliu'))!;
      expect(verifyPassword('a new password', u.passwordHash)).toBe(true);
      const rows = audit();
      expect(rows.at(-1)).toMatchObject({ actor: 'cli', action: 'user.password', subject: u.id });
      expect(rows.at(-1)!.details).not.toContain('a new password');
    } finally {
      await reg.close();
    }
  });

  it('disable and enable: status shown, audited once per change, and a disabled lawyer approves nothing from the terminal', async () => {
    // A pending lawyer's letter for lisi to approve.
    const reg = openRegistry({ db });
    let requestId = '';
    try {
      const today = todayInShanghai();
      const [firm, client, lisi] = [
        (await reg.orgs.findOrg(FIRM))!,
        (await reg.orgs.findOrg(CLIENT))!,
        (await reg.orgs.findUser('lisi'))!,
      ];
      const eng = await reg.orgs.addEngagement(
        {
          creditorOrgId: client.id,
          firmOrgId: firm.id,
          signedOn: addDays(today, -10),
          startsOn: addDays(today, -10),
          products: ['白条'],
          lawyerIds: [lisi.id],
          ...(await storedMandate(reg)),
        },
        'test',
      );
      const x = example('lawyer-letter');
      for (const k of ['lawFirm', 'lawyers', 'letterNo', 'issueDate']) delete x[k];
      // Amounts as of the day it is requested (the day approval itemises them at), then no asOf: the review fills it in.
      restated(x, todayInShanghai());
      delete x.asOf;
      x.history = {
        overdueCount12m: 2,
        lettersSent: [
          { kind: 'demand', date: addDays(today, -9), deadline: addDays(today, -2), delivery: 'delivered' },
        ],
      };
      requestId = (
        await reg.requests.request(
          { engagement: eng.id, letter: x },
          { orgId: client.id, userId: null, keyId: 'test', scopes: null },
        )
      ).id;
    } finally {
      await reg.close();
    }

    const off = await ok(['users', 'disable', 'lisi', '--org', FIRM]);
    expect(off.stdout).toContain('disabled: lisi');
    expect((await ok(['users', 'disable', 'lisi', '--org', FIRM])).stdout).toContain('already disabled');
    expect((await ok(['users', 'list', '--org', FIRM])).stdout).toMatch(/lisi\s+lawyer\s+停用 disabled/);
    const approve = await cli(['requests', 'approve', requestId, '--lawyer', 'lisi', '--password-stdin'], PASSWORD);
    expect(approve.code).toBe(1);
    expect(approve.stderr).toContain('USER_DISABLED');
    const pending = JSON.parse((await ok(['requests', 'list', '--org', FIRM, '--json'])).stdout) as {
      id: string;
      status: string;
    }[];
    expect(pending.find((p) => p.id === requestId)?.status).toBe('pending_review');

    const on = await ok(['users', 'enable', 'lisi', '--org', FIRM, '--json']);
    expect(JSON.parse(on.stdout)).toMatchObject({ login: 'lisi', status: 'active', disabledAt: null, changed: true });
    expect(
      audit()
        .filter((r) => r.action !== 'user.password')
        .map((r) => [r.actor, r.action, JSON.parse(r.details).login]),
    ).toEqual([
      ['cli', 'user.disable', 'lisi'],
      ['cli', 'user.enable', 'lisi'],
    ]);
  });
});
