/** Organisations, users, API keys, engagements and sign-in sessions (orgs/org-store.ts). */
import type { ApiKeyRecord, Engagement, Org, Role, User } from '../../orgs/model.js';
import type { OrgStore, SessionRow } from '../../orgs/org-store.js';
import type { Db, Row } from '../db.js';

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
    mandateFile: r.mandate_blob ? { blob: r.mandate_blob as string, type: r.mandate_type as string } : null,
    createdAt: r.created_at as string,
  };
}

export class SqlOrgStore implements OrgStore {
  constructor(private db: Db) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async insertOrg(o: Org): Promise<void> {
    await this.db.run(
      `INSERT INTO orgs (id, kind, name, credit_code, license_no, letter_prefix, address, phone, register_year, register_next, review_own_letters, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        o.id,
        o.kind,
        o.name,
        o.creditCode,
        o.licenseNo,
        o.letterPrefix,
        o.address,
        o.phone,
        o.registerYear,
        o.registerNext,
        o.reviewOwnLetters ? 1 : 0,
        o.createdAt,
      ],
    );
  }

  async updateContact(id: string, c: { address: string | null; phone: string | null }): Promise<void> {
    await this.db.run('UPDATE orgs SET address = COALESCE(?, address), phone = COALESCE(?, phone) WHERE id = ?', [
      c.address,
      c.phone,
      id,
    ]);
  }

  async org(id: string): Promise<Org | null> {
    const r = await this.db.get('SELECT * FROM orgs WHERE id = ?', [id]);
    return r ? toOrg(r) : null;
  }

  async findOrg(idOrName: string): Promise<Org | null> {
    const r = await this.db.get('SELECT * FROM orgs WHERE id = ? OR name = ?', [idOrName, idOrName]);
    return r ? toOrg(r) : null;
  }

  async findBySender(kind: Org['kind'], identity: string): Promise<Org | null> {
    const column = kind === 'law-firm' ? 'letter_prefix' : 'credit_code';
    const r = await this.db.get(`SELECT * FROM orgs WHERE kind = ? AND ${column} = ? ORDER BY created_at LIMIT 1`, [
      kind,
      identity,
    ]);
    return r ? toOrg(r) : null;
  }

  async orgs(): Promise<Org[]> {
    return (await this.db.all("SELECT * FROM orgs WHERE id <> 'default' ORDER BY created_at")).map(toOrg);
  }

  async insertUser(u: User): Promise<void> {
    await this.db.run(
      'INSERT INTO users (id, org_id, login, name, role, license_no, phone, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [u.id, u.orgId, u.login, u.name, u.role, u.licenseNo, u.phone, u.passwordHash, u.createdAt],
    );
  }

  async user(id: string): Promise<User | null> {
    const r = await this.db.get('SELECT * FROM users WHERE id = ?', [id]);
    return r ? toUser(r) : null;
  }

  async findUser(idOrLogin: string): Promise<User | null> {
    const r = await this.db.get('SELECT * FROM users WHERE id = ? OR login = ?', [idOrLogin, idOrLogin]);
    return r ? toUser(r) : null;
  }

  async userOf(orgId: string, idOrLogin: string): Promise<User | null> {
    const r = await this.db.get('SELECT * FROM users WHERE org_id = ? AND (id = ? OR login = ?)', [
      orgId,
      idOrLogin,
      idOrLogin,
    ]);
    return r ? toUser(r) : null;
  }

  async usersOf(orgId: string): Promise<User[]> {
    return (await this.db.all('SELECT * FROM users WHERE org_id = ? ORDER BY created_at', [orgId])).map(toUser);
  }

  async setDisabledAt(userId: string, at: string | null): Promise<number> {
    return at
      ? (await this.db.run('UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL', [at, userId]))
          .changes
      : (await this.db.run('UPDATE users SET disabled_at = NULL WHERE id = ? AND disabled_at IS NOT NULL', [userId]))
          .changes;
  }

  async setPasswordHash(userId: string, hash: string): Promise<void> {
    await this.db.run('UPDATE users SET password_hash = ? WHERE id = ?', [hash, userId]);
  }

  async insertKey(k: ApiKeyRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO api_keys (id, org_id, user_id, key_sha256, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [k.id, k.orgId, k.userId, k.keySha256, JSON.stringify(k.scopes), k.createdAt],
    );
  }

  async keyById(id: string): Promise<ApiKeyRecord | null> {
    const r = await this.db.get('SELECT * FROM api_keys WHERE id = ?', [id]);
    return r ? toKey(r) : null;
  }

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

  async keysOf(orgId: string): Promise<ApiKeyRecord[]> {
    return (await this.db.all('SELECT * FROM api_keys WHERE org_id = ? ORDER BY created_at', [orgId])).map(toKey);
  }

  async revokeKey(id: string, orgId: string, at: string): Promise<boolean> {
    const { changes } = await this.db.run(
      'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND org_id = ? AND revoked_at IS NULL',
      [at, id, orgId],
    );
    return changes > 0;
  }

  async insertEngagement(e: Engagement): Promise<void> {
    await this.db.run(
      'INSERT INTO engagements (id, creditor_org_id, firm_org_id, signed_on, starts_on, ends_on, products, lawyer_ids, mandate_sha256, mandate_blob, mandate_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        e.id,
        e.creditorOrgId,
        e.firmOrgId,
        e.signedOn,
        e.startsOn,
        e.endsOn,
        JSON.stringify(e.products),
        JSON.stringify(e.lawyerIds),
        e.mandateSha256,
        e.mandateFile?.blob ?? null,
        e.mandateFile?.type ?? null,
        e.createdAt,
      ],
    );
  }

  async storeMandateFile(id: string, sha256: string, file: { blob: string; type: string }): Promise<boolean> {
    const { changes } = await this.db.run(
      'UPDATE engagements SET mandate_blob = ?, mandate_type = ? WHERE id = ? AND mandate_sha256 = ? AND mandate_blob IS NULL',
      [file.blob, file.type, id, sha256],
    );
    return changes > 0;
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

  async addSession(s: SessionRow): Promise<void> {
    await this.db.run(
      'INSERT INTO web_sessions (token_sha256, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      [s.tokenSha256, s.userId, s.csrf, s.createdAt, s.expiresAt],
    );
    // Expired sessions are cleared as new ones are made: the table holds only live ones (and a few stale).
    await this.db.run('DELETE FROM web_sessions WHERE expires_at < ?', [s.createdAt]);
  }

  async session(tokenSha256: string, now: string): Promise<SessionRow | null> {
    const r = await this.db.get('SELECT * FROM web_sessions WHERE token_sha256 = ? AND expires_at > ?', [
      tokenSha256,
      now,
    ]);
    return r
      ? {
          tokenSha256: r.token_sha256 as string,
          userId: r.user_id as string,
          csrf: r.csrf as string,
          createdAt: r.created_at as string,
          expiresAt: r.expires_at as string,
        }
      : null;
  }

  async dropSession(tokenSha256: string): Promise<void> {
    await this.db.run('DELETE FROM web_sessions WHERE token_sha256 = ?', [tokenSha256]);
  }

  async dropSessionsOf(userId: string, except?: string): Promise<void> {
    await this.db.run('DELETE FROM web_sessions WHERE user_id = ? AND token_sha256 <> ?', [userId, except ?? '']);
  }
}
