/**
 * Issue 18 over HTTP: a creditor's own catalogue (HANJIAN_TEMPLATES) loaded at start — a broken
 * version logged with file and line, the rest served —, its draft previewed with the draft mark
 * and refused for issuing, released by its reviewer, then issued; the diff of the wording; and
 * another organisation that never sees or resolves any of it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { copyVersion } from '../fixtures/firm-catalog.js';
import { example, restated } from '../helpers.js';
import { readPdf } from '../pipeline/pdf/extract.js';
import { startTestServer, type TestServer } from './server-helper.js';

const OLD = '您的待还款项如下：';
const NEW = '您尚待归还的款项如下：';
const CREDITOR = '北京某某科技有限公司';
const keys: Record<string, string> = {};
let s: TestServer;
let root: string;

async function setUp(dir: string): Promise<void> {
  const reg = openRegistry({ db: join(dir, 'hanjian.db') });
  const a = await reg.orgs.addOrg({ kind: 'creditor', name: CREDITOR, creditCode: '91110108MA01ABCD2H' }, 'test');
  const b = await reg.orgs.addOrg(
    {
      kind: 'creditor',
      name: '深圳某某信息技术有限公司',
      creditCode: '9144030071526726XG',
    },
    'test',
  );
  const admin = await reg.orgs.addUser({ orgId: a.id, login: 'qian', name: '钱七', role: 'admin' }, 'test');
  keys.a = (await reg.orgs.addKey({ orgId: a.id, scopes: ['preview', 'read', 'issue:reminder'] }, 'test')).key;
  keys.admin = (await reg.orgs.addKey({ orgId: a.id, userId: admin.id, scopes: ['review', 'read'] }, 'test')).key;
  keys.b = (
    await reg.orgs.addKey({ orgId: b.id, scopes: ['preview', 'read', 'issue:reminder', 'review'] }, 'test')
  ).key;
  await reg.close();
}

/** The reminder@2 example, dated today, pinned to a template. */
function reminder(template: string): Record<string, unknown> {
  const x = example('reminder', 2);
  delete x.letterNo;
  // The amounts as of today, as its terms give them (issue 27).
  return { ...restated({ ...x, issueDate: todayInShanghai() }, todayInShanghai()), template };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hanjian-creditor-templates-'));
  copyVersion(root, 'reminder', 2, 3, { hbs: (t) => t.replace(OLD, NEW) });
  copyVersion(root, 'reminder', 2, 4, {
    hbs: (t) => t.replace('{{debtor.name}}{{debtor.salutation}}', '{{debtor.nmae}}{{debtor.salutation}}'),
  });
  s = await startTestServer({ templates: { [CREDITOR]: root } }, setUp);
}, 120_000);
afterAll(async () => {
  await s.close();
});

