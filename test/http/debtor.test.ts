/** The debtor's side: the verification page's forms (CSRF, limits), and an open dispute blocking further letters. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated } from '../helpers.js';
import { startTestServer, type TestServer } from './server-helper.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

const today = todayInShanghai();
const form = (fields: Record<string, string>, cookie?: string) =>
  s.call('POST', '/v1/verify/responses', {
    key: null,
    raw: new URLSearchParams(fields).toString(),
    type: 'application/x-www-form-urlencoded',
    headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
  });

describe('a dispute from the verification page', () => {
  it('is filed with a CSRF token only, blocks further letters for the contract until the creditor resolves it', async () => {
    const demand = dated('demand', today);
    demand.account.contractNo = 'DISPUTE-001';
    const issued = (await (
      await s.call('POST', '/v1/letters', { body: demand, headers: { 'idempotency-key': 'd-1' } })
    ).json()) as { number: string; verifyCode: string };
    const page = await s.call(
      'GET',
      `/v1/verify?number=${encodeURIComponent(issued.number)}&code=${issued.verifyCode}`,
      { key: null, headers: { accept: 'text/html' } },
    );
    const html = await page.text();
    expect(html).toContain('对欠款有异议');
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const fields = {
      number: issued.number,
      code: issued.verifyCode,
      type: 'dispute',
      text: '本金已于11月20日部分归还2000元，金额有误。<script>alert(1)</script>',
      contact: '13800138000',
      csrf,
    };

    expect((await form(fields)).status).toBe(403); // no cookie: a cross-site post
    expect((await form({ ...fields, csrf: 'forged' }, cookie)).status).toBe(403);
    expect((await form({ ...fields, text: 'x'.repeat(501) }, cookie)).status).toBe(422);
    expect((await form({ ...fields, text: 'y'.repeat(9000) }, cookie)).status).toBe(413); // over the form's 8 KB
    const ok = await form(fields, cookie);
    expect(ok.status).toBe(201);

    // The creditor's next letter on that contract waits for the dispute to be resolved.
    const reminder = dated('reminder', today);
    reminder.account.contractNo = 'DISPUTE-001';
    const blocked = await s.call('POST', '/v1/letters', { body: reminder, headers: { 'idempotency-key': 'd-2' } });
    expect(blocked.status).toBe(409);
    expect(await blocked.json()).toMatchObject({ code: 'DISPUTE_OPEN' });

    const list = (await (await s.call('GET', '/v1/disputes?status=open')).json()) as {
      responses: { id: string; text: string; type: string }[];
    };
    const mine = list.responses.find((r) => r.text.startsWith('本金已于'))!;
    expect(mine.type).toBe('dispute');
    expect(
      (await s.call('POST', `/v1/disputes/${mine.id}/resolve`, { body: { note: '已核实部分还款，重新计算后再联系' } }))
        .status,
    ).toBe(200);
    expect(
      (await s.call('POST', '/v1/letters', { body: reminder, headers: { 'idempotency-key': 'd-2' } })).status,
    ).toBe(201);
    // The text is stored encrypted: not in the database file in clear.
    const { readFileSync, readdirSync } = await import('node:fs');
    for (const f of readdirSync(s.dir).filter((x) => x.startsWith('hanjian.db')))
      expect(readFileSync(`${s.dir}/${f}`).includes(Buffer.from('部分归还2000元'))).toBe(false);
  });
});

describe('disputes are deduplicated', () => {
  it('a second submit on a contract with one open files nothing and answers 200 with the open one, at once or later, of either type', async () => {
    const demand = dated('demand', today);
    demand.account.contractNo = 'DISPUTE-DUP';
    const issued = (await (
      await s.call('POST', '/v1/letters', { body: demand, headers: { 'idempotency-key': 'dup-1' } })
    ).json()) as { number: string; verifyCode: string };
    const page = await s.call(
      'GET',
      `/v1/verify?number=${encodeURIComponent(issued.number)}&code=${issued.verifyCode}`,
      { key: null, headers: { accept: 'text/html' } },
    );
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const fields = { number: issued.number, code: issued.verifyCode, type: 'dispute', csrf };

    // Five at once: one is filed (201), the others get its receipt (200).
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => form({ ...fields, text: `金额有误（第${i}次提交）` }, cookie)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const receipts = (await Promise.all(answers.map((a) => a.json()))) as {
      id: string;
      receiptNo: string;
      existing: boolean;
    }[];
    expect(new Set(receipts.map((r) => r.id)).size).toBe(1);
    expect(new Set(receipts.map((r) => r.receiptNo)).size).toBe(1);
    expect(receipts.filter((r) => !r.existing)).toHaveLength(1);
    const { id, receiptNo } = receipts[0]!;
    // A number a person reads out on the phone, not the internal id: nine digits in three groups.
    expect(receiptNo).toMatch(/^\d{3}-\d{3}-\d{3}$/);

    // A hardship request later on the same contract: the open dispute is the answer, and a browser is told so.
    const later = await form({ ...fields, type: 'hardship', text: '近期失业，申请延期' }, cookie);
    expect(later.status).toBe(200);
    expect(await later.json()).toMatchObject({ id, type: 'dispute', existing: true, status: 'open' });
    const html = await s.call('POST', '/v1/verify/responses', {
      key: null,
      raw: new URLSearchParams({ ...fields, text: '再次提交' }).toString(),
      type: 'application/x-www-form-urlencoded',
      headers: { accept: 'text/html', cookie },
    });
    expect(html.status).toBe(200);
    const text = await html.text();
    expect(text).toContain('仍在处理中');
    expect(text).toContain(receiptNo);
    expect(text).not.toContain(id);

    const open = (await (await s.call('GET', '/v1/disputes?status=open')).json()) as {
      responses: { id: string; receiptNo: string; contractNo: string }[];
    };
    expect(open.responses.filter((r) => r.contractNo === 'DISPUTE-DUP').map((r) => [r.id, r.receiptNo])).toEqual([
      [id, receiptNo],
    ]);
    // The creditor finds it by the number as heard on the phone (spaces, full-width digits); a misheard digit is refused.
    const heard = receiptNo.replace(/-/g, ' ').replace(/^\d/, (d) => String.fromCharCode(0xff10 + Number(d)));
    const found = (await (await s.call('GET', `/v1/disputes?receipt=${encodeURIComponent(heard)}`)).json()) as {
      responses: { id: string }[];
    };
    expect(found.responses.map((r) => r.id)).toEqual([id]);
    const misheard = receiptNo.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
    const refused = await s.call('GET', `/v1/disputes?receipt=${misheard}`);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('"path":"receipt"');

    // Once resolved, the debtor can file again: a new one.
    expect(
      (await s.call('POST', `/v1/disputes/${id}/resolve`, { body: { note: '已核实，金额无误，已电话说明' } })).status,
    ).toBe(200);
    const again = await form({ ...fields, type: 'hardship', text: '近期失业，申请延期' }, cookie);
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).not.toBe(id);
  });
});
