/**
 * Organisations, their people, their API keys and the engagements (委托) between a creditor
 * and a law firm — with the rules of who may be what: a lawyer belongs to a firm and holds a
 * 17-digit practice number, a password follows one rule (passwords.ts), a disabled person's
 * sessions end with the change. Every change is audited in its own transaction; the CLI, the
 * workspace and the HTTP API call these and nothing below them.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Audit } from '../audit/audit.js';
import { isRealDate } from '../pipeline/schema/dates.js';
import { isConstraintViolation } from '../shared/db-errors.js';
import { HanjianError } from '../shared/errors.js';
import type { ApiKeyRecord, Engagement, Org, Role, Scope, User } from './model.js';
import type { OrgStore } from './org-store.js';
import { checkPassword, hashPassword } from './passwords.js';

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
  /** The stored 授权委托书 (Mandates.store), when given as a file. */
  mandateFile?: { blob: string; type: string } | null;
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

const notFound = (what: string, en: string, path?: string) =>
  new HanjianError({ code: 'NOT_FOUND', category: 'not_found', path, zh: `没有这个${what}`, en: `no such ${en}` });
const invalid = (zh: string, en: string, path?: string) =>
  new HanjianError({ code: 'INVALID_INPUT', category: 'invalid_input', zh, en, path });
const mandateStoredAlready = () =>
  new HanjianError({
    code: 'MANDATE_ALREADY_STORED',
    category: 'conflict',
    path: 'engagement',
    zh: '该委托已存有授权委托书文件：另一份委托书是另一项委托，请另行登记',
    en: 'the engagement holds its mandate file already: another mandate is another engagement, record it as one',
  });
const taken = (zh: string, en: string) => new HanjianError({ code: 'CONFLICT', category: 'conflict', zh, en });

export class Orgs {
  constructor(
    private store: OrgStore,
    private audit: Audit,
  ) {}

  /**
   * Adds an organisation (inside the caller's transaction when there is one: the letters part
   * registers an organisation together with the letters it takes over).
   */
  async addOrg(o: NewOrg, actor: string): Promise<Org> {
    if (o.kind === 'law-firm' && (!o.licenseNo || !o.letterPrefix || !o.address || !o.phone))
      throw invalid(
        '律师事务所需要执业许可证号、函号前缀、地址和电话',
        'a law firm needs a licence number, letter prefix, address and phone',
      );
    if (o.kind === 'creditor' && !o.creditCode)
      throw invalid('债权人需要统一社会信用代码', 'a creditor needs its unified social credit code');
    const org: Org = {
      id: randomUUID(),
      kind: o.kind,
      name: o.name,
      creditCode: o.creditCode ?? null,
      licenseNo: o.licenseNo ?? null,
      letterPrefix: o.letterPrefix ?? null,
      address: o.address ?? null,
      phone: o.phone ?? null,
      registerYear: o.registerYear ?? null,
      registerNext: o.registerNext ?? null,
      reviewOwnLetters: !!o.reviewOwnLetters,
      createdAt: new Date().toISOString(),
    };
    return this.store.transaction(async () => {
      await unique(
        () => this.store.insertOrg(org),
        `已有同名机构“${o.name}”`,
        `an organisation named "${o.name}" exists`,
      );
      await this.audit.append({
        orgId: org.id,
        actor,
        action: 'org.add',
        subject: org.id,
        details: { kind: org.kind, name: org.name },
      });
      return org;
    });
  }

  /** The contact details printed as the sender's (a letter made from an import takes them from here). */
  async updateContact(id: string, c: { address?: string; phone?: string }, actor: string): Promise<Org> {
    for (const [field, value] of Object.entries(c)) {
      if (value !== undefined && (value.trim() === '' || value.length > 200))
        throw invalid(
          `${field === 'address' ? '地址' : '电话'}应为 1–200 个字符`,
          `${field} must be 1–200 characters`,
          field,
        );
    }
    await this.org(id);
    await this.store.transaction(async () => {
      await this.store.updateContact(id, { address: c.address?.trim() ?? null, phone: c.phone?.trim() ?? null });
      await this.audit.append({
        orgId: id,
        actor,
        action: 'org.update',
        subject: id,
        details: { address: c.address !== undefined, phone: c.phone !== undefined },
      });
    });
    return this.org(id);
  }

  async org(id: string): Promise<Org> {
    const o = await this.store.org(id);
    if (!o) throw notFound('机构', 'organisation');
    return o;
  }
  findOrg(idOrName: string): Promise<Org | null> {
    return this.store.findOrg(idOrName);
  }
  findBySender(kind: Org['kind'], identity: string): Promise<Org | null> {
    return this.store.findBySender(kind, identity);
  }
  orgs(): Promise<Org[]> {
    return this.store.orgs();
  }

