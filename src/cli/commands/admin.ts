/**
 * hanjian orgs | users | keys | engagements: who may do what for whom, from the terminal.
 * Everything goes to the registry database (--db, HANJIAN_DB or ./data/hanjian.db) and to the
 * audit trail.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openRegistry, type Registry } from '../../app/library.js';
import { SCOPES, type Scope, type User } from '../../orgs/model.js';
import { checkPassword } from '../../orgs/passwords.js';
import { UsageError } from '../exit.js';
import type { Out } from '../io.js';
import { readText } from '../io.js';
import { terminal } from '../terminal.js';

export const ORGS_HELP = `hanjian orgs add --kind creditor|law-firm --name NAME [options] | orgs list [--json]
hanjian orgs update ORG [--address A] [--phone P]

  creditor:  --credit-code CODE [--address A] [--phone P] [--letter-prefix P] [--review-own-letters]
             (address and phone are printed on letters made from a workspace import)
  law-firm:  --license LICENCE --letter-prefix P --address A --phone P [--register-next N [--register-year Y]]

--register-next is the next number of the firm's own paper register this year, so that
letters numbered here continue it instead of clashing with it.
Example:
  hanjian orgs add --kind law-firm --name 北京某某律师事务所 --license 31110000E00000000X \\
      --letter-prefix 京某律函字 --address "北京市朝阳区某某路1号" --phone 010-65000000 --register-next 128`;

export const USERS_HELP = `hanjian users add --org ORG --login LOGIN --name NAME --role lawyer|assistant|admin
                  [--license CERT] [--phone P] [--password-stdin]
hanjian users list --org ORG [--json]
hanjian users disable LOGIN --org ORG | users enable LOGIN --org ORG
hanjian users passwd LOGIN --org ORG --password-stdin

A lawyer belongs to a law firm and has a 17-digit practice certificate number; the name and
number are printed on the letters the lawyer approves. The password (for the web workspace
and for approving from the terminal, 12 to 200 characters) is read from standard input and
stored as scrypt; a user added without --password-stdin cannot sign in until users passwd
sets one. users passwd ends the user's workspace sessions.

A person who leaves is disabled, not deleted (their name stays on the letters they approved):
they can no longer sign in, their sessions end at their next request, they approve nothing
(also not in a batch approval already running), and API keys bound to them stop working.
users enable undoes it. Every change is recorded in the audit trail.
Example:
  printf '%s' "$PASSWORD" | hanjian users add --org 北京某某律师事务所 --login lisi --name 李四 \\
      --role lawyer --license 11101201910123456 --phone 13900139000 --password-stdin
  hanjian users disable lisi --org 北京某某律师事务所`;

export const KEYS_HELP = `hanjian keys add --org ORG --scopes S1,S2 [--user LOGIN] [--json]

Creates an API key and prints it ONCE; only its sha256 is stored. Scopes: ${SCOPES.join(', ')}.
A key bound to a lawyer (--user) with scope review may approve that lawyer's requests.
Example:
  hanjian keys add --org 北京某某科技有限公司 --scopes request,read,issue:reminder,issue:demand`;

export const ENGAGEMENTS_HELP = `hanjian engagements add --creditor ORG --firm ORG --lawyers LOGIN[,LOGIN] --signed YYYY-MM-DD
                        --mandate FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--products P1,P2]
hanjian engagements list --org ORG [--json]
hanjian engagements mandate ENGAGEMENT_ID --mandate FILE [--json]

Records the creditor's written instruction to the firm (委托): the signed 授权委托书 (a PDF, or
a PNG/JPEG scan, at most 10 MB, recognised by its content; kept encrypted with the data key and its
sha256 recorded; the reviewing lawyer sees it and the evidence package carries it), the period, the products covered and the lawyers assigned. A lawyer's letter can only
be requested under an engagement in force on its issue date.
\`mandate\` stores the signed 授权委托书 of an engagement recorded before mandates were kept (by its
sha256 only): the very file recorded (its sha256 must match), once; until then its lawyer's letters
are refused (MANDATE_REQUIRED).
Example:
  hanjian engagements add --creditor 北京某某科技有限公司 --firm 北京某某律师事务所 \\
      --lawyers lisi --signed 2026-11-01 --mandate 授权委托书.pdf --products 白条`;

const COMMON = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function withRegistry<T>(db: string | undefined, fn: (r: Registry) => T | Promise<T>): Promise<T> {
  const registry = openRegistry({ env: terminal().env, db });
  try {
    return await fn(registry);
  } finally {
    await registry.close();
  }
}

/** An organisation by id or exact name, for a CLI flag; also used by hanjian requests and void. */
export async function orgId(r: Registry, idOrName: string | undefined, flag = '--org'): Promise<string> {
  if (!idOrName) throw new UsageError(`${flag} is required`);
  const org = await r.orgs.findOrg(idOrName);
  if (!org) throw new UsageError(`no organisation "${idOrName}" (hanjian orgs list)`);
  return org.id;
}

