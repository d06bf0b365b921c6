/**
 * Hostile input over HTTP: every defect found by trying the service as a hostile client,
 * each answered with a clear 4xx (or a deliberate 503) and the service still answering.
 */

import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
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

type Problem = {
  status: number;
  code: string;
  detail: string;
  issues?: { path: string; code: string }[];
  issuesOmitted?: number;
};
const problem = async (r: Response) => {
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  return r.json() as Promise<Problem>;
};

/** `"history": [[[…]]]` nested n deep, as raw JSON text (the client side never builds the value). */
const deepBody = (n: number) =>
  JSON.stringify(example('reminder')).replace(/}$/, `,"history":${'['.repeat(n)}${']'.repeat(n)}}`);

describe('deep bodies', () => {
  it('are answered 422 INPUT_TOO_DEEP with the path on every POST route, before any worker sees them', async () => {
    for (const path of ['/v1/previews', '/v1/validate', '/v1/letters', '/v1/recommendations']) {
      const r = await s.call('POST', path, { raw: deepBody(5_000), headers: { 'idempotency-key': 'deep' } });
      expect(r.status, path).toBe(422);
      const p = await problem(r);
      expect(p.code).toBe('INPUT_TOO_DEEP');
      expect(p.issues![0]!.path).toMatch(/^history(\.0)+$/);
    }
  });

  it('do not take the service down while the render pool is busy', async () => {
    const busy = Array.from({ length: 6 }, () => s.call('POST', '/v1/previews', { body: example('lawyer-letter') }));
    const deep = Array.from({ length: 4 }, () => s.call('POST', '/v1/previews', { raw: deepBody(4_000) }));
    const statuses = (await Promise.all([...busy, ...deep])).map((r) => r.status);
    expect(statuses.slice(6)).toEqual([422, 422, 422, 422]);
    expect(statuses.slice(0, 6).every((x) => x === 200 || x === 503)).toBe(true);
    expect((await s.call('POST', '/v1/previews', { body: example('reminder') })).status).toBe(200);
  });
});

