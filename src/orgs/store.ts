/** Organisations, users, API keys and engagements in the registry's database (SQLite or PostgreSQL). */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isRealDate } from '../pipeline/schema/dates.js';
import { HanjianError } from '../shared/errors.js';
import { type Db, isConstraintViolation, type Row } from '../store/db.js';
import type { ApiKeyRecord, Engagement, Org, Role, Scope, User } from './model.js';
import { hashPassword } from './passwords.js';

const str = (v: unknown) => (v as string | null) ?? null;

function toOrg(r: Row): Org {
  return {
    id: r.id as string,
    kind: r.kind as Org['kind'],
    name: r.name as string,
    creditCode: str(r.credit_code),
    licenseNo: str(r.license_no),
    letterPrefix: str(r.letter_prefix),
    address: str(r.address),
    phone: str(r.phone),
    registerYear: (r.register_year as number | null) ?? null,
    registerNext: (r.register_next as number | null) ?? null,
    reviewOwnLetters: !!r.review_own_letters,
    createdAt: r.created_at as string,
  };
}
function toUser(r: Row): User {
  return {
    id: r.id as string,
    orgId: r.org_id as string,
    login: r.login as string,
    name: r.name as string,
    role: r.role as Role,
    licenseNo: str(r.license_no),
    phone: str(r.phone),
    passwordHash: str(r.password_hash),
    createdAt: r.created_at as string,
    disabledAt: str(r.disabled_at),
  };
}
function toKey(r: Row): ApiKeyRecord {
  return {
    id: r.id as string,
    orgId: r.org_id as string,
    userId: str(r.user_id),
    keySha256: r.key_sha256 as string,
    scopes: JSON.parse(r.scopes as string),
    createdAt: r.created_at as string,
    revokedAt: str(r.revoked_at),
  };
}
function toEngagement(r: Row): Engagement {
  return {
    id: r.id as string,
    creditorOrgId: r.creditor_org_id as string,
    firmOrgId: r.firm_org_id as string,
    signedOn: r.signed_on as string,
    startsOn: r.starts_on as string,
    endsOn: str(r.ends_on),
    products: JSON.parse(r.products as string),
    lawyerIds: JSON.parse(r.lawyer_ids as string),
    mandateSha256: r.mandate_sha256 as string,
    createdAt: r.created_at as string,
  };
}

const notFound = (what: string, en: string) =>
  new HanjianError({ code: 'NOT_FOUND', category: 'not_found', zh: `没有这个${what}`, en: `no such ${en}` });
const conflict = (zh: string, en: string) => new HanjianError({ code: 'CONFLICT', category: 'conflict', zh, en });

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

export interface NewOrg {
  kind: Org['kind'];
  name: string;
  creditCode?: string;
  licenseNo?: string;
  letterPrefix?: string;
  address?: string;
  phone?: string;
  registerYear?: number;
  registerNext?: number;
  reviewOwnLetters?: boolean;
}
export interface NewUser {
  orgId: string;
  login: string;
  name: string;
  role: Role;
  licenseNo?: string;
  phone?: string;
  password?: string;
}
export interface NewEngagement {
  creditorOrgId: string;
  firmOrgId: string;
  signedOn: string;
  startsOn: string;
  endsOn?: string;
  products?: string[];
  lawyerIds: string[];
  mandateSha256: string;
}

export class OrgStore {
  constructor(private db: Db) {}