async function userId(r: Registry, login: string): Promise<string> {
  const u = await r.orgs.findUser(login);
  if (!u) throw new UsageError(`no user "${login}"`);
  return u.id;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function date(v: string | undefined, flag: string): string | undefined {
  if (v !== undefined && !DATE.test(v)) throw new UsageError(`${flag} takes a date YYYY-MM-DD`);
  return v;
}

export async function runOrgs(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...COMMON,
      kind: { type: 'string' },
      name: { type: 'string' },
      'credit-code': { type: 'string' },
      license: { type: 'string' },
      'letter-prefix': { type: 'string' },
      address: { type: 'string' },
      phone: { type: 'string' },
      'register-next': { type: 'string' },
      'register-year': { type: 'string' },
      'review-own-letters': { type: 'boolean' },
    },
  });
  if (values.help || !positionals[0]) return out.help(ORGS_HELP);
  return withRegistry(values.db, async (r) => {
    if (positionals[0] === 'list') {
      const orgs = await r.orgs.orgs();
      if (values.json) return out.json(orgs);
      for (const o of orgs)
        out.line(
          `${o.id}  ${o.kind === 'law-firm' ? '律所' : '债权人'}  ${o.name}  ${o.creditCode ?? o.licenseNo ?? ''}  ${o.letterPrefix ?? ''}`,
        );
      return 0;
    }
    if (positionals[0] === 'update') {
      if (!positionals[1]) throw new UsageError('orgs update takes the organisation (id or name)');
      if (values.address === undefined && values.phone === undefined)
        throw new UsageError('orgs update takes --address and/or --phone');
      const org = await r.orgs.updateContact(
        await orgId(r, positionals[1], 'ORG'),
        { address: values.address, phone: values.phone },
        'cli',
      );
      if (values.json) return out.json(org);
      out.line(`已更新机构 / organisation updated: ${org.name}`);
      return 0;
    }
    if (positionals[0] !== 'add') throw new UsageError('orgs takes add, update or list');
    if (values.kind !== 'creditor' && values.kind !== 'law-firm')
      throw new UsageError('--kind creditor|law-firm is required');
    if (!values.name) throw new UsageError('--name is required');
    const next = values['register-next'] !== undefined ? Number(values['register-next']) : undefined;
    if (next !== undefined && (!Number.isInteger(next) || next < 1))
      throw new UsageError('--register-next takes a whole number ≥ 1');
    const org = await r.letters.addOrg(
      {
        kind: values.kind,
        name: values.name,
        creditCode: values['credit-code'],
        licenseNo: values.license,
        letterPrefix: values['letter-prefix'],
        address: values.address,
        phone: values.phone,
        registerNext: next,
        registerYear: next ? Number(values['register-year'] ?? new Date().getFullYear()) : undefined,
        reviewOwnLetters: values['review-own-letters'],
      },
      'cli',
    );
    if (values.json) return out.json(org);
    out.line(`已添加机构 / organisation added: ${org.name}  id ${org.id}`);
    if (org.adoptedLetters)
      out.line(
        `此前未用密钥以其名义出具的 ${org.adoptedLetters} 封函件（及债务人的异议、还款方案）归入该机构 / ${org.adoptedLetters} letters issued in its name without keys (with the debtor's disputes and plans) are now its own`,
      );
    return 0;
  });
}

/** The new password from standard input, under the same rule for users add and users passwd. */
function passwordFromStdin(): string {
  const password = readText('-').replace(/\r?\n$/, '');
  checkPassword(password, 'stdin');
  return password;
}

const STATUS = (u: User) =>
  u.disabledAt ? '停用 disabled' : u.passwordHash ? '在用 active' : '在用 active（未设密码 no password）';

