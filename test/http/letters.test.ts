import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated } from '../helpers.js';
import { KEYS, startTestServer, type TestServer } from './server-helper.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

// Issued letters are dated the day they are issued (Asia/Shanghai), and one contract gets one letter of a kind a day.
const today = todayInShanghai();
let contracts = 0;
const demand = (name = '张三') => {
  const x = dated('demand', today);
  x.debtor.name = name;
  x.account.contractNo = `BT2026-${String(++contracts).padStart(6, '0')}`;
  return x;
};
const lawyer = (name = '张三') => {
  const x = dated('lawyer-letter', today);
  x.debtor.name = name;
  return x;
};
const issue = (body: unknown, key: string, apiKey = KEYS.all) =>
  s.call('POST', '/v1/letters', { body, key: apiKey, headers: { 'idempotency-key': key } });

describe('registry over HTTP', () => {
  it('16 concurrent issue requests for one creditor get 16 distinct, consecutive numbers', async () => {
    const names = [
      '赵一',
      '钱二',
      '孙三',
      '李四',
      '周五',
      '吴六',
      '郑七',
      '王八',
      '冯九',
      '陈十',
      '褚甲',
      '卫乙',
      '蒋丙',
      '沈丁',
      '韩戊',
      '杨己',
    ];
    const all = await Promise.all(names.map((n, i) => issue(demand(n), `concurrent-${i}`)));
    expect(all.map((r) => r.status)).toEqual(new Array(16).fill(201));
    const numbers = (await Promise.all(all.map((r) => r.json() as Promise<{ seq?: number; number: string }>)))
      .map((b) => b.number)
      .sort();
    const year = today.slice(0, 4);
    expect(numbers).toEqual(
      Array.from({ length: 16 }, (_, i) => `（${year}）函字第${String(i + 1).padStart(4, '0')}号`),
    );
  });

  it("refuses a lawyer's letter without a lawyer's review (403 REVIEW_REQUIRED, naming the request route)", async () => {
    const r = await issue(lawyer(), 'direct-lawyer');
    expect(r.status).toBe(403);
    const p = (await r.json()) as { code: string; detail: string };
    expect(p.code).toBe('REVIEW_REQUIRED');
    expect(p.detail).toContain('/v1/letter-requests');
    // A key without issue:lawyer-letter hears the same, not which scope it lacks: no scope would let it through here.
    const narrow = await issue(lawyer(), 'direct-lawyer-narrow', KEYS.reminderIssuer);
    expect(narrow.status).toBe(403);
    expect(await narrow.json()).toMatchObject({
      code: 'REVIEW_REQUIRED',
      detail: expect.stringContaining('/v1/letter-requests'),
    });
  });

  it('refuses a final letter dated another day (422 ISSUE_DATE_NOT_TODAY) and a second letter of a kind for a contract on one day (409 ALREADY_ISSUED)', async () => {
    const old = demand('王五');
    old.issueDate = old.asOf = '2026-11-20';
    const r = await issue(old, 'old-date');
    expect(r.status).toBe(422);
    expect(((await r.json()) as { code: string }).code).toBe('ISSUE_DATE_NOT_TODAY');
    const once = demand('王六');
    expect((await issue(once, 'dup-1')).status).toBe(201);
    const twice = await issue({ ...once, demand: { days: 10 } }, 'dup-2');
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ code: 'ALREADY_ISSUED' });
  });

  it('is idempotent: a retry returns the same letter (200); other input or requester → 409', async () => {
    const ouyang = demand('欧阳明');
    const first = await issue(ouyang, 'idem-1');
    expect(first.status).toBe(201);
    const a = (await first.json()) as { id: string; number: string; replayed: boolean };
    const retry = await issue(ouyang, 'idem-1');
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ id: a.id, number: a.number, replayed: true });
    expect((await issue(demand('欧阳亮'), 'idem-1')).status).toBe(409);
    const other = await issue(dated('reminder', today), 'idem-1', KEYS.reminderIssuer);
    expect(other.status).toBe(409);
    expect(((await other.json()) as { code: string }).code).toBe('IDEMPOTENCY_CONFLICT');
    const noKey = await s.call('POST', '/v1/letters', { body: ouyang });
    expect(noKey.status).toBe(422);
  });

  it('reads the record and the stored PDF; verifies publicly with a right and a wrong code', async () => {
    const created = (await (await issue(demand('司马光'), 'read-1')).json()) as {
      id: string;
      number: string;
      verifyCode: string;
      pdfSha256: string;
    };
    const meta = (await (await s.call('GET', `/v1/letters/${created.id}`)).json()) as {
      number: string;
      debtor: string;
    };
    expect(meta).toMatchObject({ number: created.number, debtor: '司*光' });
    const pdfRes = await s.call('GET', `/v1/letters/${created.id}/pdf`);
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get('x-letter-sha256')).toBe(created.pdfSha256);
    const q = (code: string) => `/v1/verify?number=${encodeURIComponent(created.number)}&code=${code}`;
    const good = await (await s.call('GET', q(created.verifyCode), { key: null })).json();
    expect(good).toEqual({
      valid: true,
      kind: 'demand',
      sender: '北京某某科技有限公司',
      issueDate: today,
      debtor: '司*光',
      total: expect.stringMatching(/^\d+\.\d{2}$/),
      pdfSha256: created.pdfSha256,
      signature: null,
    });
    expect(await (await s.call('GET', q('ZZZZ-ZZZZ'), { key: null })).json()).toEqual({ valid: false });
    // A browser (the QR code) gets a page in Chinese, with the data escaped.
    const page = await s.call('GET', q(created.verifyCode), {
      key: null,
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('该函件由本系统出具');
    expect(html).toContain('司*光');
    expect(html).toMatch(/\d{1,3}(,\d{3})*\.\d{2} 元/); // the page formats money for people
    expect(
      await (await s.call('GET', q('ZZZZ-ZZZZ'), { key: null, headers: { accept: 'text/html' } })).text(),
    ).toContain('未找到');
    expect((await s.call('GET', '/v1/verify?number=x', { key: null })).status).toBe(422);
    expect((await s.call('GET', `/v1/letters/no-such-id`)).status).toBe(404);
    expect((await s.call('GET', `/v1/letters/${created.id}`, { key: KEYS.previewOnly })).status).toBe(403);
  });

  it('never serves a tampered stored PDF (500 without internals)', async () => {
    const created = (await (await issue(demand('诸葛亮'), 'tamper-1')).json()) as { id: string; pdfSha256: string };
    const file = join(s.dir, 'letters', created.pdfSha256.slice(0, 2), `${created.pdfSha256}.pdf`);
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(file, bytes);
    const r = await s.call('GET', `/v1/letters/${created.id}/pdf`);
    expect(r.status).toBe(500);
    const body = await r.text();
    expect(body).not.toContain(s.dir);
    expect(body).not.toMatch(/at .*\.js/);
    expect(JSON.parse(body).code).toBe('STORED_PDF_CORRUPT');
  });

  it('refuses a list filter with a date that does not exist (422 naming it), instead of an empty list', async () => {
    for (const [k, v] of [
      ['from', '2026-99-99'],
      ['to', '2026-02-30'],
      ['from', '20261101'],
    ]) {
      const r = await s.call('GET', `/v1/letters?${k}=${v}`);
      expect(r.status, `${k}=${v}`).toBe(422);
      expect(await r.json()).toMatchObject({ code: 'INVALID_INPUT', issues: [expect.objectContaining({ path: k })] });
    }
    expect((await s.call('GET', '/v1/letters?from=2024-02-29&to=2030-12-31')).status).toBe(200);
  });

  it('checks the issue scope by kind', async () => {
    const r = await issue(dated('reminder', today), 'scope-reminder', KEYS.reminderIssuer);
    expect(r.status).toBe(201);
    expect((await issue(lawyer('曹操'), 'scope-lawyer', KEYS.reminderIssuer)).status).toBe(403);
  });
});

