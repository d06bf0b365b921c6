/**
 * Issue 15 (batches) on SQLite: a JSON-lines batch is issued row by row through the registry,
 * with exact progress, its failed rows (row and contract) in /errors, every PDF in a streamed
 * archive, a signed completion callback retried after a 500, and nothing visible to another
 * organisation.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../../src/app/library.js';
import { todayInShanghai } from '../../../src/pipeline/schema/dates.js';
import { dated, example } from '../../helpers.js';
import { documentedBy } from '../../http/openapi-helpers.js';
import { KEYS, startTestServer, type TestServer } from '../../http/server-helper.js';
import { readPdf } from '../../pipeline/pdf/extract.js';
import { addEngagedFirm } from '../../support/world.js';
import { letterRows, ndjson, readArchive, untilFinished } from './fixtures.js';

const SECRET = 'callback-secret-0123456789abcdef0123456789';
const N = 40;
let s: TestServer;
let otherKey = '';
/** A creditor that requests lawyer's letters from its firm under an engagement, and the firm's lawyer who reviews them. */
const firm = { creditorKey: '', lawyerKey: '', engagement: '' };
const hook: {
  server?: Server;
  url: string;
  received: { headers: Record<string, string | string[] | undefined>; body: string }[];
} = { url: '', received: [] };

beforeAll(async () => {
  // The callback receiver answers 500 once, then 200: the service must retry.
  hook.server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      hook.received.push({ headers: req.headers, body });
      res.statusCode = hook.received.length === 1 ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => hook.server!.listen(0, '127.0.0.1', r));
  hook.url = `http://127.0.0.1:${(hook.server!.address() as AddressInfo).port}/hooks/batch`;
  // A long keep-alive: reading the archive's PDFs blocks this process for seconds, and a pooled socket closed meanwhile would be reset.
  s = await startTestServer(
    {
      production: false,
      batchMaxRows: 50,
      batchBodyLimitBytes: 200_000,
      keepAliveTimeoutMs: 120_000,
      batchCallbackSecret: SECRET,
      batchCallbackAllowPrivate: true,
      batchCallbackBackoffMs: 100,
    },
    async (dir) => {
      const reg = openRegistry({ db: `${dir}/hanjian.db` });
      const other = await reg.orgs.addOrg(
        {
          kind: 'creditor',
          name: '上海另一家小额贷款有限公司',
          creditCode: '91310000MA1K000001',
        },
        'test',
      );
      otherKey = (
        await reg.orgs.addKey({ orgId: other.id, scopes: ['read', 'issue:reminder', 'issue:demand'] }, 'test')
      ).key;
      const today = todayInShanghai();
      // The example letters' creditor (the same credit code) and its firm, engaged for every product.
      const w = await addEngagedFirm(reg, { today, daysAgo: 10, products: null });
      const [creditor, lawFirm, lawyer] = [w.client, w.firm, w.lawyer];
      firm.engagement = w.engagement.id;
      firm.creditorKey = (
        await reg.orgs.addKey({ orgId: creditor.id, scopes: ['request', 'read', 'override'] }, 'test')
      ).key;
      firm.lawyerKey = (
        await reg.orgs.addKey({ orgId: lawFirm.id, userId: lawyer.id, scopes: ['review', 'read'] }, 'test')
      ).key;
      await reg.close();
    },
  );
}, 120_000);
afterAll(async () => {
  await s?.close();
  hook.server?.close();
});

/** Every JSON answer of these tests is checked against the served OpenAPI document. */
let checked: ReturnType<typeof documentedBy> | undefined;
const documented = (operationId: string, r: Response) => (checked ??= documentedBy(s))(operationId, r);

/**
 * The keyless batches issue for a creditor that is not registered here: the registered one (the
 * engagement's, below) issues only with its own key (SENDER_REGISTERED).
 */
function unregisteredCreditor<T extends Record<string, any>>(letter: T): T {
  const name = '深圳某某信息技术有限公司';
  return {
    ...letter,
    creditor: {
      ...letter.creditor,
      name,
      creditCode: '9144030071526726XG',
      paymentChannels: letter.creditor.paymentChannels.map((c: Record<string, unknown>) =>
        c.accountName ? { ...c, accountName: name } : c,
      ),
    },
  };
}