export async function runUsers(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...COMMON,
      org: { type: 'string' },
      login: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      license: { type: 'string' },
      phone: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  const sub = positionals[0];
  if (values.help || !sub) return out.help(USERS_HELP);
  if (sub === 'list')
    return withRegistry(values.db, async (r) => listUsers(r, await orgId(r, values.org, '--org'), !!values.json, out));
  if (sub === 'disable' || sub === 'enable' || sub === 'passwd') {
    const login = positionals[1];
    if (!login) throw new UsageError(`users ${sub} takes the user's login: users ${sub} LOGIN --org ORG`);
    if (sub === 'passwd' && !values['password-stdin'])
      throw new UsageError('users passwd reads the new password from standard input: --password-stdin');
    const password = sub === 'passwd' ? passwordFromStdin() : undefined;
    return withRegistry(values.db, async (r) => {
      const org = await orgId(r, values.org, '--org');
      if (password !== undefined) {
        const user = await r.orgs.setPassword(org, login, password, 'cli');
        if (values.json) return out.json(publicUser(user));
        out.line(`已设置密码 / password set: ${user.login}（其工作台会话已结束 / their workspace sessions ended）`);
        if (user.disabledAt)
          out.warn(`${user.login} 已停用，启用后才能登录 / is disabled: hanjian users enable ${user.login} --org …`);
        return 0;
      }
      const { user, changed } = await r.orgs.setDisabled(org, login, sub === 'disable', 'cli');
      if (values.json) return out.json({ ...publicUser(user), changed });
      if (!changed) out.line(`${user.login} 已经是${sub === 'disable' ? '停用' : '在用'}状态 / already ${sub}d`);
      else if (sub === 'disable')
        out.line(
          `已停用 / disabled: ${user.login}（不能登录、审核，会话已结束 / no sign-in or approval, sessions ended）`,
        );
      else out.line(`已启用 / enabled: ${user.login}`);
      return 0;
    });
  }
  if (sub !== 'add') throw new UsageError('users takes add, list, disable, enable or passwd');
  if (!values.login || !values.name) throw new UsageError('--login and --name are required');
  if (values.role !== 'lawyer' && values.role !== 'assistant' && values.role !== 'admin')
    throw new UsageError('--role lawyer|assistant|admin is required');
  const password = values['password-stdin'] ? passwordFromStdin() : undefined;
  return withRegistry(values.db, async (r) => {
    const user = await r.orgs.addUser(
      {
        orgId: await orgId(r, values.org, '--org'),
        login: values.login!,
        name: values.name!,
        role: values.role as 'lawyer',
        licenseNo: values.license,
        phone: values.phone,
        password,
      },
      'cli',
    );
    const noPassword = `未设置密码：${user.login} 在设置密码前不能登录工作台或审核 / no password: ${user.login} cannot sign in or approve until one is set with\n  printf '%s' "$PASSWORD" | hanjian users passwd ${user.login} --org ${shellSafe(values.org!) ? values.org : user.orgId} --password-stdin`;
    if (values.json) {
      if (!password) out.warn(noPassword);
      return out.json(publicUser(user));
    }
    out.line(`已添加用户 / user added: ${user.login} (${user.role})  id ${user.id}`);
    if (!password) out.line(noPassword);
    return 0;
  });
}

/** A name that can be pasted into a shell as it is (no quoting needed). */
const shellSafe = (s: string) => /^[\p{L}\p{N}._-]+$/u.test(s);

/** A user as the CLI shows it: never the password hash, only whether there is one. */
function publicUser(u: User) {
  return {
    id: u.id,
    orgId: u.orgId,
    login: u.login,
    name: u.name,
    role: u.role,
    licenseNo: u.licenseNo,
    phone: u.phone,
    status: u.disabledAt ? 'disabled' : 'active',
    disabledAt: u.disabledAt,
    hasPassword: !!u.passwordHash,
    createdAt: u.createdAt,
  };
}

async function listUsers(r: Registry, org: string, json: boolean, out: Out): Promise<number> {
  const users = await r.orgs.usersOf(org);
  if (json) return out.json(users.map(publicUser));
  if (!users.length) {
    out.line('该机构没有用户 / no users (hanjian users add …)');
    return 0;
  }
  const rows = [
    ['姓名 name', '登录名 login', '角色 role', '状态 status', '创建 created'],
    ...users.map((u) => [u.name, u.login, u.role, STATUS(u), u.createdAt.slice(0, 10)]),
  ];
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => width(row[i]!))));
  for (const row of rows)
    out.line(
      row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell)))).join('  '),
    );
  return 0;
}

