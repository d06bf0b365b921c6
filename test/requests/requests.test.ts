/**
 * The lawyer in the loop, end to end over HTTP: a creditor requests a lawyer's letter under an
 * engagement, only a lawyer assigned to it can approve it, the letter is issued in the firm's
 * register with that lawyer and the firm's seal, it can be voided, and nothing of it is
 * visible to another creditor. Plus the policy at request time, the audit chain and the
 * encryption of personal data at rest.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { addDays, todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { runCli } from '../cli/run.js';
import { example } from '../helpers.js';
import { startTestServer, type TestServer } from '../http/server-helper.js';
import { readPdf } from '../pipeline/pdf/extract.js';
import { ACTOR, addEngagedFirm, OTHER_CLIENT, requestedLetter } from '../support/world.js';

const today = todayInShanghai();
const year = Number(today.slice(0, 4));
const keys: Record<string, string> = {};
const ids: Record<string, string> = {};
let s: TestServer;

/** Organisations, lawyers, keys and an engagement, made with the same store the CLI uses, before the service starts. */
async function setUp(dir: string): Promise<void> {
  const reg = openRegistry({ db: join(dir, 'hanjian.db') });
  const o = reg.orgs;
  const w = await addEngagedFirm(reg, {
    today,
    daysAgo: 10,
    firm: { registerYear: year, registerNext: 128 },
    lawyer: { phone: '13900139000', password: 'correct horse battery' },
  });
  const [a, f, l1] = [w.client, w.firm, w.lawyer];
  const b = await o.addOrg(OTHER_CLIENT, ACTOR);
  const l2 = await o.addUser(
    {
      orgId: f.id,
      login: 'wangwu',
      name: '王五',
      role: 'lawyer',
      licenseNo: '11101201810654321',
    },
    'test',
  );
  Object.assign(ids, { a: a.id, b: b.id, f: f.id, l1: l1.id, l2: l2.id, eng: w.engagement.id });
  keys.a = (
    await o.addKey(
      {
        orgId: a.id,
        scopes: ['request', 'read', 'issue:reminder', 'issue:demand', 'issue:lawyer-letter'],
      },
      'test',
    )
  ).key;
  keys.aOverride = (await o.addKey({ orgId: a.id, scopes: ['request', 'read', 'override'] }, 'test')).key;
  keys.b = (
    await o.addKey({ orgId: b.id, scopes: ['request', 'read', 'void', 'review', 'issue:lawyer-letter'] }, 'test')
  ).key;
  keys.l1 = (await o.addKey({ orgId: f.id, userId: l1.id, scopes: ['review', 'read', 'void'] }, 'test')).key;
  keys.l2 = (await o.addKey({ orgId: f.id, userId: l2.id, scopes: ['review', 'read'] }, 'test')).key;
  await reg.close();
}

beforeAll(async () => {
  s = await startTestServer({}, setUp);
});
afterAll(async () => {
  await s.close();
});

/** What a creditor sends: the letter without the firm, the lawyers or a number (those come from the engagement and the review). */
function requested(contractNo: string, mutate: (x: Record<string, any>) => void = () => {}) {
  const x = requestedLetter(contractNo);
  // High risk (a lawyer's letter from day 11), after a delivered demand whose deadline passed; the registry does not know these contracts.
  x.history = {
    overdueCount12m: 2,
    lettersSent: [{ kind: 'demand', date: addDays(today, -9), deadline: addDays(today, -2), delivery: 'delivered' }],
  };
  mutate(x);
  return x;
}
const post = (path: string, key: string, body?: unknown) =>
  s.call('POST', path, { key, body: body ?? {}, headers: { 'idempotency-key': `${path}-${Math.random()}` } });
const get = (path: string, key: string) => s.call('GET', path, { key });