  async addUser(u: NewUser, actor: string): Promise<User> {
    const org = await this.org(u.orgId);
    if (u.role === 'lawyer' && (org.kind !== 'law-firm' || !u.licenseNo || !/^[0-9]{17}$/.test(u.licenseNo)))
      throw invalid(
        '律师必须属于律师事务所，并有 17 位执业证号',
        'a lawyer belongs to a law firm and has a 17-digit practice certificate number',
        'licenseNo',
      );
    if (u.password !== undefined) checkPassword(u.password);
    const user: User = {
      id: randomUUID(),
      orgId: u.orgId,
      login: u.login,
      name: u.name,
      role: u.role,
      licenseNo: u.licenseNo ?? null,
      phone: u.phone ?? null,
      passwordHash: u.password ? hashPassword(u.password) : null,
      createdAt: new Date().toISOString(),
      disabledAt: null,
    };
    return this.store.transaction(async () => {
      await unique(() => this.store.insertUser(user), `登录名“${u.login}”已被使用`, `the login "${u.login}" is taken`);
      await this.audit.append({
        orgId: user.orgId,
        actor,
        action: 'user.add',
        subject: user.id,
        details: { login: user.login, role: user.role },
      });
      return user;
    });
  }

  async user(id: string): Promise<User> {
    const u = await this.store.user(id);
    if (!u) throw notFound('用户', 'user');
    return u;
  }
  findUser(idOrLogin: string): Promise<User | null> {
    return this.store.findUser(idOrLogin);
  }
  /** Another organisation's user is not found, exactly as an unknown login: an admin learns nothing of others. */
  async userOf(orgId: string, idOrLogin: string): Promise<User> {
    const u = await this.store.userOf(orgId, idOrLogin);
    if (!u) throw notFound('用户', 'user');
    return u;
  }
  usersOf(orgId: string): Promise<User[]> {
    return this.store.usersOf(orgId);
  }

  /**
   * Disables (or enables again) a person of the organisation. Disabling ends their sessions in
   * the same transaction; sign-in, every approval and every key bound to them check the status
   * again anyway. `changed` is false when they already were in that state.
   */
  async setDisabled(
    orgId: string,
    idOrLogin: string,
    disabled: boolean,
    actor: string,
  ): Promise<{ user: User; changed: boolean }> {
    const user = await this.userOf(orgId, idOrLogin);
    const changed = await this.store.transaction(async () => {
      const n = await this.store.setDisabledAt(user.id, disabled ? new Date().toISOString() : null);
      if (disabled) await this.store.dropSessionsOf(user.id);
      if (n > 0)
        await this.audit.append({
          orgId,
          actor,
          action: disabled ? 'user.disable' : 'user.enable',
          subject: user.id,
          details: { login: user.login, role: user.role },
        });
      return n > 0;
    });
    return { user: await this.user(user.id), changed };
  }

  /**
   * Sets a person's password and ends their sessions (a session is as good as the password it
   * was opened with), except `keepSession` — the one of the person changing their own.
   */
  async setPassword(
    orgId: string,
    idOrLogin: string,
    password: string,
    actor: string,
    keepSession?: string,
  ): Promise<User> {
    checkPassword(password);
    const user = await this.userOf(orgId, idOrLogin);
    const hash = hashPassword(password);
    await this.store.transaction(async () => {
      await this.store.setPasswordHash(user.id, hash);
      await this.store.dropSessionsOf(user.id, keepSession);
      await this.audit.append({
        orgId,
        actor,
        action: 'user.password',
        subject: user.id,
        details: { login: user.login },
      });
    });
    return this.user(user.id);
  }

  /** Creates a key and returns it once, in clear: only its sha256 is stored. */
  async addKey(
    k: { orgId: string; userId?: string; scopes: Scope[] },
    actor: string,
  ): Promise<{ record: ApiKeyRecord; key: string }> {
    await this.org(k.orgId);
    if (k.userId && (await this.user(k.userId)).orgId !== k.orgId)
      throw invalid('该用户不属于此机构', 'the user does not belong to that organisation', 'user');
    const key = `hj_${randomBytes(24).toString('base64url')}`;
    const record: ApiKeyRecord = {
      id: `key_${randomBytes(6).toString('hex')}`,
      orgId: k.orgId,
      userId: k.userId ?? null,
      keySha256: sha256Hex(key),
      scopes: k.scopes,
      createdAt: new Date().toISOString(),
      revokedAt: null,
    };
    await this.store.transaction(async () => {
      await this.store.insertKey(record);
      await this.audit.append({
        orgId: k.orgId,
        actor,
        action: 'key.add',
        subject: record.id,
        details: { scopes: k.scopes, user: k.userId ?? null },
      });
    });
    return { record, key };
  }
  keyBySha256(hex: string): Promise<ApiKeyRecord | null> {
    return this.store.keyBySha256(hex);
  }
  hasKeys(): Promise<boolean> {
    return this.store.hasKeys();
  }
  keysOf(orgId: string): Promise<ApiKeyRecord[]> {
    return this.store.keysOf(orgId);
  }
  /** Revokes a key of the organisation; false when it has no such active key. */
  revokeKey(id: string, orgId: string, actor: string): Promise<boolean> {
    return this.store.transaction(async () => {
      const done = await this.store.revokeKey(id, orgId, new Date().toISOString());
      if (done) await this.audit.append({ orgId, actor, action: 'key.revoke', subject: id });
      return done;
    });
  }

