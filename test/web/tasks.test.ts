/**
 * Work the workspace does after answering, over HTTP: a creditor's own import issues the
 * reminders and demands the policy recommends (with the creditor's uploaded seal), refuses a
 * row whose chosen kind the policy does not recommend, and sends a lawyer's letter only to the
 * firm for review; a lawyer's whole-batch approval answers at once with a progress page and
 * the letters are issued behind it, audited with the drafts the lawyer opened.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { COLUMNS } from '../../src/imports/index.js';
import { addDays } from '../../src/pipeline/schema/dates.js';
import { sealPng } from '../fixtures/png.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { readPdf } from '../pipeline/pdf/extract.js';
import { PASSWORD, setUpFirm, today, webClient } from './fixture.js';

let s: TestServer;
const ids: Record<string, string> = {};
const client = () => webClient(() => s.url);
type Client = ReturnType<typeof client>;

beforeAll(async () => {
  s = await startTestServer({ renderTimeoutMs: 60_000 }, async (dir) => {
    Object.assign(ids, await setUpFirm(dir));
    const reg = openRegistry({ db: join(dir, 'hanjian.db') });
    await reg.orgs.addUser(
      { orgId: ids.client!, login: 'kehu', name: '孙经理', role: 'admin', password: PASSWORD },
      'test',
    );
    await reg.close();
  });
});
afterAll(async () => {
  await s?.close();
});

/** A row: overdue `days`, with or without the client's own delivered demand before it. */
function row(contractNo: string, days: number, demanded: boolean): string {
  const v: Record<string, string> = {
    债务人姓名: '张三',
    身份证号: '110105199003071239',
    手机号: '13800138000',
    地址: '北京市朝阳区某某路1号',
    合同编号: contractNo,
    产品: '白条',
    合同日期: addDays(today, -400),
    到期日: addDays(today, -days),
    本金: '12000.00',
    近12个月逾期次数: '0',
    ...(demanded ? { 催告函日期: addDays(today, -20), 催告函还款期限: addDays(today, -13), 催告函已送达: '是' } : {}),
  };
  return COLUMNS.map((c) => v[c.header] ?? '').join(',');
}
const csv = (...rows: string[]) => Buffer.from([COLUMNS.map((c) => c.header).join(','), ...rows].join('\n'));

const upload = (c: Client, bytes: Uint8Array, fields: Record<string, string>) => c.upload(bytes, fields, 'list.csv');

/** Reloads a page, as its meta refresh does, until `done` says the work behind it has finished. */
async function untilDone(c: Client, path: string, done: (html: string) => boolean): Promise<string> {
  let html = '';
  for (let i = 0; i < 300; i++) {
    html = await (await c.get(path)).text();
    if (done(html)) return html;
    await sleep(200);
  }
  throw new Error(
    `${path} did not finish: ${html
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .slice(0, 3000)}`,
  );
}

