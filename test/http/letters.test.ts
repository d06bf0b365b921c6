import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example } from '../helpers.js';
import { KEYS, startTestServer, type TestServer } from './server-helper.js';

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => { await s.close(); });

const lawyer = (name = '张三') => { const x = example('lawyer-letter'); delete x.letterNo; x.debtor.name = name; return x; };
const issue = (body: unknown, key: string, apiKey = KEYS.all) => s.call('POST', '/v1/letters', { body, key: apiKey, headers: { 'idempotency-key': key } });

describe('registry over HTTP', () => {
  it('16 concurrent issue requests for one firm get 16 distinct, consecutive numbers', async () => {
    const names = ['赵一', '钱二', '孙三', '李四', '周五', '吴六', '郑七', '王八', '冯九', '陈十', '褚甲', '卫乙', '蒋丙', '沈丁', '韩戊', '杨己'];
    const all = await Promise.all(names.map((n, i) => issue(lawyer(n), `concurrent-${i}`)));
    expect(all.map((r) => r.status)).toEqual(new Array(16).fill(201));
    const numbers = (await Promise.all(all.map((r) => r.json() as Promise<{ seq?: number; number: string }>))).map((b) => b.number).sort();
    expect(numbers).toEqual(Array.from({ length: 16 }, (_, i) => `（2026）京某律函字第${String(i + 1).padStart(4, '0')}号`));
  });

  it('is idempotent: a retry returns the same letter (200); other input or requester → 409', async () => {
    const first = await issue(lawyer('欧阳明'), 'idem-1');
    expect(first.status).toBe(201);
    const a = await first.json() as { id: string; number: string; replayed: boolean };
    const retry = await issue(lawyer('欧阳明'), 'idem-1');
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ id: a.id, number: a.number, replayed: true });
    expect((await issue(lawyer('欧阳亮'), 'idem-1')).status).toBe(409);
    const other = await issue(example('reminder'), 'idem-1', KEYS.reminderIssuer);
    expect(other.status).toBe(409);
    expect((await other.json() as { code: string }).code).toBe('IDEMPOTENCY_CONFLICT');
    const noKey = await s.call('POST', '/v1/letters', { body: lawyer('欧阳明') });
    expect(noKey.status).toBe(422);
  });

  it('reads the record and the stored PDF; verifies publicly with a right and a wrong code', async () => {
    const created = await (await issue(lawyer('司马光'), 'read-1')).json() as { id: string; number: string; verifyCode: string; pdfSha256: string };
    const meta = await (await s.call('GET', `/v1/letters/${created.id}`)).json() as { number: string; debtor: string };
    expect(meta).toMatchObject({ number: created.number, debtor: '司*光' });
    const pdfRes = await s.call('GET', `/v1/letters/${created.id}/pdf`);
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get('x-letter-sha256')).toBe(created.pdfSha256);
    const q = (code: string) => `/v1/verify?number=${encodeURIComponent(created.number)}&code=${code}`;
    const good = await (await s.call('GET', q(created.verifyCode), { key: null })).json();
    expect(good).toEqual({ valid: true, kind: 'lawyer-letter', sender: '北京某某律师事务所', issueDate: expect.any(String), debtor: '司*光', total: '12426.00', pdfSha256: created.pdfSha256 });
    expect(await (await s.call('GET', q('ZZZZ-ZZZZ'), { key: null })).json()).toEqual({ valid: false });
    // A browser (the QR code) gets a page in Chinese, with the data escaped.
    const page = await s.call('GET', q(created.verifyCode), { key: null, headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('该函件由本系统出具');
    expect(html).toContain('司*光');
    expect(html).toContain('12,426.00 元'); // the page formats money for people
    expect(await (await s.call('GET', q('ZZZZ-ZZZZ'), { key: null, headers: { accept: 'text/html' } })).text()).toContain('未找到');
    expect((await s.call('GET', '/v1/verify?number=x', { key: null })).status).toBe(422);
    expect((await s.call('GET', `/v1/letters/no-such-id`)).status).toBe(404);
    expect((await s.call('GET', `/v1/letters/${created.id}`, { key: KEYS.previewOnly })).status).toBe(403);
  });

  it('never serves a tampered stored PDF (500 without internals)', async () => {
    const created = await (await issue(lawyer('诸葛亮'), 'tamper-1')).json() as { id: string; pdfSha256: string };
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

  it('checks the issue scope by kind', async () => {
    const r = await issue(example('reminder'), 'scope-reminder', KEYS.reminderIssuer);
    expect(r.status).toBe(201);
    expect((await issue(lawyer('曹操'), 'scope-lawyer', KEYS.reminderIssuer)).status).toBe(403);
  });
});