describe("a lawyer's letter goes out only after its lawyer approves it", () => {
  let requestId = '';
  let letter: { id: string; number: string; verifyCode: string; pdfSha256: string } = {
    id: '',
    number: '',
    verifyCode: '',
    pdfSha256: '',
  };

  it('a creditor requests it under the engagement: 202 pending review', async () => {
    const r = await post('/v1/letter-requests', keys.a!, { engagement: ids.eng, letter: requested('BT2025-000123') });
    expect(r.status).toBe(202);
    const body = (await r.json()) as { id: string; status: string; debtor: string };
    expect(body).toMatchObject({ status: 'pending_review', debtor: '张*' });
    requestId = body.id;
  });

  it("the creditor cannot approve it, nor issue a lawyer's letter directly (403)", async () => {
    expect((await post(`/v1/letter-requests/${requestId}/approve`, keys.a!)).status).toBe(403);
    const direct = requested('BT2025-000999');
    Object.assign(direct, { lawFirm: example('lawyer-letter').lawFirm, lawyers: example('lawyer-letter').lawyers });
    const r = await post('/v1/letters', keys.a!, direct);
    expect(r.status).toBe(403);
    expect(((await r.json()) as { code: string }).code).toBe('REVIEW_REQUIRED');
  });

  it('a lawyer of the firm who is not on the engagement cannot approve it (403)', async () => {
    const r = await post(`/v1/letter-requests/${requestId}/approve`, keys.l2!);
    expect(r.status).toBe(403);
    expect(((await r.json()) as { code: string }).code).toBe('NOT_ASSIGNED');
  });

  it("the assigned lawyer approves: issued with that lawyer, the firm's next register number and its seal", async () => {
    const r = await post(`/v1/letter-requests/${requestId}/approve`, keys.l1!);
    expect(r.status).toBe(201);
    letter = (await r.json()) as typeof letter;
    expect(letter.number).toBe(`（${year}）京某律函字第0128号`);
    const pdf = await get(`/v1/letters/${letter.id}/pdf`, keys.l1!);
    const text = (await readPdf(Buffer.from(await pdf.arrayBuffer()))).lines.map((l) => l.text).join('\n');
    expect(text).toContain('李四');
    expect(text).not.toContain('王五');
    expect(text).toContain(letter.number);
    // The seal drawn is the firm's configured seal (not the specimen), recorded by its sha256.
    const sealFile = JSON.parse(readFileSync(join(s.dir, 'seals.json'), 'utf8')).北京某某律师事务所;
    const sealSha = createHash('sha256')
      .update(readFileSync(join(s.dir, sealFile)))
      .digest('hex');
    const db = new Database(join(s.dir, 'hanjian.db'), { readonly: true });
    expect(db.prepare('SELECT seal_sha256 FROM letters WHERE id = ?').pluck().get(letter.id)).toBe(sealSha);
    db.close();
    const q = (await (await get(`/v1/letter-requests/${requestId}`, keys.a!)).json()) as {
      status: string;
      letter: { number: string };
    };
    expect(q).toMatchObject({ status: 'issued', letter: { number: letter.number } });
    expect((await post(`/v1/letter-requests/${requestId}/approve`, keys.l1!)).status).toBe(409); // decided once
  });

  it('another creditor can neither see, fetch nor void any of it (404, so existence does not leak)', async () => {
    for (const path of [`/v1/letters/${letter.id}`, `/v1/letters/${letter.id}/pdf`, `/v1/letter-requests/${requestId}`])
      expect((await get(path, keys.b!)).status, path).toBe(404);
    expect((await post(`/v1/letters/${letter.id}/void`, keys.b!, { reason: '试图作废' })).status).toBe(404);
    expect((await post(`/v1/letter-requests/${requestId}/approve`, keys.b!)).status).toBe(404);
    const list = (await (await get('/v1/letters', keys.b!)).json()) as { letters: unknown[] };
    expect(list.letters).toEqual([]);
    // The creditor it was issued for sees it; only the issuing firm may void it.
    expect((await get(`/v1/letters/${letter.id}`, keys.a!)).status).toBe(200);
    expect(
      (
        (await (await get('/v1/letters?contractNo=BT2025-000123', keys.a!)).json()) as { letters: { id: string }[] }
      ).letters.map((l) => l.id),
    ).toEqual([letter.id]);
  });

  it('voided by the firm: verification says void, on the page too', async () => {
    const r = await post(`/v1/letters/${letter.id}/void`, keys.l1!, { reason: '债务人已于发函前结清' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'void', voidedOn: today });
    const q = `/v1/verify?number=${encodeURIComponent(letter.number)}&code=${letter.verifyCode}`;
    expect(await (await s.call('GET', q, { key: null })).json()).toEqual({
      valid: false,
      status: 'void',
      voidedOn: today,
    });
    const page = await (await s.call('GET', q, { key: null, headers: { accept: 'text/html' } })).text();
    expect(page).toContain('已于');
    expect(page).toContain('作废');
    expect((await post(`/v1/letters/${letter.id}/void`, keys.l1!, { reason: '再次作废' })).status).toBe(409);
  });
});

