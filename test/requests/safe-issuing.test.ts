/**
 * Safe issuing: production refuses to start without what real letters need; a sender without a
 * real seal cannot issue; the seal is kept so `registry check` reproduces bytes; personal data
 * can be purged; keys from the environment act for a named organisation; idempotency keys and
 * number series are per organisation.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { openRegistry } from '../../src/app/library.js';
import { startService } from '../../src/http/service.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { loadSealConfig, specimenSeals } from '../../src/pipeline/seals.js';
import { runCli } from '../cli/run.js';
import { mandatePdf } from '../fixtures/mandate.js';
import { sealPng } from '../fixtures/png.js';
import { dated, TODAY } from '../helpers.js';
import { startTestServer, writeSealsFile } from '../http/server-helper.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'hanjian-safe-'));
const KEY = 'k-production-0123456789abcdef0123456789';

describe('production start', () => {
  it('refuses to start without an https verification address, a seals file and a data key, and says exactly what is missing', async () => {
    const dir = tmp();
    const saved = process.env.HANJIAN_DATA_KEY;
    delete process.env.HANJIAN_DATA_KEY;
    try {
      const config = parseConfig({
        host: '127.0.0.1',
        port: 0,
        db: join(dir, 'h.db'),
        apiKeys: [{ id: 'k', key: KEY, scopes: ['read'] }],
        publicBaseUrl: 'http://127.0.0.1:8080',
      });
      const e = await startService(config, () => {}).catch((x) => x);
      expect(e).toMatchObject({ code: 'CONFIG_INVALID' });
      expect(e.message).toContain('HANJIAN_PUBLIC_BASE_URL');
      expect(e.message).toContain('HANJIAN_SEALS');
      expect(e.message).toContain('HANJIAN_DATA_KEY');
    } finally {
      // Assigning undefined would leave the string "undefined" for every later test file.
      if (saved === undefined) delete process.env.HANJIAN_DATA_KEY;
      else process.env.HANJIAN_DATA_KEY = saved;
    }
  });

  it('reports seals that match no organisation, and refuses final letters of a sender without a real seal (SEAL_REQUIRED)', async () => {
    const logs: Record<string, unknown>[] = [];
    const t = await startTestServer({ sealsFile: undefined }, async (dir) => {
      const reg = openRegistry({ db: join(dir, 'hanjian.db') });
      await reg.orgs.addOrg(
        { kind: 'creditor', name: '北京某某科技有限公司', creditCode: '91110108MA01ABCD2H' },
        'test',
      );
      await reg.close();
      writeSealsFile(dir, ['另一家不存在的公司']);
    }).catch((e) => e);
    // Without a seals file production does not start at all.
    expect(t).toMatchObject({ code: 'CONFIG_INVALID' });
    const s = await startTestServer({}, async (dir) => {
      const reg = openRegistry({ db: join(dir, 'hanjian.db') });
      await reg.orgs.addOrg(
        { kind: 'creditor', name: '上海某某网络科技有限公司', creditCode: '9144030071526726XG' },
        'test',
      );
      await reg.close();
    });
    try {
      logs.push(...s.logs);
      expect(s.logs).toContainEqual(
        expect.objectContaining({ level: 'warn', msg: expect.stringContaining('上海某某网络科技有限公司') }),
      );
      // The example creditor has a seal in the test seals file; a creditor name without one is refused.
      const x = dated('reminder', todayInShanghai());
      x.creditor.name = '北京另一家科技有限公司';
      x.creditor.paymentChannels = x.creditor.paymentChannels.map((c: { type: string }) =>
        c.type === 'bank' ? { ...c, accountName: '北京另一家科技有限公司' } : c,
      );
      const r = await s.call('POST', '/v1/letters', { body: x, headers: { 'idempotency-key': 'no-seal' } });
      expect(r.status).toBe(409);
      expect(await r.json()).toMatchObject({ code: 'SEAL_REQUIRED' });
      const ok = await s.call('POST', '/v1/letters', {
        body: dated('reminder', todayInShanghai()),
        headers: { 'idempotency-key': 'sealed' },
      });
      expect(ok.status).toBe(201);
      expect(((await ok.json()) as { number: string }).number).toMatch(/第0001号$/); // the refused letter used no number
    } finally {
      await s.close();
    }
  });
});

describe('the registry reproduces and forgets', () => {
  it('registry check re-renders with the seal the letter was issued with, even after the seals file changed', async () => {
    const dir = tmp();
    const db = join(dir, 'h.db');
    const sealsA = writeSealsFile(dir);
    const reg = openRegistry({ db, publicBaseUrl: 'https://v.test', renderOptions: { seals: loadSealConfig(sealsA) } });
    await reg.issue(dated('reminder'), { today: TODAY });
    await reg.close();
    // Another seal image for the same sender now: the stored letter is still reproduced byte for byte.
    writeFileSync(join(dir, 'seal-0.png'), sealPng(64, 200));
    const again = openRegistry({
      db,
      publicBaseUrl: 'https://v.test',
      renderOptions: { seals: loadSealConfig(sealsA) },
    });
    expect(await again.check()).toEqual({ checked: 1, failed: 0, notRerendered: 0 });
    await again.close();
  });

  it('purge removes the personal data of old letters; numbers, hashes and verification stay', async () => {
    const dir = tmp();
    const db = join(dir, 'h.db');
    const reg = openRegistry({ db, publicBaseUrl: 'https://v.test', renderOptions: { seals: specimenSeals } });
    const { record } = await reg.issue(dated('reminder'), { today: TODAY });
    await reg.close();
    const r = await runCli(['registry', 'purge', '--before', '2026-12-01', '--db', db, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ purged: 1, before: '2026-12-01' });
    const after = openRegistry({ db, publicBaseUrl: 'https://v.test' });
    const kept = await after.letters.get(record.id);
    expect(kept).toMatchObject({
      number: record.number,
      pdfSha256: record.pdfSha256,
      inputJson: null,
      debtorMasked: record.debtorMasked,
    });
    expect(await after.letters.verify(record.number, record.verifyCode)).toMatchObject({ valid: true });
    expect(await after.check()).toMatchObject({ checked: 1, failed: 0, notRerendered: 1 });
    expect((await after.audit.rows()).map((x) => x.action)).toEqual(['letter.issue', 'letters.purge']);
    await after.close();
  });
});

describe('organisations and keys', () => {
  it('a key from the environment acts for a named organisation; idempotency keys and series are per organisation', async () => {
    const KA = 'k-env-creditor-a-0123456789abcdef012345';
    const KB = 'k-env-creditor-b-0123456789abcdef012345';
    const s = await startTestServer(
      {
        apiKeys: [
          { id: 'env-a', key: KA, scopes: ['issue:reminder', 'read'], org: '北京某某科技有限公司' },
          { id: 'env-b', key: KB, scopes: ['issue:reminder', 'read'], org: '深圳某某信息技术有限公司' },
        ],
        sealsFile: undefined,
      },
      async (dir) => {
        const reg = openRegistry({ db: join(dir, 'hanjian.db') });
        await reg.orgs.addOrg(
          {
            kind: 'creditor',
            name: '北京某某科技有限公司',
            creditCode: '91110108MA01ABCD2H',
            letterPrefix: '某科提字',
          },
          'test',
        );
        await reg.orgs.addOrg(
          {
            kind: 'creditor',
            name: '深圳某某信息技术有限公司',
            creditCode: '9144030071526726XG',
            letterPrefix: '深某提字',
          },
          'test',
        );
        await reg.close();
      },
    ).catch((e) => e);
    expect(s).toMatchObject({ code: 'CONFIG_INVALID' }); // production without a seals file: refused (checked above); now with one
    const t = await startTestServer(
      {
        apiKeys: [
          { id: 'env-a', key: KA, scopes: ['issue:reminder', 'read'], org: '北京某某科技有限公司' },
          { id: 'env-b', key: KB, scopes: ['issue:reminder', 'read'], org: '深圳某某信息技术有限公司' },
        ],
      },
      async (dir) => {
        const reg = openRegistry({ db: join(dir, 'hanjian.db') });
        await reg.orgs.addOrg(
          {
            kind: 'creditor',
            name: '北京某某科技有限公司',
            creditCode: '91110108MA01ABCD2H',
            letterPrefix: '某科提字',
          },
          'test',
        );
        await reg.orgs.addOrg(
          {
            kind: 'creditor',
            name: '深圳某某信息技术有限公司',
            creditCode: '9144030071526726XG',
            letterPrefix: '深某提字',
          },
          'test',
        );
        await reg.close();
        writeSealsFile(dir, ['北京某某科技有限公司', '深圳某某信息技术有限公司']);
      },
    );
    try {
      const today = todayInShanghai();
      const a = dated('reminder', today);
      const b = dated('reminder', today);
      b.creditor = {
        ...b.creditor,
        name: '深圳某某信息技术有限公司',
        creditCode: '9144030071526726XG',
        paymentChannels: [{ type: 'online', description: '深圳某某APP—立即还款' }],
      };
      const ra = await t.call('POST', '/v1/letters', { key: KA, body: a, headers: { 'idempotency-key': 'same-key' } });
      const rb = await t.call('POST', '/v1/letters', { key: KB, body: b, headers: { 'idempotency-key': 'same-key' } });
      expect([ra.status, rb.status], await rb.clone().text()).toEqual([201, 201]); // one tenant cannot squat on another's idempotency key
      const [la, lb] = (await Promise.all([ra.json(), rb.json()])) as { id: string; number: string }[];
      expect(la!.number).toMatch(/某科提字第0001号$/);
      expect(lb!.number).toMatch(/深某提字第0001号$/);
      // A creditor issues only under its own name.
      const wrong = await t.call('POST', '/v1/letters', {
        key: KB,
        body: { ...a, account: { ...a.account, contractNo: 'OTHER-1' } },
        headers: { 'idempotency-key': 'wrong-name' },
      });
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toMatchObject({ code: 'SENDER_MISMATCH' });
      expect((await t.call('GET', `/v1/letters/${la!.id}`, { key: KB })).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('sets up a firm from the terminal: orgs, users, keys, engagements; a lawyer approves with a password', async () => {
    const dir = tmp();
    const db = join(dir, 'h.db');
    const cli = (args: string[], stdin?: string) =>
      runCli([...args, '--db', db, '--json'], stdin === undefined ? {} : { stdin });
    expect(
      (
        await cli([
          'orgs',
          'add',
          '--kind',
          'creditor',
          '--name',
          '北京某某科技有限公司',
          '--credit-code',
          '91110108MA01ABCD2H',
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await cli([
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
          '--register-next',
          '42',
          '--register-year',
          TODAY.slice(0, 4),
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await cli(
          [
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
            '--password-stdin',
          ],
          'correct horse battery\n',
        )
      ).code,
    ).toBe(0);
    const mandate = join(dir, 'mandate.pdf');
    writeFileSync(mandate, await mandatePdf());
    const eng = JSON.parse(
      (
        await cli([
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
        ])
      ).stdout,
    ) as { id: string };
    const key = JSON.parse(
      (await cli(['keys', 'add', '--org', '北京某某科技有限公司', '--scopes', 'request,read'])).stdout,
    ) as { key: string };
    expect(key.key).toMatch(/^hj_/);
    expect((await cli(['keys', 'add', '--org', '北京某某科技有限公司', '--scopes', 'request,teleport'])).code).toBe(2);
    // The creditor's request (through the library: the same workflow the HTTP route runs).
    const reg = openRegistry({ db, publicBaseUrl: 'https://v.test' });
    const caller = {
      orgId: (await reg.orgs.findOrg('北京某某科技有限公司'))!.id,
      userId: null,
      keyId: 'test',
      scopes: null,
    };
    const letter = dated('lawyer-letter');
    // asOf stays pinned: approval (dated --today) must not be earlier than the day the amounts are itemised, whatever the clock says.
    for (const k of ['lawFirm', 'lawyers', 'issueDate']) delete letter[k];
    letter.history = {
      overdueCount12m: 2,
      lettersSent: [{ kind: 'demand', date: '2026-11-18', deadline: '2026-11-25', delivery: 'delivered' }],
    };
    const q = await reg.requests.request({ engagement: eng.id, letter }, caller, { today: TODAY });
    await reg.close();
    expect(
      (
        await cli(
          ['requests', 'approve', q.id, '--lawyer', 'lisi', '--password-stdin', '--today', TODAY],
          'wrong password\n',
        )
      ).code,
    ).toBe(1);
    const ok = await cli(
      ['requests', 'approve', q.id, '--lawyer', 'lisi', '--password-stdin', '--today', TODAY, '--specimen-seal'],
      'correct horse battery\n',
    );
    expect(ok.code, ok.stderr + ok.stdout).toBe(0);
    expect(JSON.parse(ok.stdout).number).toBe(`（${TODAY.slice(0, 4)}）京某律函字第0042号`);
    const number = JSON.parse(ok.stdout).number;
    // Voiding asks for the sign-in of a lawyer or an administrator, as approving does (issue 29).
    expect((await cli(['void', number, '--org', '北京某某律师事务所', '--reason', '发错对象'])).code).toBe(2);
    const wrong = await cli(['void', number, '--lawyer', 'lisi', '--password-stdin', '--reason', '发错对象'], 'nope\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stdout + wrong.stderr).toContain('UNAUTHENTICATED');
    const v = await cli(
      ['void', number, '--lawyer', 'lisi', '--password-stdin', '--reason', '发错对象'],
      'correct horse battery\n',
    );
    expect(JSON.parse(v.stdout)).toMatchObject({ status: 'void' });
    expect((await cli(['registry', 'audit'])).code).toBe(0);
  });
});

describe('a creditor that reviews its own letters', () => {
  it('refuses direct issuing, and issues a reminder once an admin of the creditor approves it', async () => {
    const keys: Record<string, string> = {};
    const t = await startTestServer({}, async (dir) => {
      const reg = openRegistry({ db: join(dir, 'hanjian.db') });
      const org = await reg.orgs.addOrg(
        {
          kind: 'creditor',
          name: '北京某某科技有限公司',
          creditCode: '91110108MA01ABCD2H',
          reviewOwnLetters: true,
        },
        'test',
      );
      const admin = await reg.orgs.addUser({ orgId: org.id, login: 'zhao', name: '赵六', role: 'admin' }, 'test');
      keys.system = (
        await reg.orgs.addKey({ orgId: org.id, scopes: ['request', 'read', 'issue:reminder'] }, 'test')
      ).key;
      keys.admin = (await reg.orgs.addKey({ orgId: org.id, userId: admin.id, scopes: ['review', 'read'] }, 'test')).key;
      await reg.close();
    });
    try {
      const letter = dated('reminder', todayInShanghai());
      const direct = await t.call('POST', '/v1/letters', {
        key: keys.system,
        body: letter,
        headers: { 'idempotency-key': 'own-1' },
      });
      expect(direct.status).toBe(403);
      expect(await direct.json()).toMatchObject({ code: 'REVIEW_REQUIRED' });
      // A number is refused when asked for, not when the reviewer approves (the registry assigns it then).
      const numbered = await t.call('POST', '/v1/letter-requests', {
        key: keys.system,
        body: { letter: { ...letter, letterNo: '某某科技催字（2026）第0042号' } },
      });
      expect(numbered.status).toBe(422);
      expect(await numbered.json()).toMatchObject({ code: 'NOT_ALLOWED', issues: [{ path: 'letter.letterNo' }] });
      const q = await t.call('POST', '/v1/letter-requests', { key: keys.system, body: { letter } });
      expect(q.status).toBe(202);
      const { id } = (await q.json()) as { id: string };
      expect((await t.call('POST', `/v1/letter-requests/${id}/approve`, { key: keys.system })).status).toBe(403); // not by the key that asked
      const ok = await t.call('POST', `/v1/letter-requests/${id}/approve`, { key: keys.admin });
      expect(ok.status).toBe(201);
      expect(await ok.json()).toMatchObject({ kind: 'reminder', status: 'issued' });
    } finally {
      await t.close();
    }
  });
});
