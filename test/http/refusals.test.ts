/**
 * The refusal budget (src/http/refusals.ts): an address without an API key that keeps sending
 * malformed requests is slowed to a trickle, while other addresses and keyed clients are not.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example } from '../helpers.js';
import { startTestServer, type TestServer } from './server-helper.js';

/** A POST from a chosen loopback address (Linux answers all of 127.0.0.0/8), so one test plays several clients. */
function postFrom(url: string, localAddress: string, path: string, body: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; code?: string; retryAfter?: string; connection?: string; ms: number }>(
    (resolve, reject) => {
      const start = performance.now();
      const req = request(
        `${url}${path}`,
        { method: 'POST', localAddress, agent: false, headers: { 'content-type': 'application/json', ...headers } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              code: text.startsWith('{') ? JSON.parse(text).code : undefined,
              retryAfter: res.headers['retry-after'],
              connection: res.headers.connection,
              ms: performance.now() - start,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    },
  );
}

const good = JSON.stringify(example('reminder'));
const malformed = '{"kind": "reminder", ';

describe('without API keys (local mode)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ apiKeys: [], refusalsPerMinute: 3 });
  });
  afterAll(async () => {
    await s.close();
  });

  it('answers an address past its budget 429 TOO_MANY_REFUSALS after a delay, and leaves other addresses alone', async () => {
    const first: number[] = [];
    for (let i = 0; i < 3; i++) first.push((await postFrom(s.url, '127.0.0.2', '/v1/validate', malformed)).status);
    expect(first).toEqual([400, 400, 400]);

    const throttled = await postFrom(s.url, '127.0.0.2', '/v1/validate', good);
    expect(throttled.status).toBe(429);
    expect(throttled.code).toBe('TOO_MANY_REFUSALS');
    expect(Number(throttled.retryAfter)).toBeGreaterThan(0);
    expect(throttled.connection).toBe('close');
    expect(throttled.ms).toBeGreaterThanOrEqual(900); // held ~1 s, so a closed loop slows down

    const other = await postFrom(s.url, '127.0.0.3', '/v1/validate', good);
    expect(other.status).toBe(200);
  });

  it('does not count answers that are not about a malformed request', async () => {
    for (let i = 0; i < 5; i++) expect((await postFrom(s.url, '127.0.0.4', '/v1/validate', good)).status).toBe(200);
    // Unknown routes are 404, not refusals of a body.
    for (let i = 0; i < 5; i++) expect((await postFrom(s.url, '127.0.0.4', '/v1/nowhere', good)).status).toBe(404);
    expect((await postFrom(s.url, '127.0.0.4', '/v1/validate', good)).status).toBe(200);
  });
});

describe('with API keys', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ refusalsPerMinute: 2 });
  });
  afterAll(async () => {
    await s.close();
  });

  it('does not throttle a keyed client for its malformed bodies (its own rate limit applies)', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await s.call('POST', '/v1/validate', { raw: malformed });
      expect(r.status).toBe(400);
    }
  });

  it('throttles unkeyed malformed requests to public routes by address', async () => {
    const statuses: number[] = [];
    // Protected routes answer an unkeyed request 401 first (throttled as AUTH_THROTTLED); the public routes are what remains.
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await postFrom(s.url, '127.0.0.5', '/v1/verify/responses', 'text='.padEnd(9_000, 'x'), {
            'content-type': 'application/x-www-form-urlencoded',
          })
        ).status,
      );
    expect(statuses).toEqual([413, 413, 429]);
  });
});