  async addEngagement(e: NewEngagement, actor: string): Promise<Engagement> {
    const creditor = await this.org(e.creditorOrgId);
    const firm = await this.org(e.firmOrgId);
    // A date that is not on the calendar would surface later, on every letter, as a fault the creditor never made.
    for (const [path, label, value] of [
      ['signedOn', '签署日期', e.signedOn],
      ['startsOn', '开始日期', e.startsOn],
      ['endsOn', '结束日期', e.endsOn],
    ] as const) {
      if (value !== undefined && !isRealDate(value))
        throw invalid(
          `委托${label}不是有效日期："${value}"`,
          `the engagement's ${path} is not a real date: "${value}"`,
          path,
        );
    }
    if (creditor.kind !== 'creditor' || firm.kind !== 'law-firm')
      throw invalid('委托须由债权人委托律师事务所', 'an engagement is a creditor instructing a law firm');
    if (!e.lawyerIds.length) throw invalid('委托须指派至少一名律师', 'an engagement assigns at least one lawyer');
    for (const id of e.lawyerIds) {
      const u = await this.user(id);
      if (u.orgId !== firm.id || u.role !== 'lawyer')
        throw invalid(`用户 ${u.login} 不是该所律师`, `user ${u.login} is not a lawyer of the firm`);
    }
    if (!/^[0-9a-f]{64}$/.test(e.mandateSha256))
      throw invalid('授权委托书的 sha256 应为 64 位十六进制', 'the mandate sha256 must be 64 hex digits');
    if (e.endsOn && e.endsOn < e.startsOn)
      throw invalid('委托结束日早于开始日', 'the engagement ends before it starts');
    const engagement: Engagement = {
      id: randomUUID(),
      creditorOrgId: e.creditorOrgId,
      firmOrgId: e.firmOrgId,
      signedOn: e.signedOn,
      startsOn: e.startsOn,
      endsOn: e.endsOn ?? null,
      products: e.products ?? [],
      lawyerIds: e.lawyerIds,
      mandateSha256: e.mandateSha256,
      mandateFile: e.mandateFile ?? null,
      createdAt: new Date().toISOString(),
    };
    await this.store.transaction(async () => {
      await this.store.insertEngagement(engagement);
      await this.audit.append({
        orgId: firm.id,
        actor,
        action: 'engagement.add',
        subject: engagement.id,
        details: { creditor: creditor.id, firm: firm.id, lawyers: e.lawyerIds, mandateSha256: e.mandateSha256 },
      });
    });
    return engagement;
  }
  /**
   * The signed 授权委托书 of an engagement recorded before mandates were kept (by its sha256
   * only), stored now: without it no lawyer's letter that lists it is requested or issued
   * (letters/rules.ts mandateRequiredError). Only the very document recorded is accepted — its
   * sha256 must be the one the engagement and its letters cite; another document is another
   * engagement. Asked by the firm the engagement instructs.
   */
  async attachMandate(
    engagementId: string,
    firmOrgId: string,
    stored: { sha256: string; file: { blob: string; type: string } },
    actor: string,
  ): Promise<Engagement> {
    const e = await this.store.engagement(engagementId);
    if (!e || e.firmOrgId !== firmOrgId) throw notFound('委托', 'engagement', 'engagement');
    if (e.mandateFile) throw mandateStoredAlready();
    if (stored.sha256 !== e.mandateSha256)
      throw new HanjianError({
        code: 'MANDATE_MISMATCH',
        category: 'conflict',
        path: 'mandate',
        zh: `该文件不是委托登记的授权委托书（登记的 sha256 为 ${e.mandateSha256.slice(0, 12)}…，此文件为 ${stored.sha256.slice(0, 12)}…）：请提供登记时的同一文件，或以新文件另行登记委托`,
        en: `the file is not the mandate the engagement recorded (sha256 ${e.mandateSha256.slice(0, 12)}…, this file ${stored.sha256.slice(0, 12)}…): give the very file recorded, or record a new engagement with the new one`,
      });
    await this.store.transaction(async () => {
      // Conditional: of two attaching at once, one stores the file and the other is told it is there.
      if (!(await this.store.storeMandateFile(e.id, e.mandateSha256, stored.file))) throw mandateStoredAlready();
      await this.audit.append({
        orgId: firmOrgId,
        actor,
        action: 'engagement.mandate',
        subject: e.id,
        details: { mandateSha256: e.mandateSha256, type: stored.file.type },
      });
    });
    return (await this.store.engagement(e.id))!;
  }

  engagement(id: string): Promise<Engagement | null> {
    return this.store.engagement(id);
  }
  engagementsOf(orgId: string): Promise<Engagement[]> {
    return this.store.engagementsOf(orgId);
  }
}

async function unique(fn: () => Promise<unknown>, zh: string, en: string): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (isConstraintViolation(e)) throw taken(zh, en);
    throw e;
  }
}