const post = (body: string, query = '', headers: Record<string, string> = {}) =>
  s.call('POST', `/v1/batches${query}`, { raw: body, type: 'application/x-ndjson', headers });

describe('POST /v1/batches on SQLite', () => {
  let id = '';
  const bad: Record<number, { code: string; contract: string | null }> = {};

  it(`issues ${N} letters with exact progress; bad rows land in /errors with row and contract; the archive holds every PDF and an index`, async () => {
    const rows: unknown[] = letterRows(N, 'BATCH').map(unregisteredCreditor);
    // Rows N+1…: a line that is not JSON, a lawyer's letter (review required), a letter without its debtor's name, a line over the limit.
    const noName = unregisteredCreditor(dated('demand', letterRows(1, 'X')[0]!.issueDate));
    noName.account.contractNo = 'BAD-NONAME';
    delete noName.debtor.name;
    const lawyer = dated('lawyer-letter', noName.issueDate);
    lawyer.account.contractNo = 'BAD-LAWYER';
    rows.push('{"kind": "reminder",', lawyer, noName, JSON.stringify({ kind: 'reminder', pad: 'x'.repeat(70_000) }));
    Object.assign(bad, {
      [N + 1]: { code: 'JSON_MALFORMED', contract: null },
      [N + 2]: { code: 'REVIEW_REQUIRED', contract: 'BAD-LAWYER' },
      [N + 3]: { code: 'INVALID_INPUT', contract: 'BAD-NONAME' },
      [N + 4]: { code: 'BATCH_LINE_TOO_LONG', contract: null },
    });

    const r = await post(ndjson(rows), `?callbackUrl=${encodeURIComponent(hook.url)}`, {
      'idempotency-key': 'nightly-2026-11-28',
    });
    expect(r.status, await r.clone().text()).toBe(202);
    const created = (await documented('createBatch', r)) as { id: string; total: number };
    id = created.id;
    expect(r.headers.get('location')).toBe(`/v1/batches/${id}`);
    expect(created.total).toBe(N + 4);

    // The same Idempotency-Key answers the batch made before: 200, no second batch.
    const again = await post(ndjson(rows), '', { 'idempotency-key': 'nightly-2026-11-28' });
    expect(again.status).toBe(200);
    expect(((await documented('createBatch', again)) as { id: string }).id).toBe(id);

    // No archive while rows are still being worked. 44 letters take a second or two, so a fast machine may already be
    // done: then the archive must be for a finished batch; otherwise the answer is 409.
    const early = await s.call('GET', `/v1/batches/${id}/archive`);
    if (early.status === 200)
      expect(await (await s.call('GET', `/v1/batches/${id}`)).json()).toMatchObject({ status: 'finished' });
    else expect(await documented('getBatchArchive', early)).toMatchObject({ status: 409, code: 'BATCH_NOT_FINISHED' });

    const seen: number[] = [];
    const p = await untilFinished(
      () => s.call('GET', `/v1/batches/${id}`),
      (x) => {
        seen.push(x.done + x.failed);
        expect(x.done + x.failed + x.queued).toBe(N + 4);
        return x.status === 'finished';
      },
    );
    expect(p).toMatchObject({ status: 'finished', total: N + 4, done: N, failed: 4, queued: 0, etaSeconds: null });
    // Progress only grows.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    expect(await documented('getBatch', await s.call('GET', `/v1/batches/${id}`))).toMatchObject({
      status: 'finished',
    });
    const errors = (await documented('listBatchErrors', await s.call('GET', `/v1/batches/${id}/errors`))) as {
      errors: {
        row: number;
        contractNo: string | null;
        problem: { code: string; detail: string; issues?: { path: string }[] };
      }[];
      next: number | null;
    };
    expect(errors.next).toBeNull();
    expect(errors.errors.map((e) => [e.row, e.problem.code, e.contractNo])).toEqual(
      Object.entries(bad).map(([row, b]) => [Number(row), b.code, b.contract]),
    );
    expect(errors.errors.find((e) => e.problem.code === 'INVALID_INPUT')!.problem.issues!.map((i) => i.path)).toContain(
      'debtor.name',
    );

    const zip = await s.call('GET', `/v1/batches/${id}/archive`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-length')).toBeNull(); // streamed, not buffered
    const { files, index } = readArchive(new Uint8Array(await zip.arrayBuffer()));
    const pdfs = Object.keys(files).filter((f) => f.endsWith('.pdf'));
    expect(pdfs).toHaveLength(N);
    expect(index).toHaveLength(N + 4);
    const issued = index.filter((x) => x.status === 'issued');
    expect(issued.map((x) => x.contract_no)).toEqual(letterRows(N, 'BATCH').map((x) => x.account.contractNo));
    // Reminders and demands share the creditor's series: N distinct, consecutive numbers.
    const seqs = issued.map((x) => Number(/第(\d+)号/.exec(x.number)![1])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(index.filter((x) => x.status === 'failed').map((x) => [Number(x.row), x.error_code])).toEqual(
      Object.entries(bad).map(([row, b]) => [Number(row), b.code]),
    );
    for (const x of issued) {
      expect(x.debtor).toMatch(/^\p{Script=Han}\*+\p{Script=Han}?$/u); // masked: the name itself is never in the index
      expect(x.total).toMatch(/^\d+\.\d{2}$/);
      expect(x.verify_code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    }
    // A real PDF: the third row's file carries its own number and contract.
    const third = issued[2]!;
    const text = (await readPdf(Buffer.from(files[third.file]!))).lines.map((l) => l.text).join('');
    expect(text).toContain(third.number);
    expect(text).toContain(third.contract_no);
  }, 300_000);

  it('sends one signed completion callback, retried after a 500; the signature verifies with the secret', async () => {
    const p = await untilFinished(
      () => s.call('GET', `/v1/batches/${id}`),
      (x) => x.callback?.status === 'delivered',
      30,
    );
    expect(p.callback).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
    expect(hook.received).toHaveLength(2);
    for (const { headers, body } of hook.received) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['hanjian-signature']))!;
      expect(createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')).toBe(v1);
      expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
      expect(createHmac('sha256', 'another-secret').update(`${t}.${body}`).digest('hex')).not.toBe(v1);
      expect(JSON.parse(body)).toMatchObject({
        type: 'batch.finished',
        batch: { id, status: 'finished', done: N, failed: 4 },
      });
      expect(headers['hanjian-batch-id']).toBe(id);
    }
  }, 60_000);

  it('another organisation gets 404 for the batch, its errors and its archive', async () => {
    for (const path of [`/v1/batches/${id}`, `/v1/batches/${id}/errors`, `/v1/batches/${id}/archive`]) {
      const r = await s.call('GET', path, { key: otherKey });
      expect(r.status, path).toBe(404);
      expect(
        await documented(
          path.endsWith('errors') ? 'listBatchErrors' : path.endsWith('archive') ? 'getBatchArchive' : 'getBatch',
          r,
        ),
      ).toMatchObject({ code: 'BATCH_NOT_FOUND' });
    }
  });
});

