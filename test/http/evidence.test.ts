/** The evidence routes over real HTTP: one letter's package named by its number, a batch's package, bounded, scoped. */
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileNameOf } from '../../src/delivery/evidence-package.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated } from '../helpers.js';
import { letterRows, ndjson, untilFinished } from '../jobs/batches/fixtures.js';
import { startTestServer, type TestServer } from './server-helper.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

const today = todayInShanghai();
async function issue(contractNo: string): Promise<{ id: string; number: string }> {
  const demand = dated('demand', today);
  demand.account.contractNo = contractNo;
  const r = await s.call('POST', '/v1/letters', { body: demand, headers: { 'idempotency-key': `ev-${contractNo}` } });
  expect(r.status).toBe(201);
  return (await r.json()) as { id: string; number: string };
}

describe('GET /v1/letters/{id}/evidence and POST /v1/evidence', () => {
  it('serves a letter’s package named by its number, and a batch’s with a folder per letter', async () => {
    const a = await issue('HTTP-EV-1');
    const b = await issue('HTTP-EV-2');
    const one = await s.call('GET', `/v1/letters/${a.id}/evidence`);
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toBe('application/zip');
    const disposition = one.headers.get('content-disposition')!;
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe(
      `证据-${fileNameOf(a.number)}.zip`,
    );
    const files = unzipSync(new Uint8Array(await one.arrayBuffer()));
    const n = fileNameOf(a.number);
    expect(Object.keys(files)).toContain(`${n}/${n}-证据目录.pdf`);

    const batch = await s.call('POST', '/v1/evidence', { body: { letters: [a.id, b.id] } });
    expect(batch.status).toBe(200);
    const both = Object.keys(unzipSync(new Uint8Array(await batch.arrayBuffer())));
    for (const l of [a, b]) expect(both).toContain(`${fileNameOf(l.number)}/${fileNameOf(l.number)}-证据目录.pdf`);
  }, 60_000);

  it('refuses too many letters (413), a malformed list (422) and an unknown letter (404), naming the field', async () => {
    const many = await s.call('POST', '/v1/evidence', {
      body: { letters: Array.from({ length: 51 }, (_, i) => `x${i}`) },
    });
    expect(many.status).toBe(413);
    expect(((await many.json()) as { code: string }).code).toBe('EVIDENCE_TOO_LARGE');
    const bad = await s.call('POST', '/v1/evidence', { body: { letters: 'all' } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('letters');
    const unknown = await s.call('POST', '/v1/evidence', { body: { letters: ['no-such-letter'] } });
    expect(unknown.status).toBe(404);
  });

  it('serves a finished batch’s letters as one package: GET /v1/batches/{id}/evidence', async () => {
    const rows = letterRows(3, 'EVB');
    const created = await s.call('POST', '/v1/batches', { raw: ndjson(rows), type: 'application/x-ndjson' });
    expect(created.status, await created.clone().text()).toBe(202);
    const { id } = (await created.json()) as { id: string };
    await untilFinished(() => s.call('GET', `/v1/batches/${id}`));
    const r = await s.call('GET', `/v1/batches/${id}/evidence`);
    expect(r.status, await r.clone().text()).toBe(200);
    const files = Object.keys(unzipSync(new Uint8Array(await r.arrayBuffer())));
    expect(files.filter((f) => f.endsWith('-证据目录.pdf'))).toHaveLength(3);
    expect(files).toContain('SHA256SUMS');
    expect((await s.call('GET', '/v1/batches/no-such-batch/evidence')).status).toBe(404);
  }, 120_000);
});