export async function runKeys(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...COMMON, org: { type: 'string' }, user: { type: 'string' }, scopes: { type: 'string' } },
  });
  if (values.help || positionals[0] !== 'add')
    return positionals[0] ? Promise.reject(new UsageError('keys takes add')) : out.help(KEYS_HELP);
  const scopes = (values.scopes ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const unknown = scopes.filter((x) => !(SCOPES as readonly string[]).includes(x));
  if (!scopes.length || unknown.length)
    throw new UsageError(
      `--scopes takes a comma-separated list of: ${SCOPES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
    );
  return withRegistry(values.db, async (r) => {
    const { record, key } = await r.orgs.addKey(
      {
        orgId: await orgId(r, values.org, '--org'),
        userId: values.user ? await userId(r, values.user) : undefined,
        scopes: scopes as Scope[],
      },
      'cli',
    );
    if (values.json)
      return out.json({ id: record.id, key, orgId: record.orgId, userId: record.userId, scopes: record.scopes });
    out.line(`API 密钥（只显示这一次）/ API key (shown once): ${key}`);
    out.line(`id ${record.id}  scopes ${record.scopes.join(',')}`);
    return 0;
  });
}

function readMandate(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new UsageError(`cannot read the mandate file ${file}`);
  }
}

export async function runEngagements(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...COMMON,
      org: { type: 'string' },
      creditor: { type: 'string' },
      firm: { type: 'string' },
      lawyers: { type: 'string' },
      signed: { type: 'string' },
      mandate: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      products: { type: 'string' },
    },
  });
  if (values.help || !positionals[0]) return out.help(ENGAGEMENTS_HELP);
  return withRegistry(values.db, async (r) => {
    if (positionals[0] === 'list') {
      const list = await r.orgs.engagementsOf(await orgId(r, values.org, '--org'));
      if (values.json) return out.json(list);
      for (const e of list)
        out.line(
          `${e.id}  ${(await r.orgs.org(e.creditorOrgId)).name} → ${(await r.orgs.org(e.firmOrgId)).name}  ${e.startsOn}…${e.endsOn ?? ''}  ${e.products.join(',') || '全部产品'}`,
        );
      return 0;
    }
    if (positionals[0] === 'mandate') {
      const id = positionals[1];
      if (!id || !values.mandate) throw new UsageError('mandate takes ENGAGEMENT_ID and --mandate FILE');
      const e = await r.orgs.engagement(id);
      if (!e) throw new UsageError(`no engagement ${id} (hanjian engagements list --org ORG)`);
      const stored = await r.mandates.store(readMandate(values.mandate), '--mandate');
      const attached = await r.orgs.attachMandate(e.id, e.firmOrgId, stored, 'cli');
      if (values.json) return out.json(attached);
      out.line(`已存入授权委托书 / mandate stored: engagement ${attached.id}  sha256 ${attached.mandateSha256}`);
      return 0;
    }
    if (positionals[0] !== 'add') throw new UsageError('engagements takes add, list or mandate');
    const signed = date(values.signed, '--signed');
    if (!signed || !values.mandate || !values.lawyers)
      throw new UsageError('--signed, --mandate and --lawyers are required');
    // The mandate is kept encrypted (a PDF, or a PNG/JPEG scan, recognised by its content): the reviewing lawyer sees it, a court gets it.
    const stored = await r.mandates.store(readMandate(values.mandate), '--mandate');
    const lawyerIds = await Promise.all(values.lawyers.split(',').map((l) => userId(r, l.trim())));
    const e = await r.orgs.addEngagement(
      {
        creditorOrgId: await orgId(r, values.creditor, '--creditor'),
        firmOrgId: await orgId(r, values.firm, '--firm'),
        signedOn: signed,
        startsOn: date(values.from, '--from') ?? signed,
        endsOn: date(values.to, '--to'),
        products: values.products
          ? values.products
              .split(',')
              .map((p) => p.trim())
              .filter(Boolean)
          : [],
        lawyerIds,
        mandateSha256: stored.sha256,
        mandateFile: stored.file,
      },
      'cli',
    );
    if (values.json) return out.json(e);
    out.line(`已登记委托 / engagement recorded: id ${e.id}  授权委托书 sha256 ${e.mandateSha256}`);
    return 0;
  });
}
