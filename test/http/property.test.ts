/**
 * Any body to every POST route of a running service: a 2xx or a 4xx problem+json, never a
 * 5xx, and the service keeps answering /healthz. Bounded to a few hundred requests.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, variant } from '../helpers.js';
import { startTestServer, type TestServer } from './server-helper.js';

let s: TestServer;
// A high rate limit: this test is about answers to bodies, not about 429s (which would also pass).
beforeAll(async () => {
  s = await startTestServer({ ratePerMinute: 100_000, maxIssueQueue: 1_000 });
});
afterAll(async () => {
  await s.close();
});

const ROUTES = ['/v1/previews', '/v1/validate', '/v1/letters', '/v1/recommendations'];

const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '\u0000', '\ud800', '2026-02-30', '0000-01-01', '1e999', '𠮷'.repeat(60), '::pagebreak'),
);
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    oddString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(
    fc.oneof(fc.constantFrom('__proto__', 'constructor', 'kind', 'debtor', 'debt', 'history', 'lawFirm'), fc.string()),
    tie('value'),
    { maxKeys: 4 },
  ),
})).value;

const PATHS = [
  ['kind'],
  ['issueDate'],
  ['debtor'],
  ['debtor', 'name'],
  ['debtor', 'idNumber'],
  ['account', 'dueDate'],
  ['debt'],
  ['debt', 'principal'],
  ['debt', 'total'],
  ['demand'],
  ['history'],
  ['relief'],
  ['creditor', 'paymentChannels'],
];
/** A real letter with one field replaced: gets past the first checks, so it exercises the deep paths. */
const mutatedLetter = fc
  .tuple(fc.constantFrom('reminder', 'demand', 'lawyer-letter'), fc.constantFrom(...PATHS), anyJson)
  .map(([kind, path, value]) =>
    JSON.stringify(
      variant(example(kind as 'reminder'), (x) => {
        delete x.letterNo;
        let cur = x;
        for (const k of path.slice(0, -1)) cur = cur[k] ??= {};
        cur[path.at(-1)!] = value;
      }),
    ),
  );
const deep = fc
  .tuple(fc.integer({ min: 30, max: 6_000 }), fc.constantFrom('[', '{"a":'))
  .map(([n, open]) => `{"kind":"reminder","history":${open.repeat(n)}1${(open === '[' ? ']' : '}').repeat(n)}}`);
const garbage = fc.oneof(
  fc.string(),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom('{"kind":', '[]', 'null', '1', '"x"', '{"a":1,"a":2}'),
);
const body = fc.oneof(
  anyJson.map((v) => JSON.stringify(v) ?? 'null'),
  mutatedLetter,
  mutatedLetter,
  deep,
  garbage,
);

describe('any body to any POST route (property)', () => {
  it('answers 2xx or a 4xx problem+json, never 5xx, and /healthz keeps answering', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, async (route, raw) => {
        const r = await s.call('POST', route, { raw, headers: { 'idempotency-key': `p-${n++}` } });
        const status = r.status;
        const type = r.headers.get('content-type') ?? '';
        await r.arrayBuffer();
        // 503 only as deliberate load shedding (QUEUE_FULL), which a burst may meet; never 500.
        expect(status === 503 ? 'shed' : status < 500 ? 'ok' : `status ${status}`).toMatch(/^(ok|shed)$/);
        if (status >= 400) expect(type).toContain('application/problem+json');
      }),
      { numRuns: 300 },
    );
    expect((await s.call('GET', '/healthz', { key: null })).status).toBe(200);
    expect(s.logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});