describe('the escalation policy at request time', () => {
  const early = () =>
    requested('BT2025-000777', (x) => {
      x.account.dueDate = addDays(today, -3);
      x.history = { overdueCount12m: 0 };
      x.debt.overdueInterest = '18.00';
      delete x.debt.total;
    });

  it("refuses a lawyer's letter on day 3 for a clean account, with the policy's reasons", async () => {
    const r = await post('/v1/letter-requests', keys.a!, { engagement: ids.eng, letter: early() });
    expect(r.status).toBe(422);
    const p = (await r.json()) as { code: string; issues: { message: string }[] };
    expect(p.code).toBe('POLICY_NOT_YET');
    expect(p.issues.length).toBeGreaterThan(0);
  });

  it('accepts it with an override from a key allowed to override, and the reason goes to the audit trail', async () => {
    const reason = '债务人明确表示拒绝还款，经法务主管批准';
    expect(
      (await post('/v1/letter-requests', keys.a!, { engagement: ids.eng, letter: early(), override: { reason } }))
        .status,
    ).toBe(403);
    const r = await post('/v1/letter-requests', keys.aOverride!, {
      engagement: ids.eng,
      letter: early(),
      override: { reason },
    });
    expect(r.status).toBe(202);
    const body = (await r.json()) as { id: string; override: { reason: string } };
    expect(body.override.reason).toBe(reason); // shown to the reviewer
    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    const rows = await reg.audit.rows({ subject: body.id });
    await reg.close();
    expect(rows.map((x) => x.action)).toEqual(['request.add', 'request.override']);
    expect(JSON.parse(rows[1]!.details).reason).toBe(reason);
  });
});

describe('the registry keeps its own record honest', () => {
  it('the audit chain: intact, then one flipped byte in an old row is found by `hanjian registry audit`', async () => {
    const db = join(s.dir, 'hanjian.db');
    const ok = await runCli(['registry', 'audit', '--db', db, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).rows).toBeGreaterThanOrEqual(4); // request, issue, approve, void, request, override
    const raw = new Database(db);
    const row = raw.prepare('SELECT seq, details FROM audit WHERE seq = 2').get() as { seq: number; details: string };
    const flipped = Buffer.from(row.details);
    flipped[flipped.length - 2] = flipped[flipped.length - 2]! ^ 1;
    raw.prepare('UPDATE audit SET details = ? WHERE seq = 2').run(flipped.toString());
    raw.close();
    const bad = await runCli(['registry', 'audit', '--db', db, '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).broken.seq).toBe(2);
  });

  it('the database holds no ID number, phone or address in clear', () => {
    const x = example('lawyer-letter');
    const files = readdirSync(s.dir).filter((f) => f.startsWith('hanjian.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(join(s.dir, f));
      for (const secret of [x.debtor.idNumber, x.debtor.phone, x.debtor.address])
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${f}`).toBe(false);
    }
  });
});

describe('a plan that costs interest, at request time', () => {
  it('a version that says plans cost nothing is refused before review when the settings charge interest (422 naming letter.template); version 4 is accepted', async () => {
    const reg = openRegistry({ db: join(s.dir, 'hanjian.db') });
    await reg.stores.plans.saveSettings({
      orgId: ids.a!,
      terms: [3, 6],
      firstDueDays: 20,
      minInstalment: 0,
      graceDays: 10,
      interest: 'continues',
      annualRateBp: 800,
      updatedAt: new Date().toISOString(),
      updatedBy: 'test',
    });
    await reg.close();
    const pinned = (template: string) =>
      requested(`BT-PLAN-${template.slice(-1)}`, (x) => {
        x.template = template;
        x.delivery = 'ems';
        if (x.relief) delete x.relief.note;
      });
    const v3 = await post('/v1/letter-requests', keys.a!, { engagement: ids.eng, letter: pinned('lawyer-letter@3') });
    expect(v3.status).toBe(422);
    const p = (await v3.json()) as { code: string; issues: { path: string }[] };
    expect(p).toMatchObject({ code: 'FROM_REGISTRY', issues: [{ path: 'letter.template' }] });
    const v4 = await post('/v1/letter-requests', keys.a!, { engagement: ids.eng, letter: pinned('lawyer-letter@4') });
    expect(v4.status, await v4.clone().text()).toBe(202);
  });
});
