/**
 * The 函件 page offers 作废 (void) only on letters the signed-in organisation issued: a creditor
 * sees the lawyer's letters its firm issued for it, but only the firm may void them (a new-user
 * review found the form offered and then refused on submit).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { lawyerCaller, PASSWORD, pendingRequests, setUpFirm, webClient } from './fixture.js';

let s: TestServer;
const ids: Record<string, string> = {};
const numbers: Record<'lawyer' | 'own', string> = { lawyer: '', own: '' };

beforeAll(async () => {
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
    const [requestId] = await pendingRequests(dir, ids, 1);
    const reg = openRegistry({ db: join(dir, 'hanjian.db') });
    try {
      await reg.orgs.addUser(
        { orgId: ids.client!, login: 'wangwu', name: '王五', role: 'admin', password: PASSWORD },
        'test',
      );
      const approved = await reg.requests.approve(requestId!, lawyerCaller(ids));
      numbers.lawyer = approved.record.number;
      numbers.own = (await reg.issue(dated('reminder', todayInShanghai()), { orgId: ids.client! })).record.number;
    } finally {
      await reg.close();
    }
  });
});
afterAll(async () => {
  await s?.close();
});

describe('void on the letters page', () => {
  it("a creditor's admin may void its own reminder, not the firm's lawyer's letter for it", async () => {
    const c = webClient(() => s.url);
    expect((await c.signIn('wangwu')).status).toBe(303);
    const html = await (await c.get('/app/letters')).text();
    const rowOf = (number: string) => html.split('<tr').find((r) => r.includes(number)) ?? '';
    expect(numbers.lawyer, 'the approval issued a letter').not.toBe('');
    expect(rowOf(numbers.own)).toContain('/void"');
    expect(rowOf(numbers.lawyer)).not.toBe('');
    expect(rowOf(numbers.lawyer)).not.toContain('/void"');
    expect(rowOf(numbers.lawyer)).toContain('由出具方作废');
  });
});
