/**
 * The reviewing lawyer sees the engagement's 授权委托书 beside the draft (issue 28 §2): a link on
 * the review page, the stored file served to whoever may see the request, and to no one else.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { addDays, todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { sealPng } from '../fixtures/png.js';
import { example, restated } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { pendingRequests, setUpFirm, today, webClient } from './fixture.js';

let s: TestServer;
const ids: Record<string, string> = {};
const scan = sealPng(150, 20);
let withFile: string;
let hashOnly: unknown;

beforeAll(async () => {
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
    await pendingRequests(dir, ids, 1);
    const reg = openRegistry({ db: join(dir, 'hanjian.db') });
    try {
      const firm = (await reg.orgs.engagement(ids.eng!))!;
      // An engagement recorded by its hash only (as before mandates were stored): a lawyer's letter lists the
      // 授权委托书, so none is requested under it (issue 28 §2: never issued without it).
      const bare = await reg.orgs.addEngagement(
        {
          creditorOrgId: firm.creditorOrgId,
          firmOrgId: firm.firmOrgId,
          signedOn: addDays(today, -20),
          startsOn: addDays(today, -20),
          products: ['白条'],
          lawyerIds: firm.lawyerIds,
          mandateSha256: 'a'.repeat(64),
        },
        'test',
      );
      const y = example('lawyer-letter', 2); // lists 授权委托书复印件 as 附件 (version 1 lists none)
      for (const k of ['lawFirm', 'lawyers', 'letterNo', 'issueDate', 'engagement']) delete y[k];
      restated(y, todayInShanghai());
      delete y.asOf;
      y.account.contractNo = 'HASH-ONLY-1';
      y.history = {
        overdueCount12m: 2,
        lettersSent: [
          { kind: 'demand', date: addDays(today, -9), deadline: addDays(today, -2), delivery: 'delivered' },
        ],
      };
      hashOnly = await reg.requests
        .request({ engagement: bare.id, letter: y }, { orgId: ids.client!, userId: null, keyId: 'test', scopes: null })
        .catch((e: unknown) => e);
      const stored = await reg.mandates.store(scan);
      const eng = await reg.orgs.addEngagement(
        {
          creditorOrgId: firm.creditorOrgId,
          firmOrgId: firm.firmOrgId,
          signedOn: addDays(today, -10),
          startsOn: addDays(today, -10),
          products: ['白条'],
          lawyerIds: firm.lawyerIds,
          mandateSha256: stored.sha256,
          mandateFile: stored.file,
        },
        'test',
      );
      // As fixture.ts's pendingRequests does, under the second engagement and another contract.
      const x = example('lawyer-letter');
      for (const k of ['lawFirm', 'lawyers', 'letterNo', 'issueDate']) delete x[k];
      restated(x, todayInShanghai());
      delete x.asOf;
      x.account.contractNo = 'MANDATE-1';
      x.history = {
        overdueCount12m: 2,
        lettersSent: [
          { kind: 'demand', date: addDays(today, -9), deadline: addDays(today, -2), delivery: 'delivered' },
        ],
      };
      withFile = (
        await reg.requests.request(
          { engagement: eng.id, letter: x },
          { orgId: ids.client!, userId: null, keyId: 'test', scopes: null },
        )
      ).id;
    } finally {
      await reg.close();
    }
  });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('the mandate on the review page', () => {
  it('links the stored 授权委托书 and serves it to the reviewing lawyer; refuses a request under an engagement with only its hash', async () => {
    const c = webClient(() => s.url);
    expect((await c.signIn('lisi')).status).toBe(303);
    const page = await (await c.get(`/app/review/${withFile}`)).text();
    expect(page).toContain(`href="/app/review/${withFile}/mandate"`);
    const file = await c.get(`/app/review/${withFile}/mandate`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('cache-control')).toContain('no-store');
    expect(Buffer.from(await file.arrayBuffer()).equals(scan)).toBe(true);

    expect(hashOnly).toMatchObject({ code: 'MANDATE_REQUIRED', path: 'engagement' });
  });

  it('is not shown to another organisation', async () => {
    const c = webClient(() => s.url);
    expect((await c.signIn('other')).status).toBe(303);
    const r = await c.get(`/app/review/${withFile}/mandate`);
    expect(r.status).toBe(404);
    expect(Buffer.from(await r.arrayBuffer()).includes(scan.subarray(0, 8))).toBe(false);
  });

  it('is uploaded with the engagement on the settings page: a file checked by its content, stored encrypted', async () => {
    const c = webClient(() => s.url);
    expect((await c.signIn('admin')).status).toBe(303);
    const form = async (file: Blob, name: string) => {
      const f = new FormData();
      f.set('_csrf', await c.csrf('/app/settings'));
      f.set('creditorName', '北京某某科技有限公司');
      f.set('creditCode', '91110108MA01ABCD2H');
      f.set('signedOn', today);
      f.set('products', '白条');
      f.append('lawyers', ids.lawyer!);
      f.set('mandate', file, name);
      return c.post('/app/settings/engagements', f);
    };
    const text = await form(new Blob(['授权委托书（文字稿）']), '委托书.pdf');
    expect(text.status).toBe(422);
    expect(await text.text()).toContain('授权委托书须为 PDF、PNG 或 JPEG');
    const before = await engagements();
    const ok = await form(new Blob([new Uint8Array(scan)], { type: 'image/png' }), '委托书.png');
    expect(ok.status).toBe(303);
    const added = (await engagements()).filter((e) => !before.some((b) => b.id === e.id));
    expect(added).toHaveLength(1);
    expect(added[0]!.lawyerIds).toEqual([ids.lawyer]);
    expect(added[0]!.mandateFile?.type).toBe('image/png');
    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    try {
      expect((await reg.mandates.of(added[0]!))!.bytes.equals(scan)).toBe(true);
    } finally {
      await reg.close();
    }
  });
});

async function engagements() {
  const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
  try {
    return await reg.orgs.engagementsOf(ids.firm!);
  } finally {
    await reg.close();
  }
}
