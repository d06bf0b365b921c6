/**
 * A letter's life in the workspace over plain HTTP: the 函件 list shows each letter's state with
 * counts and a state filter; from a letter's page the firm records dispatch (with a tracking
 * number), refusal, delivery and a payment, the creditor resolves a dispute, and anyone who may
 * see the letter downloads its evidence package. Refusals name the field; CSRF is required;
 * another organisation sees nothing.
 */
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { lawyerCaller, PASSWORD, pendingRequests, setUpFirm, webClient } from './fixture.js';

let s: TestServer;
const ids: Record<string, string> = {};
const letters: { id: string; number: string }[] = [];
let disputeId = '';

/** Now in Beijing time to the minute, as a datetime-local field holds it. */
const nowField = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  s = await startTestServer({}, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
    const requests = await pendingRequests(dir, ids, 3);
    const reg = openRegistry({ db: join(dir, 'hanjian.db') });
    try {
      await reg.orgs.addUser(
        { orgId: ids.client!, login: 'wangwu', name: '王五', role: 'admin', password: PASSWORD },
        'test',
      );
      for (const id of requests) {
        const { record } = await reg.requests.approve(id, lawyerCaller(ids));
        letters.push({ id: record.id, number: record.number });
      }
      const third = await reg.letters.get(letters[2]!.id, ids.firm);
      disputeId = (
        await reg.debtors.file(third, { type: 'dispute', text: '利息计算有误，请核对。', contact: '13800138000' })
      ).id;
    } finally {
      await reg.close();
    }
  });
});
afterAll(async () => {
  await s?.close();
});

const countOf = (html: string, state: string) =>
  Number(new RegExp(`data-state="${state}"[^>]*>[^<]*<span class="count">(\\d+)</span>`).exec(html)?.[1] ?? -1);
const stateOf = (html: string, number: string) =>
  /data-state="([a-z-]+)"/.exec(html.split('<tr').find((r) => r.includes(number)) ?? '')?.[1];

