/**
 * Issue 32, high 1 and low 8, against a running service: a 2–4 KB sheet of 100,000 unclosed
 * rows froze every organisation for 26 s, and a cell with &#x110000; was a 500. The file is now
 * read in a worker thread within a time and memory budget, by a reader that is linear in the
 * file, and each answer is a 4xx naming the part or the cell while /healthz goes on answering.
 */
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { DEFAULT_LIMITS, readSheetInWorker } from '../../src/imports/index.js';
import { HanjianError } from '../../src/shared/errors.js';
import { example } from '../helpers.js';
import { sheetWithCell, unclosedRows } from '../imports/hostile-sheets.js';
import { ACTOR } from '../support/world.js';
import { startTestServer, type TestServer } from './server-helper.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CHANNEL = `kind=reminder&accountNo=0200001234567890123&bank=${encodeURIComponent('中国工商银行北京某某支行')}`;
const ex = example('reminder');

/**
 * A sheet that keeps its reader busy for a while (0.5–2 s here) and is then refused: `n` tiny
 * elements in an extension list and a root left open. It zips to a few dozen KB.
 */
const slowToRead = (n: number) =>
  zipSync(
    { 'xl/worksheets/sheet1.xml': strToU8(`<worksheet><extLst>${'<x a="1"/>'.repeat(n)}</extLst>`) },
    { level: 9 },
  );

let s: TestServer;
let key = '';
beforeAll(async () => {
  s = await startTestServer({ production: false }, async (dir) => {
    const reg = openRegistry({ db: `${dir}/hanjian.db` });
    const org = await reg.orgs.addOrg(
      {
        kind: 'creditor',
        name: ex.creditor.name,
        creditCode: ex.creditor.creditCode,
        address: ex.creditor.address,
        phone: ex.creditor.phone,
      },
      ACTOR,
    );
    key = (await reg.orgs.addKey({ orgId: org.id, scopes: ['read', 'issue:reminder'] }, ACTOR)).key;
    await reg.close();
  });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const upload = (bytes: Uint8Array) => s.call('POST', `/v1/batches?${CHANNEL}`, { raw: bytes, type: XLSX, key });

describe('hostile uploads to POST /v1/batches', () => {
  it('100,000 unclosed rows: 422 XLSX_UNREADABLE naming the part and the row, at once', async () => {
    const r = await upload(unclosedRows());
    expect(r.status).toBe(422);
    const p = (await r.json()) as { code: string; detail: string };
    expect(p.code).toBe('XLSX_UNREADABLE');
    expect(p.detail).toContain('xl/worksheets/sheet1.xml 第 1 行：第 1 行的 <row> 没有闭合');
  });

  it('a cell with &#x110000; (or &#0;) is a 422 naming the cell, never a 500', async () => {
    for (const ref of ['&#x110000;', '&#0;']) {
      const r = await upload(sheetWithCell(`张三${ref}`, 'B2'));
      expect(r.status, ref).toBe(422);
      const p = (await r.json()) as { code: string; detail: string };
      expect(p.code).toBe('XLSX_UNREADABLE');
      expect(p.detail).toContain(`单元格 B2 含有无效的字符引用“${ref}”`);
    }
  });

  it('/healthz is answered while a file is being read: the reading happens off the event loop', async () => {
    // An ordering, not a timing: the upload is sent first and takes its worker most of a second;
    // /healthz, sent right after, must come back before the upload's answer. When the file was read
    // on the main thread, /healthz waited behind it (26 s for the audit's file) and came back after.
    const order: string[] = [];
    const uploading = upload(slowToRead(600_000)).then(async (r) => {
      order.push('upload');
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    const health = await s.call('GET', '/healthz', { key: null });
    order.push('healthz');
    expect(health.status).toBe(200);
    const r = await uploading;
    expect(order).toEqual(['healthz', 'upload']);
    expect(r.status).toBe(422);
    expect(((await r.json()) as { detail: string }).detail).toContain('<worksheet> 没有闭合');
  });
});

describe('the reading budget', () => {
  it('a file that takes longer than its time is stopped and refused (422 XLSX_TOO_COMPLEX), not waited for', async () => {
    const e = await readSheetInWorker(slowToRead(2_000_000), DEFAULT_LIMITS, {
      timeMs: 100,
      concurrent: 2,
      waiting: 2,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HanjianError);
    expect(e).toMatchObject({ code: 'XLSX_TOO_COMPLEX', category: 'invalid_input', path: 'file' });
  });

  it('a worker that runs out of memory is a 422, and the service goes on', async () => {
    // 150,000 shared strings of 200 characters each: 30 MB to keep, against a heap of 8 MB.
    const many = zipSync(
      {
        'xl/worksheets/sheet1.xml': strToU8('<worksheet/>'),
        'xl/sharedStrings.xml': strToU8(`<sst>${`<si><t>${'x'.repeat(200)}</t></si>`.repeat(150_000)}</sst>`),
      },
      { level: 9 },
    );
    const e = await readSheetInWorker(many, DEFAULT_LIMITS, {
      timeMs: 30_000,
      heapMb: 8,
      concurrent: 2,
      waiting: 2,
    }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'XLSX_TOO_COMPLEX' });
  });

  it('past the files read at once and those waiting, a file is refused at once with 503 QUEUE_FULL', async () => {
    const budget = { timeMs: 30_000, concurrent: 1, waiting: 1 };
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => readSheetInWorker(slowToRead(200_000), DEFAULT_LIMITS, budget)),
    );
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as HanjianError).code : 'read'));
    // The first two are read in turn (and refused for their open root); the third finds no room.
    expect(codes).toEqual(['XLSX_UNREADABLE', 'XLSX_UNREADABLE', 'QUEUE_FULL']);
  });

  it('reads a good sheet in its worker exactly as on the main thread', async () => {
    const sheet = await readSheetInWorker(sheetWithCell('张三', 'A2'));
    expect(sheet.format).toBe('xlsx');
    expect(sheet.rows).toEqual([{ rowNo: 2, cells: ['张三'] }]);
  });
});
