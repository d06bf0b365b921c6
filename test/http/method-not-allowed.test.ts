import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server-helper.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

describe('wrong method on a known path', () => {
  it.each([
    ['DELETE', '/healthz', 'GET, HEAD'],
    ['POST', '/openapi.json', 'GET, HEAD'],
    ['GET', '/v1/previews', 'POST'],
    ['PUT', '/v1/letters', 'GET, HEAD, POST'],
    ['POST', '/v1/letters/0b7c-some-id', 'GET, HEAD'],
    ['PATCH', '/v1/templates/reminder/1', 'GET, HEAD'],
    ['DELETE', '/v1/verify?number=x&code=y', 'GET, HEAD'],
    ['GET', '/v1/validate/', 'POST'], // express matches a trailing slash; so does the Allow list
  ])('%s %s → 405, Allow: %s, as problem+json', async (method, path, allow) => {
    const r = await s.call(method, path);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe(allow);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(await r.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('leaves unknown paths at 404 and the served methods alone', async () => {
    expect((await s.call('DELETE', '/v1/nothing-here')).status).toBe(404);
    expect((await s.call('GET', '/healthz')).status).toBe(200);
    expect((await s.call('HEAD', '/healthz')).status).toBe(200);
    const options = await s.call('OPTIONS', '/v1/letters');
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect((await s.call('OPTIONS', '/v1/nothing-here')).status).toBe(404);
  });
});