describe('POST /v1/batches?mode=request', () => {
  it("files each row as a letter request for the lawyer's review; the archive holds the letters approved since and lists the others", async () => {
    // The amounts as of the example's own day, where they follow from its terms (issue 27).
    const { lawFirm: _f, lawyers: _l, letterNo: _n, issueDate: _d, ...letter } = example('lawyer-letter');
    const override = { reason: '债务人失联逾期，经合规负责人同意发函' };
    const rows = ['REQ-1', 'REQ-2'].map((contractNo) => ({
      engagement: firm.engagement,
      override,
      letter: { ...letter, account: { ...letter.account, contractNo } },
    }));
    const r = await s.call('POST', '/v1/batches?mode=request', {
      raw: ndjson(rows),
      type: 'application/x-ndjson',
      key: firm.creditorKey,
    });
    expect(r.status, await r.clone().text()).toBe(202);
    const { id } = (await r.json()) as { id: string };
    expect(await untilFinished(() => s.call('GET', `/v1/batches/${id}`, { key: firm.creditorKey }))).toMatchObject({
      mode: 'request',
      done: 2,
      failed: 0,
    });
    const requests = (
      (await (await s.call('GET', '/v1/letter-requests?status=pending_review', { key: firm.creditorKey })).json()) as {
        requests: { id: string; contractNo: string }[];
      }
    ).requests;
    const first = requests.find((q) => q.contractNo === 'REQ-1')!;
    expect(requests.map((q) => q.contractNo).sort()).toEqual(['REQ-1', 'REQ-2']);
    expect((await s.call('POST', `/v1/letter-requests/${first.id}/approve`, { key: firm.lawyerKey })).status).toBe(201);

    const { files, index } = readArchive(
      new Uint8Array(await (await s.call('GET', `/v1/batches/${id}/archive`, { key: firm.creditorKey })).arrayBuffer()),
    );
    expect(index.map((x) => [x.row, x.status, x.contract_no])).toEqual([
      ['1', 'issued', 'REQ-1'],
      ['2', 'requested', 'REQ-2'],
    ]);
    expect(index[0]!.number).toMatch(/^（\d{4}）京某律函字第0001号$/);
    expect(Object.keys(files).filter((f) => f.endsWith('.pdf'))).toEqual(['letters/00001.pdf']);
  }, 120_000);
});