describe('after the letter, over HTTP', () => {
  it('records dispatch and delivery (201), refuses an event out of order (409 with the state), lists the events', async () => {
    const created = (await (await issue(demand('韩信'), 'events-1')).json()) as { id: string };
    const post = (body: unknown) => s.call('POST', `/v1/letters/${created.id}/events`, { body });
    // Times between the issue (today) and now: the registry refuses times ahead of its clock.
    const now = () => new Date().toISOString();
    const early = await post({ type: 'delivered', at: now() });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
    expect((await post({ type: 'dispatched', at: now(), channel: 'ems', trackingNo: 'EA123456789CN' })).status).toBe(
      201,
    );
    expect((await post({ type: 'delivered', at: now() })).status).toBe(201);
    const list = (await (await s.call('GET', `/v1/letters/${created.id}/events`)).json()) as {
      state: string;
      letterState: string;
      letterStateLabel: string;
      events: { type: string }[];
    };
    expect(list.state).toBe('delivered');
    expect(list).toMatchObject({ letterState: 'delivered', letterStateLabel: '已送达' });
    expect((await post({ type: 'paid', at: now(), amount: '1.00' })).status).toBe(201);
    const page = (await (await s.call('GET', '/v1/letters?limit=200')).json()) as {
      letters: { id: string; state: string }[];
    };
    // The list carries each letter's state from the same rule: a partial payment leaves it delivered.
    expect(page.letters.find((l) => l.id === created.id)?.state).toBe('delivered');
    expect(page.letters.every((l) => typeof l.state === 'string')).toBe(true);
    expect(list.events.map((e) => e.type)).toEqual(['dispatched', 'delivered']);
    const paid = (await (await s.call('GET', `/v1/letters/${created.id}/events`)).json()) as { paid: string };
    expect(paid.paid).toBe('1.00');
    expect(
      (
        await s.call('POST', `/v1/letters/${created.id}/events`, {
          key: KEYS.previewOnly,
          body: { type: 'paid', at: now(), amount: '1.00' },
        })
      ).status,
    ).toBe(403);
  });
});
