/**
 * An open dispute is answered as documented: 409 DISPUTE_OPEN with one clean Chinese + English
 * detail, for a lawyer's letter request (not the policy's 422 POLICY_NOT_YET that repeats its
 * reasons) and for a letter issued directly.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { addEngagedFirm, keyFor, requestedLetter } from '../support/world.js';

const today = todayInShanghai();
const keys: Record<string, string> = {};
let engagement = '';
let s: TestServer;

async function setUp(dir: string): Promise<void> {
  const reg = openRegistry({ db: join(dir, 'hanjian.db') });
  const w = await addEngagedFirm(reg, { today, daysAgo: 10 });
  engagement = w.engagement.id;
  keys.a = await keyFor(reg, w.client.id, ['request', 'read', 'issue:reminder', 'issue:demand']);
  await reg.close();
}

beforeAll(async () => {
  s = await startTestServer({}, setUp);
});
afterAll(async () => {
  await s.close();
});

describe('an open dispute', () => {
  it("answers a lawyer's letter request and a letter with 409 DISPUTE_OPEN and one clean detail", async () => {
    const demand = dated('demand', today);
    demand.account.contractNo = 'DISPUTE-REQ-1';
    const issued = (await (
      await s.call('POST', '/v1/letters', { key: keys.a, body: demand, headers: { 'idempotency-key': 'dr-1' } })
    ).json()) as { number: string; verifyCode: string };
    const page = await s.call(
      'GET',
      `/v1/verify?number=${encodeURIComponent(issued.number)}&code=${issued.verifyCode}`,
      { key: null, headers: { accept: 'text/html' } },
    );
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const fields = { number: issued.number, code: issued.verifyCode, type: 'dispute', text: '金额有误', csrf };
    const filed = await s.call('POST', '/v1/verify/responses', {
      key: null,
      raw: new URLSearchParams(fields).toString(),
      type: 'application/x-www-form-urlencoded',
      headers: { accept: 'application/json', cookie },
    });
    expect(filed.status).toBe(201);

    const letter = requestedLetter('DISPUTE-REQ-1');
    const req = await s.call('POST', '/v1/letter-requests', {
      key: keys.a,
      body: { engagement, letter },
      headers: { 'idempotency-key': 'dr-2' },
    });
    expect(req.status).toBe(409);
    const p = (await req.json()) as { code: string; detail: string; issues?: unknown[] };
    expect(p.code).toBe('DISPUTE_OPEN');
    expect(p.detail).toBe(
      "letter.account.contractNo: 债务人就该合同提出的异议尚未处理，处理前不再发函 / the debtor's dispute for this contract is open: no further letter until the creditor resolves it",
    );
    expect(p.issues).toBeUndefined();

    const reminder = dated('reminder', today);
    reminder.account.contractNo = 'DISPUTE-REQ-1';
    const direct = await s.call('POST', '/v1/letters', {
      key: keys.a,
      body: reminder,
      headers: { 'idempotency-key': 'dr-3' },
    });
    expect(direct.status).toBe(409);
    expect(await direct.json()).toMatchObject({
      code: 'DISPUTE_OPEN',
      detail: expect.stringMatching(
        /^account\.contractNo: 债务人就该合同提出的异议尚未处理，处理前不再发函 \/ the debtor's dispute/,
      ),
    });
  });
});