describe("a creditor's own templates over HTTP", () => {
  it('starts with the good version; the broken one is logged with file, line and problem', () => {
    const failed = s.logs.find((l) => l.msg && String(l.msg).startsWith('template version not loaded'));
    expect(failed).toMatchObject({
      level: 'error',
      version: 'reminder@4',
      file: join(root, 'reminder', '4', 'letter.hbs'),
      code: 'TEMPLATE_FIELD_MISSING',
    });
    expect(failed!.line).toBeGreaterThan(0);
    expect(String(failed!.msg)).toContain('debtor.nmae');
  });

  it("lists the caller's catalogue with origin and status; another organisation sees only the built-in versions", async () => {
    const mine = (await (await s.call('GET', '/v1/templates', { key: keys.a })).json()) as {
      id: string;
      origin: string;
      status: string;
    }[];
    expect(mine.find((t) => t.id === 'firm:reminder@3')).toMatchObject({ origin: 'firm', status: 'draft' });
    expect(mine.some((t) => t.id === 'firm:reminder@4')).toBe(false);
    const theirs = (await (await s.call('GET', '/v1/templates', { key: keys.b })).json()) as { origin: string }[];
    expect(theirs.every((t) => t.origin === 'built-in')).toBe(true);
    expect((await s.call('GET', '/v1/templates/firm:reminder/3', { key: keys.b })).status).toBe(404);
    expect((await s.call('GET', '/v1/templates/firm:reminder/3', { key: keys.a })).status).toBe(200);
  });

  it('a draft is previewed with the draft mark and refused for issuing (409 TEMPLATE_DRAFT); another organisation cannot resolve it', async () => {
    const preview = await s.call('POST', '/v1/previews', { key: keys.a, body: reminder('firm:reminder@3') });
    expect(preview.status).toBe(200);
    expect(preview.headers.get('x-template')).toBe('firm:reminder@3');
    const text = (await readPdf(Buffer.from(await preview.arrayBuffer()))).lines.map((l) => l.text).join('\n');
    expect(text).toContain('草稿模板');
    expect(text).toContain(NEW);
    const issue = await s.call('POST', '/v1/letters', {
      key: keys.a,
      body: reminder('firm:reminder@3'),
      headers: { 'idempotency-key': 'draft-1' },
    });
    expect(issue.status).toBe(409);
    expect(await issue.json()).toMatchObject({ code: 'TEMPLATE_DRAFT' });
    const other = await s.call('POST', '/v1/previews', {
      key: keys.b,
      body: {
        ...reminder('firm:reminder@3'),
        creditor: {
          ...(reminder('x').creditor as object),
          name: '深圳某某信息技术有限公司',
          creditCode: '9144030071526726XG',
        },
      },
    });
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: 'TEMPLATE_NOT_FOUND' });
  });

  it('shows the wording difference as rendered text', async () => {
    const r = await s.call('GET', `/v1/templates/diff?from=reminder@2&to=${encodeURIComponent('firm:reminder@3')}`, {
      key: keys.a,
    });
    expect(r.status).toBe(200);
    const d = (await r.json()) as { added: number; removed: number; lines: { op: string; text: string }[] };
    expect(d.lines.filter((l) => l.op !== ' ')).toEqual([
      { op: '-', text: expect.stringContaining(OLD) },
      { op: '+', text: expect.stringContaining(NEW) },
    ]);
    const bad = await s.call('GET', '/v1/templates/diff?from=../../etc/passwd&to=reminder@2', { key: keys.a });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ code: 'TEMPLATE_REF_FORMAT' });
  });

  it('only a key bound to its reviewer releases it; then it is issued with it', async () => {
    // Another organisation's key is no person of this one (403); its catalogue has no such version anyway.
    const refused = await s.call('POST', '/v1/templates/firm:reminder@3/release', { key: keys.b });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'TEMPLATE_RELEASE_FORBIDDEN' });
    const released = await s.call('POST', '/v1/templates/firm:reminder@3/release', { key: keys.admin });
    expect(released.status).toBe(200);
    expect(await released.json()).toMatchObject({
      id: 'firm:reminder@3',
      status: 'released',
      releasedBy: { login: 'qian' },
    });
    expect((await s.call('POST', '/v1/templates/firm:reminder@3/release', { key: keys.admin })).status).toBe(409);
    const issue = await s.call('POST', '/v1/letters', {
      key: keys.a,
      body: reminder('firm:reminder@3'),
      headers: { 'idempotency-key': 'released-1' },
    });
    expect(issue.status).toBe(201);
    const record = (await issue.json()) as { template: string; id: string };
    expect(record.template).toBe('firm:reminder@3');
    const pdf = await s.call('GET', `/v1/letters/${record.id}/pdf`, { key: keys.a });
    const text = (await readPdf(Buffer.from(await pdf.arrayBuffer()))).lines.map((l) => l.text).join('\n');
    expect(text).toContain(NEW);
    expect(text).not.toContain('草稿');
  });
});