describe('misleading answers, corrected', () => {
  it('a letter without kind, or an array body, is invalid input (422), not a missing scope', async () => {
    const noKind = variant(example('reminder'), (x) => {
      delete x.kind;
    });
    const p1 = await problem(
      await s.call('POST', '/v1/letters', { body: noKind, headers: { 'idempotency-key': 'no-kind' } }),
    );
    expect(p1.status).toBe(422);
    expect(p1.issues).toContainEqual(expect.objectContaining({ path: 'kind', code: 'REQUIRED' }));
    const p2 = await problem(
      await s.call('POST', '/v1/letters', { body: [example('reminder')], headers: { 'idempotency-key': 'array' } }),
    );
    expect(p2.status).toBe(422);
  });

  it('accepts the Bearer scheme in any case', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const r = await s.call('GET', '/v1/templates', {
        key: null,
        headers: { authorization: `${scheme} ${KEYS.all}` },
      });
      expect(r.status, scheme).toBe(200);
    }
  });

  it('refuses invalid UTF-8 with 400 INVALID_UTF8 instead of replacing it', async () => {
    const input = example('reminder');
    const [before, after] = JSON.stringify(input).split(JSON.stringify(input.debtor.name));
    // The debtor's name with a byte that is never valid in UTF-8 (0xFF) in place of its last character.
    const name = Buffer.from(JSON.stringify(input.debtor.name.slice(0, -1)).slice(0, -1), 'utf8');
    const bytes = Buffer.concat([Buffer.from(before!), name, Buffer.from([0xff, 0x22]), Buffer.from(after!)]);
    for (const path of ['/v1/validate', '/v1/previews']) {
      const p = await problem(await s.call('POST', path, { raw: bytes }));
      expect(p.status).toBe(400);
      expect(p.code).toBe('INVALID_UTF8');
    }
  });

  it('names Content-Encoding when the body does not match it (400) or it is not one we decompress (415); a real gzip body is read', async () => {
    const raw = JSON.stringify(example('reminder'));
    const plainAsGzip = await problem(
      await s.call('POST', '/v1/validate', { raw, headers: { 'content-encoding': 'gzip' } }),
    );
    expect(plainAsGzip).toMatchObject({ status: 400, code: 'CONTENT_ENCODING_INVALID' });
    expect(plainAsGzip.detail).toContain('Content-Encoding');
    const compress = await problem(
      await s.call('POST', '/v1/validate', { raw, headers: { 'content-encoding': 'compress' } }),
    );
    expect(compress).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(compress.detail).toContain('Content-Encoding must be gzip, deflate, br or identity');
    expect(
      (await s.call('POST', '/v1/validate', { raw: gzipSync(raw), headers: { 'content-encoding': 'gzip' } })).status,
    ).toBe(200);
  });

  it('answers valid JSON of the wrong type (null, a string, a number, an array) as 422 INVALID_TYPE, and broken JSON as 400', async () => {
    for (const raw of ['null', '"x"', '42', '[]']) {
      const p = await problem(await s.call('POST', '/v1/previews', { raw }));
      expect(p.status, raw).toBe(422);
      expect(p.issues?.[0]?.code, raw).toBe('INVALID_TYPE');
    }
    expect((await problem(await s.call('POST', '/v1/previews', { raw: '{"kind":' }))).code).toBe('JSON_MALFORMED');
  });

  it('lists GLYPH_MISSING in issues[] with the field path, like every other 422', async () => {
    const r = await s.call('POST', '/v1/previews', {
      body: variant(example('lawyer-letter'), (x) => {
        x.debtor.name = '张\u{30000}';
      }),
    });
    const p = await problem(r);
    expect(p.status).toBe(422);
    expect(p.code).toBe('GLYPH_MISSING');
    expect(p.issues).toEqual([expect.objectContaining({ path: 'debtor.name', code: 'GLYPH_MISSING' })]);
  });

  it('refuses year 0000', async () => {
    const p = await problem(
      await s.call('POST', '/v1/validate', {
        body: variant(example('reminder'), (x) => {
          x.account.contractDate = '0000-01-01';
        }),
      }),
    );
    expect(p.issues).toContainEqual(
      expect.objectContaining({ path: 'account.contractDate', code: 'DATE_OUT_OF_RANGE' }),
    );
  });

  it('answers oversized headers with a problem+json 431', async () => {
    const url = new URL(s.url);
    const { status, type, body } = await new Promise<{ status: number; type: string; body: string }>(
      (resolve, reject) => {
        const req = request(
          { host: url.hostname, port: url.port, path: '/healthz', headers: { 'x-padding': 'a'.repeat(20_000) } },
          (res) => {
            let b = '';
            res.on('data', (c) => (b += c));
            res.on('end', () =>
              resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: b }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    expect(status).toBe(431);
    expect(type).toContain('application/problem+json');
    expect(JSON.parse(body)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it('keeps an error answer small: past 50 issues, the rest are counted; a very wide object is refused at once', async () => {
    // 45 unknown fields in each of three objects: under the width limit (64), so every one is an issue.
    const junk = (p: string) => Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`${p}${i}`, 'x']));
    const input = example('reminder');
    const raw = JSON.stringify({
      ...input,
      ...junk('top'),
      debtor: { ...input.debtor, ...junk('d') },
      account: { ...input.account, ...junk('a') },
    });
    const r = await s.call('POST', '/v1/validate', { raw });
    const text = await r.text();
    expect(r.status).toBe(422);
    const p = JSON.parse(text) as Problem;
    expect(p.issues).toHaveLength(50);
    expect(p.issuesOmitted).toBe(135 - 50);
    expect(text.length).toBeLessThan(10_000); // bounded by the 50 listed issues, whatever the request
    const wide = await problem(
      await s.call('POST', '/v1/validate', {
        raw: JSON.stringify({ ...input, ...Object.fromEntries(Array.from({ length: 1_500 }, (_, i) => [`f${i}`, 1])) }),
      }),
    );
    expect(wide).toMatchObject({
      code: 'INPUT_TOO_WIDE',
      issues: [expect.objectContaining({ path: '', code: 'INPUT_TOO_WIDE' })],
    });
  });
});

describe('hardening', () => {
  it('refuses API keys shorter than 32 characters at start', () => {
    expect(() => parseConfig({ apiKeys: [{ id: 'short', key: 'k'.repeat(31), scopes: ['read'] }] })).toThrow(
      /32 characters/,
    );
    expect(() => parseConfig({ apiKeys: [{ id: 'ok', key: 'k'.repeat(32), scopes: ['read'] }] })).not.toThrow();
  });

  it('throttles failed authentication per source, and says when to retry', async () => {
    const t = await startTestServer({ authFailuresPerMinute: 5 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await t.call('GET', '/v1/templates', { key: `wrong-${i}`.padEnd(40, 'x') })).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      const r = await t.call('GET', '/v1/templates');
      expect(r.status).toBe(429); // the source is throttled, whatever key it presents next
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await problem(r)).code).toBe('AUTH_THROTTLED');
    } finally {
      await t.close();
    }
  });

  it('limits /v1/verify per client behind a trusted proxy (X-Forwarded-For), and per connection address without one', async () => {
    const verify = (t: TestServer, client: string) =>
      t
        .call('GET', '/v1/verify?number=x&code=y', {
          key: null,
          headers: { 'x-forwarded-for': client, accept: 'application/json' },
        })
        .then((r) => r.status);
    const behind = await startTestServer({ trustProxy: 'loopback', publicRatePerMinute: 2 });
    try {
      expect([
        await verify(behind, '203.0.113.1'),
        await verify(behind, '203.0.113.1'),
        await verify(behind, '203.0.113.1'),
      ]).toEqual([200, 200, 429]);
      expect(await verify(behind, '203.0.113.2')).toBe(200);
    } finally {
      await behind.close();
    }
    const direct = await startTestServer({ publicRatePerMinute: 2 });
    try {
      // Without trust proxy the header is ignored: a client cannot dodge the limit by inventing addresses.
      expect([
        await verify(direct, '203.0.113.1'),
        await verify(direct, '203.0.113.2'),
        await verify(direct, '203.0.113.3'),
      ]).toEqual([200, 200, 429]);
    } finally {
      await direct.close();
    }
  });
});