  private async unique(fn: () => Promise<unknown>, zh: string, en: string): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (isConstraintViolation(e)) throw conflict(zh, en);
      throw e;
    }
  }

  async addOrg(o: NewOrg): Promise<Org> {
    if (o.kind === 'law-firm' && (!o.licenseNo || !o.letterPrefix || !o.address || !o.phone)) {
      throw new HanjianError({
        code: 'INVALID_INPUT',
        category: 'invalid_input',
        zh: '律师事务所需要执业许可证号、函号前缀、地址和电话',
        en: 'a law firm needs a licence number, letter prefix, address and phone',
      });
    }
    if (o.kind === 'creditor' && !o.creditCode)
      throw new HanjianError({
        code: 'INVALID_INPUT',
        category: 'invalid_input',
        zh: '债权人需要统一社会信用代码',
        en: 'a creditor needs its unified social credit code',
      });
    const id = randomUUID();
    await this.unique(
      () =>
        this.db.run(
          `INSERT INTO orgs (id, kind, name, credit_code, license_no, letter_prefix, address, phone, register_year, register_next, review_own_letters, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            o.kind,
            o.name,
            o.creditCode ?? null,
            o.licenseNo ?? null,
            o.letterPrefix ?? null,
            o.address ?? null,
            o.phone ?? null,
            o.registerYear ?? null,
            o.registerNext ?? null,
            o.reviewOwnLetters ? 1 : 0,
            new Date().toISOString(),
          ],
        ),
      `已有同名机构“${o.name}”`,
      `an organisation named "${o.name}" exists`,
    );
    return this.org(id);
  }

  /** The contact details printed as the sender's (a letter made from an import takes them from here). */
  async updateContact(id: string, c: { address?: string; phone?: string }): Promise<Org> {
    for (const [field, value] of Object.entries(c)) {
      if (value !== undefined && (value.trim() === '' || value.length > 200)) {
        throw new HanjianError({
          code: 'INVALID_INPUT',
          category: 'invalid_input',
          path: field,
          zh: `${field === 'address' ? '地址' : '电话'}应为 1–200 个字符`,
          en: `${field} must be 1–200 characters`,
        });
      }
    }
    await this.org(id);
    await this.db.run('UPDATE orgs SET address = COALESCE(?, address), phone = COALESCE(?, phone) WHERE id = ?', [
      c.address?.trim() ?? null,
      c.phone?.trim() ?? null,
      id,
    ]);
    return this.org(id);
  }

  async org(id: string): Promise<Org> {
    const r = await this.db.get('SELECT * FROM orgs WHERE id = ?', [id]);
    if (!r) throw notFound('机构', 'organisation');
    return toOrg(r);
  }

  /**
   * The registered organisation that prints letters as this sender: a creditor by its credit
   * code, a law firm by its letter prefix (the identities a default-organisation letter's
   * number series is keyed by).
   */
  async findBySender(kind: Org['kind'], identity: string): Promise<Org | null> {
    const column = kind === 'law-firm' ? 'letter_prefix' : 'credit_code';
    const r = await this.db.get(`SELECT * FROM orgs WHERE kind = ? AND ${column} = ? ORDER BY created_at LIMIT 1`, [
      kind,
      identity,
    ]);
    return r ? toOrg(r) : null;
  }

  /** By id or by exact name. */
  async findOrg(idOrName: string): Promise<Org | null> {
    const r = await this.db.get('SELECT * FROM orgs WHERE id = ? OR name = ?', [idOrName, idOrName]);
    return r ? toOrg(r) : null;
  }

  async orgs(): Promise<Org[]> {
    return (await this.db.all("SELECT * FROM orgs WHERE id <> 'default' ORDER BY created_at")).map(toOrg);
  }

  async addUser(u: NewUser): Promise<User> {
    const org = await this.org(u.orgId);
    if (u.role === 'lawyer' && (org.kind !== 'law-firm' || !u.licenseNo || !/^[0-9]{17}$/.test(u.licenseNo))) {
      throw new HanjianError({
        code: 'INVALID_INPUT',
        category: 'invalid_input',
        path: 'licenseNo',
        zh: '律师必须属于律师事务所，并有 17 位执业证号',
        en: 'a lawyer belongs to a law firm and has a 17-digit practice certificate number',
      });
    }
    const id = randomUUID();
    await this.unique(
      () =>
        this.db.run(
          'INSERT INTO users (id, org_id, login, name, role, license_no, phone, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            id,
            u.orgId,
            u.login,
            u.name,
            u.role,
            u.licenseNo ?? null,
            u.phone ?? null,
            u.password ? hashPassword(u.password) : null,
            new Date().toISOString(),
          ],
        ),
      `登录名“${u.login}”已被使用`,
      `the login "${u.login}" is taken`,
    );
    return this.user(id);
  }

  async user(id: string): Promise<User> {
    const r = await this.db.get('SELECT * FROM users WHERE id = ?', [id]);
    if (!r) throw notFound('用户', 'user');
    return toUser(r);
  }

  async findUser(idOrLogin: string): Promise<User | null> {
    const r = await this.db.get('SELECT * FROM users WHERE id = ? OR login = ?', [idOrLogin, idOrLogin]);
    return r ? toUser(r) : null;
  }

  /**
   * A user of this organisation by login (or id). Another organisation's user is not found,
   * exactly as an unknown login is: an admin learns nothing about other organisations' people.
   */
  async userOf(orgId: string, idOrLogin: string): Promise<User> {
    const r = await this.db.get('SELECT * FROM users WHERE org_id = ? AND (id = ? OR login = ?)', [
      orgId,
      idOrLogin,
      idOrLogin,
    ]);
    if (!r) throw notFound('用户', 'user');
    return toUser(r);
  }

  /**
   * Disables (or enables again) a user of the organisation. Disabling also ends every
   * workspace session of theirs in the same transaction; the session check and every approval
   * read the status again anyway, so nothing the user does afterwards gets through.
   * `changed` is false when the user already was in that state.
   */
  async setDisabled(orgId: string, idOrLogin: string, disabled: boolean): Promise<{ user: User; changed: boolean }> {
    const user = await this.userOf(orgId, idOrLogin);
    const changed = await this.db.transaction(async () => {
      const n = disabled
        ? (
            await this.db.run('UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL', [
              new Date().toISOString(),
              user.id,
            ])
          ).changes
        : (await this.db.run('UPDATE users SET disabled_at = NULL WHERE id = ? AND disabled_at IS NOT NULL', [user.id]))
            .changes;
      if (disabled) await this.db.run('DELETE FROM web_sessions WHERE user_id = ?', [user.id]);
      return n > 0;
    });
    return { user: await this.user(user.id), changed };
  }

  /**
   * Sets a user's password and ends their workspace sessions (a session is as good as the
   * password it was opened with), except `keepSession` — the one of the person changing
   * their own password — in the same transaction.
   */
  async setPassword(orgId: string, idOrLogin: string, password: string, keepSession?: string): Promise<User> {
    const user = await this.userOf(orgId, idOrLogin);
    const hash = hashPassword(password);
    await this.db.transaction(async () => {
      await this.db.run('UPDATE users SET password_hash = ? WHERE id = ?', [hash, user.id]);
      await this.db.run('DELETE FROM web_sessions WHERE user_id = ? AND token_sha256 <> ?', [
        user.id,
        keepSession ?? '',
      ]);
    });
    return this.user(user.id);
  }

  /** Creates a key and returns it once, in clear: only its sha256 is stored. */
  async addKey(k: { orgId: string; userId?: string; scopes: Scope[] }): Promise<{ record: ApiKeyRecord; key: string }> {
    await this.org(k.orgId);
    if (k.userId && (await this.user(k.userId)).orgId !== k.orgId)
      throw new HanjianError({
        code: 'INVALID_INPUT',
        category: 'invalid_input',
        zh: '该用户不属于此机构',
        en: 'the user does not belong to that organisation',
      });
    const key = `hj_${randomBytes(24).toString('base64url')}`;
    const id = `key_${randomBytes(6).toString('hex')}`;
    await this.db.run(
      'INSERT INTO api_keys (id, org_id, user_id, key_sha256, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [id, k.orgId, k.userId ?? null, sha256Hex(key), JSON.stringify(k.scopes), new Date().toISOString()],
    );
    return { record: (await this.keyById(id))!, key };
  }

  async keyById(id: string): Promise<ApiKeyRecord | null> {
    const r = await this.db.get('SELECT * FROM api_keys WHERE id = ?', [id]);
    return r ? toKey(r) : null;
  }

  /** An active key by the sha256 of what was presented: not revoked, and not bound to a disabled user. */
  async keyBySha256(hex: string): Promise<ApiKeyRecord | null> {
    const r = await this.db.get(
      `SELECT k.* FROM api_keys k LEFT JOIN users u ON u.id = k.user_id
      WHERE k.key_sha256 = ? AND k.revoked_at IS NULL AND u.disabled_at IS NULL`,
      [hex],
    );
    return r ? toKey(r) : null;
  }

  async hasKeys(): Promise<boolean> {
    return !!(await this.db.get('SELECT 1 FROM api_keys WHERE revoked_at IS NULL LIMIT 1'));
  }

  async addEngagement(e: NewEngagement): Promise<Engagement> {
    const creditor = await this.org(e.creditorOrgId);
    const firm = await this.org(e.firmOrgId);
    const bad = (zh: string, en: string, path?: string) =>
      new HanjianError({ code: 'INVALID_INPUT', category: 'invalid_input', zh, en, path });
    // A date that is not on the calendar would surface later, on every letter, as a fault the creditor never made.
    for (const [path, label, value] of [
      ['signedOn', '签署日期', e.signedOn],
      ['startsOn', '开始日期', e.startsOn],
      ['endsOn', '结束日期', e.endsOn],
    ] as const) {
      if (value !== undefined && !isRealDate(value))
        throw bad(
          `委托${label}不是有效日期："${value}"`,
          `the engagement's ${path} is not a real date: "${value}"`,
          path,
        );
    }
    if (creditor.kind !== 'creditor' || firm.kind !== 'law-firm')
      throw bad('委托须由债权人委托律师事务所', 'an engagement is a creditor instructing a law firm');
    if (!e.lawyerIds.length) throw bad('委托须指派至少一名律师', 'an engagement assigns at least one lawyer');
    for (const id of e.lawyerIds) {
      const u = await this.user(id);
      if (u.orgId !== firm.id || u.role !== 'lawyer')
        throw bad(`用户 ${u.login} 不是该所律师`, `user ${u.login} is not a lawyer of the firm`);
    }
    if (!/^[0-9a-f]{64}$/.test(e.mandateSha256))
      throw bad('授权委托书的 sha256 应为 64 位十六进制', 'the mandate sha256 must be 64 hex digits');
    if (e.endsOn && e.endsOn < e.startsOn) throw bad('委托结束日早于开始日', 'the engagement ends before it starts');
    const id = randomUUID();
    await this.db.run(
      'INSERT INTO engagements (id, creditor_org_id, firm_org_id, signed_on, starts_on, ends_on, products, lawyer_ids, mandate_sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        id,
        e.creditorOrgId,
        e.firmOrgId,
        e.signedOn,
        e.startsOn,
        e.endsOn ?? null,
        JSON.stringify(e.products ?? []),
        JSON.stringify(e.lawyerIds),
        e.mandateSha256,
        new Date().toISOString(),
      ],
    );
    return (await this.engagement(id))!;
  }

  async engagement(id: string): Promise<Engagement | null> {
    const r = await this.db.get('SELECT * FROM engagements WHERE id = ?', [id]);
    return r ? toEngagement(r) : null;
  }

  async engagementsOf(orgId: string): Promise<Engagement[]> {
    return (
      await this.db.all('SELECT * FROM engagements WHERE creditor_org_id = ? OR firm_org_id = ? ORDER BY created_at', [
        orgId,
        orgId,
      ])
    ).map(toEngagement);
  }

  async usersOf(orgId: string): Promise<User[]> {
    return (await this.db.all('SELECT * FROM users WHERE org_id = ? ORDER BY created_at', [orgId])).map(toUser);
  }

  async keysOf(orgId: string): Promise<ApiKeyRecord[]> {
    return (await this.db.all('SELECT * FROM api_keys WHERE org_id = ? ORDER BY created_at', [orgId])).map(toKey);
  }

  /** Revokes a key of the organisation; false when it has no such active key. */
  async revokeKey(id: string, orgId: string): Promise<boolean> {
    return (
      (
        await this.db.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND org_id = ? AND revoked_at IS NULL', [
          new Date().toISOString(),
          id,
          orgId,
        ])
      ).changes > 0
    );
  }
}