describe("a creditor's own import", () => {
  it('issues the recommended reminder and demand in its own name with its uploaded seal, refuses the row the policy escalates, and offers the ZIP', async () => {
    const c = client();
    await c.signIn('kehu');
    const seal = sealPng(300, 120);
    const form = new FormData();
    form.append('_csrf', await c.csrf('/app/settings'));
    form.append('seal', new Blob([new Uint8Array(seal)]), 'seal.png');
    expect((await c.post('/app/settings/seal', form)).status).toBe(200);

    const page = await (await c.get('/app/import')).text();
    expect(page).toContain('按催收策略建议（推荐）');
    const r = await upload(c, csv(row('OWN-1', 3, false), row('OWN-2', 60, false), row('OWN-3', 60, true)), {
      kind: 'auto',
      engagement: 'own',
    });
    expect(r.status).toBe(303);
    const path = r.headers.get('location')!;
    const html = await untilDone(c, path, (h) => !h.includes('出具中'));
    expect(html).not.toContain('http-equiv="refresh"');
    const rowOf = (n: number) =>
      html.slice(html.indexOf(`data-row="${n}"`), html.indexOf('</tr>', html.indexOf(`data-row="${n}"`)));
    expect(rowOf(2)).toContain('还款提醒函');
    expect(rowOf(3)).toContain('逾期催告函');
    expect(rowOf(2)).toMatch(/class="mono nowrap letter-no"[^>]*>（\d{4}）.+第\d{4}号</);
    expect(rowOf(4)).toContain('应发律师函');
    expect(html).toContain('class="rejected" data-row="4"');

    const batchId = path.split('/').pop()!;
    const zip = unzipSync(new Uint8Array(await (await c.get(`/app/batches/${batchId}/letters.zip`)).arrayBuffer()));
    const pdfs = Object.keys(zip)
      .filter((n) => n.endsWith('.pdf'))
      .sort();
    expect(pdfs).toHaveLength(2);
    const texts = await Promise.all(
      pdfs.map(async (n) => (await readPdf(Buffer.from(zip[n]!))).lines.map((l) => l.text).join('')),
    );
    expect(texts.some((t) => t.includes('还款提醒函') && t.includes('OWN-1'))).toBe(true);
    expect(texts.some((t) => t.includes('逾期催告函') && t.includes('OWN-2'))).toBe(true);

    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    try {
      const letters = await reg.letters.list({ orgId: ids.client! });
      expect(letters.map((l) => l.kind).sort()).toEqual(['demand', 'reminder']);
      expect(new Set(letters.map((l) => l.sealSha256))).toEqual(
        new Set([createHash('sha256').update(seal).digest('hex')]),
      );
      expect(letters.every((l) => l.orgId === ids.client && l.requestId === null)).toBe(true);
    } finally {
      await reg.close();
    }
  }, 120_000);

  it("a chosen kind the policy does not recommend is refused with its reasons; a lawyer's letter goes to the firm for review, never issued here", async () => {
    const c = client();
    await c.signIn('kehu');
    const r = await upload(c, csv(row('OWN-4', 60, false), row('OWN-5', 3, false)), {
      kind: 'reminder',
      engagement: ids.eng!,
    });
    const html = await untilDone(c, r.headers.get('location')!, (h) => !h.includes('出具中'));
    expect(html).toContain('本行现在应发逾期催告函，不是还款提醒函');
    // The engaged firm may open the client's import: it sees that the client issued the letter, not its number.
    const firm = client();
    await firm.signIn('lisi');
    const seen = await (await firm.get(r.headers.get('location')!)).text();
    expect(seen).toContain('由委托人出具');
    expect(seen).not.toContain('出具中');
    expect(seen).not.toContain('letter-no');
    const auto = await upload(c, csv(row('OWN-6', 60, true)), { kind: 'auto', engagement: ids.eng! });
    const result = await (await c.get(auto.headers.get('location')!)).text();
    expect(result).toContain('待审核');
    expect(result).not.toContain('letter-no');
    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    try {
      expect((await reg.letters.list({ orgId: ids.client! })).map((l) => l.contractNo).sort()).toEqual([
        'OWN-1',
        'OWN-2',
        'OWN-5',
      ]);
    } finally {
      await reg.close();
    }
    const lawyerOnly = await upload(c, csv(row('OWN-7', 60, true)), { kind: 'lawyer-letter', engagement: 'own' });
    expect(lawyerOnly.status).toBe(422);
    expect(await lawyerOnly.text()).toContain('律师函须由受托律师事务所审核出具');
  }, 120_000);
});

describe('a whole-batch approval', () => {
  it('answers with a progress page at once; the letters are issued behind it and the audit names the drafts opened', async () => {
    const assistant = client();
    await assistant.signIn('zhaoliu');
    const up = await upload(assistant, csv(row('BAT-1', 60, true), row('BAT-2', 60, true), row('BAT-3', 60, true)), {
      engagement: ids.eng!,
    });
    const batchId = up.headers.get('location')!.split('/').pop()!;
    const lawyer = client();
    await lawyer.signIn('lisi');
    const queue = await (await lawyer.get('/app/review')).text();
    const first = /href="\/app\/review\/([\w-]{36})"/.exec(queue.slice(queue.indexOf(`id="batch-${batchId}"`)))![1]!;
    await lawyer.get(`/app/review/${first}/draft.pdf`, { 'sec-fetch-dest': 'object' });
    const approve = await lawyer.post(`/app/review/batch/${batchId}/approve`, await lawyer.batchApproval(batchId));
    expect(approve.status).toBe(303);
    const taskPath = approve.headers.get('location')!;
    expect(taskPath).toMatch(/^\/app\/tasks\/[\w-]{36}$/);
    const html = await untilDone(lawyer, taskPath, (h) => h.includes('data-status="finished"'));
    expect(html).toContain('出具 3 封');
    expect(html).toContain(`/app/letters?batch&#x3D;${batchId}`);
    // Another organisation does not see the task.
    const other = client();
    await other.signIn('other');
    expect((await other.get(taskPath)).status).toBe(404);

    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    try {
      const rows = await reg.audit.rows({ subject: batchId });
      const started = rows.find((r) => r.action === 'requests.approve-batch')!;
      expect(JSON.parse(started.details)).toMatchObject({ user: ids.lawyer, opened: [first], pending: 3 });
      expect(JSON.parse(rows.find((r) => r.action === 'job.finished')!.details)).toMatchObject({
        done: 3,
        failed: 0,
      });
      expect(
        (await reg.letters.list({ orgId: ids.firm! })).filter((l) => l.contractNo?.startsWith('BAT-')),
      ).toHaveLength(3);
    } finally {
      await reg.close();
    }
  }, 120_000);
});