describe('issuing under pressure', () => {
  const letter = (i: number) =>
    variant(dated('reminder', todayInShanghai()), (x) => {
      x.debt.paid = `${i}.00`;
      delete x.debt.total;
      x.account.contractNo = `HQ-${i}`;
    });

  it('bounds the issuing queue: past the bound, 503 QUEUE_FULL with Retry-After; the rest are issued with consecutive numbers', async () => {
    const t = await startTestServer({ maxIssueQueue: 2 });
    try {
      const all = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          t.call('POST', '/v1/letters', { body: letter(i), headers: { 'idempotency-key': `q-${i}` } }),
        ),
      );
      const full = all.filter((r) => r.status === 503);
      const issued = all.filter((r) => r.status === 201);
      expect(full.length).toBeGreaterThan(0);
      expect(issued.length).toBeGreaterThan(0);
      expect(full.length + issued.length).toBe(24);
      for (const r of full) {
        expect(r.headers.get('retry-after')).toBe('1');
        expect((await problem(r)).code).toBe('QUEUE_FULL');
      }
      const numbers = (await Promise.all(issued.map((r) => r.json() as Promise<{ number: string }>)))
        .map((x) => Number(/第(\d+)号/.exec(x.number)![1]))
        .sort((a, b) => a - b);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    } finally {
      await t.close();
    }
  });

  it('a registry locked by another process: /healthz answers meanwhile, then 503 REGISTRY_BUSY with Retry-After', async () => {
    const t = await startTestServer({ registryBusyTimeoutMs: 1_500 });
    const Database = (await import('better-sqlite3')).default;
    const other = new Database(`${t.dir}/hanjian.db`);
    try {
      other.exec('BEGIN IMMEDIATE');
      let issueDone = false;
      const issuing = t
        .call('POST', '/v1/letters', { body: letter(1), headers: { 'idempotency-key': 'locked' } })
        .then((r) => {
          issueDone = true;
          return r;
        });
      await new Promise((r) => setTimeout(r, 200));
      const health = await t.call('GET', '/healthz', { key: null });
      expect(health.status).toBe(200);
      expect(issueDone).toBe(false); // /healthz was answered while the issue was still waiting for the lock
      const r = await issuing;
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('2');
      expect((await problem(r)).code).toBe('REGISTRY_BUSY');
      other.exec('COMMIT');
      const again = await t.call('POST', '/v1/letters', { body: letter(1), headers: { 'idempotency-key': 'locked' } });
      expect(again.status).toBe(201);
      expect(((await again.json()) as { number: string }).number).toMatch(/第0001号/);
    } finally {
      other.close();
      await t.close();
    }
  });

  it('storage failure: 503 STORAGE_UNAVAILABLE naming the errno, logged with it, nothing left behind', async () => {
    const t = await startTestServer();
    const { writeFileSync, rmSync, readdirSync } = await import('node:fs');
    try {
      writeFileSync(`${t.dir}/letters`, 'not a folder');
      const r = await t.call('POST', '/v1/letters', { body: letter(2), headers: { 'idempotency-key': 'disk' } });
      expect(r.status).toBe(503);
      const p = await problem(r);
      expect(p.code).toBe('STORAGE_UNAVAILABLE');
      expect(p.detail).toMatch(/ENOTDIR|EEXIST/);
      expect(t.logs).toContainEqual(
        expect.objectContaining({
          msg: 'request failed',
          code: 'STORAGE_UNAVAILABLE',
          cause: expect.stringMatching(/ENOTDIR|EEXIST/),
        }),
      );
      rmSync(`${t.dir}/letters`);
      const ok = await t.call('POST', '/v1/letters', { body: letter(2), headers: { 'idempotency-key': 'disk' } });
      expect(ok.status).toBe(201);
      expect(((await ok.json()) as { number: string }).number).toMatch(/第0001号/);
      expect(
        readdirSync(`${t.dir}/letters`, { recursive: true })
          .map(String)
          .filter((f) => f.endsWith('.tmp')),
      ).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
