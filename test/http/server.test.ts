import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated, example, variant } from '../helpers.js';
import { KEYS, startTestServer, type TestServer } from './server-helper.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

const problem = async (r: Response) => {
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  return r.json() as Promise<{
    status: number;
    code: string;
    detail: string;
    issues?: { path: string; code: string }[];
  }>;
};

describe('HTTP API', () => {
  it('answers health, readiness and metrics', async () => {
    expect(await (await s.call('GET', '/healthz', { key: null })).json()).toEqual({ ok: true });
    expect((await s.call('GET', '/readyz', { key: null })).status).toBe(200);
    await s.call('GET', '/healthz');
    const m = await (await s.call('GET', '/metrics', { key: null })).text();
    expect(m).toContain('hanjian_http_requests_total{route="GET /healthz",status="200"}');
    expect(m).toContain('hanjian_http_request_duration_seconds_bucket');
    expect(m).toContain('hanjian_render_queue_depth');
  });

  it('serves an OpenAPI 3.1 document that names every route', async () => {
    const doc = (await (await s.call('GET', '/openapi.json', { key: null })).json()) as {
      openapi: string;
      paths: Record<string, object>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/v1/previews',
      '/v1/validate',
      '/v1/recommendations',
      '/v1/templates',
      '/v1/templates/{kind}/{version}',
      '/v1/letters',
      '/v1/letters/{id}',
      '/v1/letters/{id}/pdf',
      '/v1/verify',
      '/healthz',
      '/readyz',
      '/metrics',
      '/openapi.json',
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas.LawyerLetterInput!.properties)).toEqual(
      expect.arrayContaining(['kind', 'creditor', 'debtor', 'account', 'debt', 'lawFirm', 'lawyers']),
    );
  });

  it('previews a letter as a draft PDF', async () => {
    const r = await s.call('POST', '/v1/previews', { body: example('lawyer-letter') });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('x-template')).toBe('lawyer-letter@1');
    const bytes = Buffer.from(await r.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('returns byte-identical PDFs for 20 concurrent previews of the same input', async () => {
    const input = example('demand');
    const all = await Promise.all(
      Array.from({ length: 20 }, () =>
        s
          .call('POST', '/v1/previews', { body: input })
          .then(async (r) => ({ status: r.status, bytes: Buffer.from(await r.arrayBuffer()) })),
      ),
    );
    const ok = all.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(18); // a 503 under this burst is allowed by design; nothing else is
    expect(all.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    for (const r of ok) expect(r.bytes.equals(ok[0]!.bytes)).toBe(true);
  });

  it('validates: the summary, or 422 with issues and paths', async () => {
    const ok = await s.call('POST', '/v1/validate', { body: example('reminder') });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      ok: true,
      kind: 'reminder',
      template: 'reminder@1',
      total: '3252.80',
      totalFen: 325280,
    });
    const bad = await s.call('POST', '/v1/validate', {
      body: variant(example('reminder'), (x) => {
        x.debt.principal = '12.345';
      }),
    });
    expect(bad.status).toBe(422);
    const p = await problem(bad);
    expect(p.code).toBe('INVALID_INPUT');
    expect(p.issues).toContainEqual(expect.objectContaining({ path: 'debt.principal', code: 'MONEY_FORMAT' }));
  });

  it('maps bad requests to 400, 413, 415, 404', async () => {
    expect((await problem(await s.call('POST', '/v1/previews', { raw: '{"kind": ' }))).status).toBe(400);
    expect(
      (await problem(await s.call('POST', '/v1/previews', { raw: JSON.stringify({ x: 'a'.repeat(300_000) }) }))).status,
    ).toBe(413);
    expect(
      (
        await problem(
          await s.call('POST', '/v1/previews', { raw: 'kind=reminder', type: 'application/x-www-form-urlencoded' }),
        )
      ).status,
    ).toBe(415);
    expect((await problem(await s.call('GET', '/v1/nothing-here'))).status).toBe(404);
    expect((await problem(await s.call('GET', '/v1/templates/reminder/9'))).code).toBe('TEMPLATE_NOT_FOUND');
  });

  it('refuses a letter that breaks the compliance guard with 422', async () => {
    const r = await s.call('POST', '/v1/previews', {
      body: variant(example('lawyer-letter'), (x) => {
        x.account.overdueDailyRate = '0.001';
      }),
    });
    const p = await problem(r);
    expect(p.status).toBe(422);
    expect(p.code).toBe('COMPLIANCE');
    expect(p.issues).toContainEqual(expect.objectContaining({ code: 'CHARGE_OVER_CAP' }));
  });

  it('refuses to issue a letter whose note diverts payment (422, never 201)', async () => {
    const demand = dated('demand', todayInShanghai());
    demand.relief.note = '还款请转入个人账户6222020200112233445（户名王某）';
    const r = await s.call('POST', '/v1/letters', {
      body: demand,
      headers: { 'idempotency-key': 'payment-diversion' },
    });
    const p = await problem(r);
    expect(p.status).toBe(422);
    expect(p.code).toBe('COMPLIANCE');
    expect(p.issues).toContainEqual(expect.objectContaining({ code: 'COMPLIANCE_FORBIDDEN', path: 'relief.note' }));
    expect(p.issues).toContainEqual(
      expect.objectContaining({ code: 'COMPLIANCE_PAYMENT_CHANNEL', path: 'relief.note' }),
    );
  });

  it('enforces API keys and scopes (401, 403)', async () => {
    expect((await problem(await s.call('POST', '/v1/previews', { body: example('reminder'), key: null }))).status).toBe(
      401,
    );
    expect(
      (await problem(await s.call('POST', '/v1/previews', { body: example('reminder'), key: 'wrong-key-0123456789' })))
        .status,
    ).toBe(401);
    expect((await s.call('POST', '/v1/previews', { body: example('reminder'), key: KEYS.previewOnly })).status).toBe(
      200,
    );
    expect((await problem(await s.call('GET', '/v1/templates', { key: KEYS.previewOnly }))).status).toBe(403);
    const lawyer = variant(example('lawyer-letter'), (x) => {
      delete x.letterNo;
    });
    const r = await s.call('POST', '/v1/letters', {
      body: lawyer,
      key: KEYS.reminderIssuer,
      headers: { 'idempotency-key': 'scope-test' },
    });
    expect((await problem(r)).status).toBe(403);
  });

  it('rate-limits per key (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await s.call('POST', '/v1/validate', { key: KEYS.slow, body: example('reminder') });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('lists templates and serves one with its schema and example', async () => {
    const list = (await (await s.call('GET', '/v1/templates')).json()) as { id: string }[];
    expect(list.map((t) => t.id)).toContain('lawyer-letter@1');
    const one = (await (await s.call('GET', '/v1/templates/lawyer-letter/1')).json()) as {
      manifest: { title: string };
      schema: { type: string };
      example: { kind: string };
    };
    expect(one.manifest.title).toBe('律师函');
    expect(one.schema.type).toBe('object');
    expect(one.example.kind).toBe('lawyer-letter');
  });

  it('recommends a letter from the escalation policy', async () => {
    const r = await s.call('POST', '/v1/recommendations', {
      body: {
        ...example('lawyer-letter'),
        history: { overdueCount12m: 2, lettersSent: [{ kind: 'demand', date: '2026-11-18', deadline: '2026-11-25' }] },
      },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ kind: 'lawyer-letter', overdueDays: 11, highRisk: true });
  });

  it('never logs bodies, names, ID numbers or phone numbers; logs one line per request', async () => {
    const text = JSON.stringify(s.logs);
    for (const secret of ['张三', '110105199003071239', '13800138000', '阿依古丽', KEYS.all, KEYS.previewOnly])
      expect(text).not.toContain(secret);
    const req = s.logs.filter((l) => l.msg === 'request');
    expect(req.length).toBeGreaterThan(10);
    expect(req[0]).toEqual(
      expect.objectContaining({
        requestId: expect.any(String),
        route: expect.any(String),
        status: expect.any(Number),
        ms: expect.any(Number),
      }),
    );
  });
});