describe('POST /v1/batches refuses, with the field named', () => {
  it('a body that is not JSON lines (415), an empty one (422), a bad mode or callback (422), a key without the scope (403)', async () => {
    expect(
      await documented('createBatch', await s.call('POST', '/v1/batches', { body: { kind: 'reminder' } })),
    ).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(await documented('createBatch', await post('\n\n'))).toMatchObject({ status: 422, code: 'BATCH_EMPTY' });
    expect(await documented('createBatch', await post('{}\n', '?mode=everything'))).toMatchObject({
      status: 422,
      code: 'INVALID_INPUT',
      issues: [{ path: 'mode' }],
    });
    for (const url of ['ftp://example.com/x', 'https://user:pw@example.com/x', 'not a url']) {
      const r = await documented('createBatch', await post('{}\n', `?callbackUrl=${encodeURIComponent(url)}`));
      expect(r, url).toMatchObject({ status: 422, code: 'CALLBACK_URL_INVALID', issues: [{ path: 'callbackUrl' }] });
    }
    const forbidden = await s.call('POST', '/v1/batches?mode=request', {
      raw: '{}\n',
      type: 'application/x-ndjson',
      key: otherKey,
    });
    expect(await documented('createBatch', forbidden)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('a body over the batch limit (200 KB here): 413 from Content-Length before reading, and when a chunked body runs past it', async () => {
    expect(await documented('createBatch', await post(`${'{}\n'.repeat(70_000)}`))).toMatchObject({
      status: 413,
      code: 'BODY_TOO_LARGE',
    });
    // Ten lines of 30 KB: each within the line limit, under the row limit, together over the body limit.
    const chunk = new TextEncoder().encode(`${JSON.stringify({ kind: 'reminder', note: 'x'.repeat(30_000) })}\n`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 10) c.enqueue(chunk);
        else c.close();
      },
    });
    const r = await fetch(`${s.url}/v1/batches`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { authorization: `Bearer ${KEYS.all}`, 'content-type': 'application/x-ndjson' },
    } as RequestInit);
    expect(r.headers.get('content-length')).not.toBeNull(); // the answer, not the request
    expect(await documented('createBatch', r)).toMatchObject({
      status: 413,
      code: 'BODY_TOO_LARGE',
      issues: [{ path: 'body' }],
    });
  });

  it('more rows than the limit (50 here): 413 BATCH_TOO_MANY_ROWS, and nothing of the batch remains', async () => {
    const reg = openRegistry({ db: `${s.dir}/hanjian.db` });
    const count = () =>
      reg.stores.db.get(
        "SELECT (SELECT COUNT(*) FROM batches) b, (SELECT COUNT(*) FROM batch_rows WHERE contract_no LIKE 'MANY-%') r",
      );
    try {
      const before = await count();
      const r = await post(ndjson(letterRows(51, 'MANY')));
      expect(await documented('createBatch', r)).toMatchObject({ status: 413, code: 'BATCH_TOO_MANY_ROWS' });
      expect(await count()).toEqual(before);
      expect(await count()).toMatchObject({ r: 0 });
    } finally {
      await reg.close();
    }
  });
});