describe('the letter life in the workspace', () => {
  const firm = webClient(() => s.url);
  const event = async (letter: number, fields: Record<string, string>) =>
    firm.post(
      `/app/letters/${letters[letter]!.id}/events`,
      new URLSearchParams({ _csrf: await firm.csrf(`/app/letters/${letters[letter]!.id}`), ...fields }),
    );

  it('lists each letter with its state and the counts per state', async () => {
    expect((await firm.signIn('zhaoliu')).status).toBe(303);
    const html = await (await firm.get('/app/letters')).text();
    expect(stateOf(html, letters[0]!.number)).toBe('issued');
    expect(stateOf(html, letters[2]!.number)).toBe('disputed');
    expect(html).toContain('异议中');
    expect(countOf(html, '')).toBe(3);
    expect(countOf(html, 'issued')).toBe(2);
    expect(countOf(html, 'disputed')).toBe(1);
    expect(countOf(html, 'paid')).toBe(0);
  });

  it('an assistant records dispatch with a tracking number, then refusal; the page and the list say 拒收', async () => {
    const at = nowField();
    const r = await event(0, { type: 'dispatched', channel: 'ems', trackingNo: 'EA123456789CN', at });
    expect(r.status).toBe(303);
    let page = await (await firm.get(`/app/letters/${letters[0]!.id}`)).text();
    expect(page).toContain('已交寄');
    expect(page).toContain('运单号 EA123456789CN');
    expect(page).toContain('id="arrival"');
    expect(page).not.toContain('id="dispatch"');
    expect((await event(0, { type: 'refused', at, note: '收件人拒收' })).status).toBe(303);
    page = await (await firm.get(`/app/letters/${letters[0]!.id}`)).text();
    expect(page).toMatch(/id="state">拒收</);
    const list = await (await firm.get('/app/letters')).text();
    expect(stateOf(list, letters[0]!.number)).toBe('refused');
    expect(countOf(list, 'refused')).toBe(1);
  });

  it('a payment in full makes it 已付款; a partial one shows what is paid; the filter keeps only that state', async () => {
    const at = nowField();
    expect((await event(1, { type: 'dispatched', channel: 'registered-mail', at })).status).toBe(303);
    expect((await event(1, { type: 'delivered', at })).status).toBe(303);
    const page = await (await firm.get(`/app/letters/${letters[1]!.id}`)).text();
    const outstanding = /id="outstanding">([\d.]+) 元/.exec(page)![1]!;
    expect((await event(1, { type: 'paid', amount: '100.00', at })).status).toBe(303);
    let list = await (await firm.get('/app/letters')).text();
    expect(stateOf(list, letters[1]!.number)).toBe('delivered');
    expect(list).toContain('已还 100.00');
    const rest = (Number(outstanding) - 100).toFixed(2);
    expect((await event(1, { type: 'paid', amount: rest, at })).status).toBe(303);
    list = await (await firm.get('/app/letters?state=paid')).text();
    expect(stateOf(list, letters[1]!.number)).toBe('paid');
    expect(list).not.toContain(letters[0]!.number);
    expect(countOf(list, 'paid')).toBe(1);
  });

  it('refuses what may not follow, a bad tracking number, an overpayment and a missing time, naming the field', async () => {
    const wrong = await event(0, { type: 'delivered', at: nowField() });
    expect(wrong.status).toBe(409);
    expect(await wrong.text()).toContain('当前状态');
    const bad = await event(2, { type: 'dispatched', channel: 'ems', trackingNo: '运单', at: nowField() });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('运单号：');
    const over = await event(2, { type: 'paid', amount: '99999999.00', at: nowField() });
    expect(over.status).toBe(409);
    expect(await over.text()).toContain('超过尚欠金额');
    expect((await event(2, { type: 'paid', amount: '1.00', at: '' })).status).toBe(422);
    expect((await event(2, { type: 'burned', at: nowField() })).status).toBe(422);
    const noToken = await firm.post(
      `/app/letters/${letters[2]!.id}/events`,
      new URLSearchParams({ type: 'dispatched', channel: 'ems', at: nowField() }),
    );
    expect(noToken.status).toBe(403);
    const html = await (await firm.get(`/app/letters/${letters[2]!.id}`)).text();
    expect(html).not.toContain('data-type="dispatched"');
  });

  it('the creditor resolves the dispute from the letter page; an assistant may not', async () => {
    const path = `/app/letters/${letters[2]!.id}`;
    const firmPage = await (await firm.get(path)).text();
    expect(firmPage).toContain('利息计算有误');
    expect(firmPage).not.toContain('标记为已处理');
    const client = webClient(() => s.url);
    expect((await client.signIn('wangwu')).status).toBe(303);
    const page = await (await client.get(path)).text();
    expect(page).toContain('标记为已处理');
    expect(page).not.toContain('id="dispatch"');
    const short = await client.post(
      `${path}/responses/${disputeId}/resolve`,
      new URLSearchParams({ _csrf: await client.csrf(path), note: '好' }),
    );
    expect(short.status).toBe(422);
    const ok = await client.post(
      `${path}/responses/${disputeId}/resolve`,
      new URLSearchParams({ _csrf: await client.csrf(path), note: '已核对利息并电话回复债务人' }),
    );
    expect(ok.status).toBe(303);
    const after = await (await client.get(path)).text();
    expect(after).toMatch(/id="state">已出具</);
    expect(after).toContain('已核对利息并电话回复债务人');
    const list = await (await firm.get('/app/letters')).text();
    expect(countOf(list, 'disputed')).toBe(0);
  });

  it('downloads the evidence package; another organisation sees neither the page nor the package', async () => {
    const r = await firm.get(`/app/letters/${letters[0]!.id}/evidence.zip`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/zip');
    const files = Object.keys(unzipSync(new Uint8Array(await r.arrayBuffer())));
    expect(
      files.some((f) => f.endsWith('-证据目录.pdf')),
      files.join(' '),
    ).toBe(true);
    const other = webClient(() => s.url);
    expect((await other.signIn('other')).status).toBe(303);
    expect((await other.get(`/app/letters/${letters[0]!.id}`)).status).toBe(404);
    expect((await other.get(`/app/letters/${letters[0]!.id}/evidence.zip`)).status).toBe(404);
    const html = await (await other.get('/app/letters')).text();
    expect(html).not.toContain(letters[0]!.number);
  });
});