describe('HTTP API under pressure', () => {
  it('answers 503 with Retry-After at once when the queue is full, and /healthz stays fast', async () => {
    const t = await startTestServer({ workers: 1, maxQueue: 1 });
    try {
      const input = example('lawyer-letter');
      const started = performance.now();
      const pending = Array.from({ length: 12 }, () =>
        t
          .call('POST', '/v1/previews', { body: input })
          .then((r) => ({ status: r.status, retry: r.headers.get('retry-after'), ms: performance.now() - started })),
      );
      const h0 = performance.now();
      const health = await t.call('GET', '/healthz', { key: null });
      const healthMs = performance.now() - h0;
      const all = await Promise.all(pending);
      expect(health.status).toBe(200);
      expect(healthMs).toBeLessThan(1000); // the strict 50 ms figure is measured by npm run bench:http, not asserted here
      const rejected = all.filter((r) => r.status === 503);
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected.every((r) => r.retry === '1')).toBe(true);
      expect(all.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('answers 504 when a render exceeds its time limit', async () => {
    // The time limit counts from admission, so 400 letters queued behind one worker cannot all
    // finish within 1 s even at 3 ms a render, while one warm render stays well under it even on
    // a heavily loaded machine (a 100 ms limit made the recovery step fail under load).
    const t = await startTestServer({ workers: 1, renderTimeoutMs: 1_000, maxQueue: 500 });
    try {
      const input = example('lawyer-letter');
      const all = await Promise.all(Array.from({ length: 400 }, () => t.call('POST', '/v1/previews', { body: input })));
      const timeouts = all.filter((r) => r.status === 504);
      expect(timeouts.length).toBeGreaterThan(0);
      const p = (await timeouts[0]!.json()) as { code: string };
      expect(p.code).toBe('RENDER_TIMEOUT');
      // The pool recovers once the replacement worker has warmed up: a later request succeeds.
      let status = 0;
      for (let i = 0; i < 40 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 500));
        status = (await t.call('POST', '/v1/previews', { body: example('reminder') })).status;
      }
      expect(status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
