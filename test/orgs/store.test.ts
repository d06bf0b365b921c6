/**
 * Disabling people and setting passwords on both databases (SQLite migration 13, PostgreSQL
 * migration 7): scoped to the organisation, sessions ended in the same step, keys bound to a
 * disabled user no longer found, enabling undoing it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../../src/app/library.js';
import { sha256Hex } from '../../src/orgs/orgs.js';
import { verifyPassword } from '../../src/orgs/passwords.js';
import { DataKey } from '../../src/store/data-key.js';
import { freshDatabase, TEST_DATA_KEY } from '../store/postgres/fresh.js';

const backends: [string, () => Promise<string>][] = [
  ['SQLite', async () => join(mkdtempSync(join(tmpdir(), 'hanjian-people-')), 'h.db')],
  ['PostgreSQL', freshDatabase],
];

describe.each(backends)('people on %s', (_name, database) => {
  async function open(): Promise<Registry> {
    const reg = openRegistry({ db: await database(), dataKey: DataKey.fromText(TEST_DATA_KEY, 'test') });
    await reg.ready();
    return reg;
  }
  const session = (userId: string, token: string) => ({
    tokenSha256: token,
    userId,
    csrf: 'c',
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  });

  it('disables and enables a user of the organisation only: sessions end, bound keys stop, the other organisation sees "no such user"', async () => {
    const reg = await open();
    try {
      const o = reg.orgs;
      const firm = await o.addOrg(
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
      const other = await o.addOrg(
        {
          kind: 'creditor',
          name: '北京某某科技有限公司',
          creditCode: '91110108MA01ABCD2H',
        },
        'test',
      );
      const lisi = await o.addUser(
        {
          orgId: firm.id,
          login: 'lisi',
          name: '李四',
          role: 'lawyer',
          licenseNo: '11101201910123456',
          password: 'correct horse battery',
        },
        'test',
      );
      const admin = await o.addUser(
        {
          orgId: firm.id,
          login: 'admin',
          name: '欧阳娜娜',
          role: 'admin',
          password: 'correct horse battery',
        },
        'test',
      );
      expect(lisi.disabledAt).toBeNull();
      const bound = await o.addKey({ orgId: firm.id, userId: lisi.id, scopes: ['review'] }, 'test');
      const unbound = await o.addKey({ orgId: firm.id, scopes: ['read'] }, 'test');
      const web = reg.stores.orgs;
      await web.addSession(session(lisi.id, 'a'.repeat(64)));
      await web.addSession(session(lisi.id, 'b'.repeat(64)));
      await web.addSession(session(admin.id, 'c'.repeat(64)));

      await expect(o.setDisabled(other.id, 'lisi', true, 'test')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(o.setDisabled(firm.id, 'nobody', true, 'test')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await o.user(lisi.id)).disabledAt).toBeNull();

      const off = await o.setDisabled(firm.id, 'lisi', true, 'test');
      expect(off.changed).toBe(true);
      expect(off.user.disabledAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(await web.session('a'.repeat(64), new Date().toISOString())).toBeNull();
      expect(await web.session('b'.repeat(64), new Date().toISOString())).toBeNull();
      expect(await web.session('c'.repeat(64), new Date().toISOString())).not.toBeNull();
      expect(await o.keyBySha256(sha256Hex(bound.key))).toBeNull();
      expect((await o.keyBySha256(sha256Hex(unbound.key)))?.id).toBe(unbound.record.id);
      expect((await o.setDisabled(firm.id, lisi.id, true, 'test')).changed).toBe(false);
      expect((await o.usersOf(firm.id)).map((u) => [u.login, !!u.disabledAt])).toEqual([
        ['lisi', true],
        ['admin', false],
      ]);

      const on = await o.setDisabled(firm.id, 'lisi', false, 'test');
      expect(on).toMatchObject({ changed: true, user: { disabledAt: null } });
      expect((await o.keyBySha256(sha256Hex(bound.key)))?.id).toBe(bound.record.id);
    } finally {
      await reg.close();
    }
  });

  it("sets a password: the old one stops working and the user's other sessions end", async () => {
    const reg = await open();
    try {
      const o = reg.orgs;
      const firm = await o.addOrg(
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
      const other = await o.addOrg(
        {
          kind: 'creditor',
          name: '北京某某科技有限公司',
          creditCode: '91110108MA01ABCD2H',
        },
        'test',
      );
      const zhao = await o.addUser({ orgId: firm.id, login: 'zhaoliu', name: '赵六', role: 'assistant' }, 'test');
      expect(zhao.passwordHash).toBeNull();
      const web = reg.stores.orgs;
      await web.addSession(session(zhao.id, 'd'.repeat(64)));
      await web.addSession(session(zhao.id, 'e'.repeat(64)));
      await expect(o.setPassword(other.id, 'zhaoliu', 'new password 1', 'test')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const changed = await o.setPassword(firm.id, 'zhaoliu', 'new password 1', 'test', 'e'.repeat(64));
      expect(verifyPassword('new password 1', changed.passwordHash)).toBe(true);
      expect(await web.session('d'.repeat(64), new Date().toISOString())).toBeNull();
      expect(await web.session('e'.repeat(64), new Date().toISOString())).not.toBeNull();
      const again = await o.setPassword(firm.id, zhao.id, 'new password 2', 'test');
      expect(verifyPassword('new password 1', again.passwordHash)).toBe(false);
      expect(verifyPassword('new password 2', again.passwordHash)).toBe(true);
      expect(await web.session('e'.repeat(64), new Date().toISOString())).toBeNull();
    } finally {
      await reg.close();
    }
  });
});
