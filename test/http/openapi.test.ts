import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientTypes } from '../../scripts/generate-client.mjs';
import { openRegistry } from '../../src/app/library.js';
import { openApiDocument } from '../../src/http/openapi.js';
import { validateLetter } from '../../src/index.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { example, ROOT, templateIdsOnDisk, variant } from '../helpers.js';
import { addEngagedFirm } from '../support/world.js';
import { createClient, type Exchange } from './client/client.js';
import { runFlow, runReviewFlow } from './client/flow.js';
import { responseChecker } from './openapi-helpers.js';
import { startTestServer, type TestServer } from './server-helper.js';

const CLIENT_DIR = join(ROOT, 'test', 'http', 'client');
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // Asia/Shanghai, no DST
type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  requestBody?: {
    content: {
      'application/json': { schema: { $ref: string }; examples: Record<string, { value: Record<string, any> }> };
    };
  };
};
type Doc = Parameters<typeof responseChecker>[0] & {
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
};

/** A creditor, its law firm with a lawyer, an engagement between them, and their keys (stored, as `hanjian keys add` makes them). */
const org = { keys: {} as Record<'creditor' | 'lawyer' | 'creditorIssues', string>, engagement: '' };
async function setUpOrganisations(dir: string): Promise<void> {
  const reg = openRegistry({ db: join(dir, 'hanjian.db') });
  const o = reg.orgs;
  const today = todayInShanghai();
  // The example letters' creditor (the same credit code) and its firm, engaged for every product.
  const {
    client: creditor,
    firm,
    lawyer,
    engagement,
  } = await addEngagedFirm(reg, {
    today,
    daysAgo: 10,
    products: null,
  });
  org.engagement = engagement.id;
  org.keys.creditor = (await o.addKey({ orgId: creditor.id, scopes: ['request', 'read', 'override'] }, 'test')).key;
  org.keys.lawyer = (
    await o.addKey({ orgId: firm.id, userId: lawyer.id, scopes: ['review', 'read', 'void'] }, 'test')
  ).key;
  // The creditor's own system: a registered creditor's letters are issued with its key (the keyless key is refused, SENDER_REGISTERED).
  org.keys.creditorIssues = (
    await o.addKey(
      {
        orgId: creditor.id,
        scopes: ['preview', 'read', 'request', 'issue:reminder', 'issue:demand', 'issue:lawyer-letter', 'void'],
      },
      'test',
    )
  ).key;
  await reg.close();
}

let s: TestServer;
let doc: Doc;
beforeAll(async () => {
  // The client-compiling test blocks this process (server and client alike) for seconds; a long keep-alive keeps the
  // server from closing a pooled socket just as the next test reuses it (ECONNRESET on a POST, which fetch does not retry).
  s = await startTestServer({ publicBaseUrl: 'https://letters.example.test/hanjian' }, setUpOrganisations);
  doc = (await (await s.call('GET', '/openapi.json', { key: null })).json()) as Doc;
});
afterAll(async () => {
  await s.close();
});

describe('the OpenAPI document', () => {
  it('passes redocly lint (recommended rules) with 0 errors and 0 warnings, with and without a public base URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-oas-'));
    writeFileSync(join(dir, 'served.json'), JSON.stringify(doc));
    writeFileSync(join(dir, 'default.json'), JSON.stringify(openApiDocument({})));
    for (const file of ['served.json', 'default.json']) {
      const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'redocly'), ['lint', join(dir, file), '--format=json'], {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as {
        totals: { errors: number; warnings: number };
        problems: { message: string }[];
      };
      expect(
        report.problems.map((p) => p.message),
        file,
      ).toEqual([]);
      expect(report.totals, file).toMatchObject({ errors: 0, warnings: 0 });
    }
  });

  it('names the server from HANJIAN_PUBLIC_BASE_URL, an operationId and a security requirement for every operation', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'https://letters.example.test/hanjian' })]);
    const ops = Object.values(doc.paths).flatMap((m) => Object.values(m));
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    expect(ops.every((o) => Array.isArray(o.security))).toBe(true);
    const scopes = (id: string) =>
      [...new Set(ops.find((o) => o.operationId === id)!.security!.flatMap((r) => Object.values(r).flat()))].sort();
    expect(scopes('previewLetter')).toEqual(['preview']);
    expect(scopes('issueLetter')).toEqual(['issue:demand', 'issue:reminder']); // a lawyer's letter only through review
    expect(scopes('getLetter')).toEqual(['read']);
    expect(scopes('listLetters')).toEqual(['read']);
    expect(scopes('voidLetter')).toEqual(['void']);
    expect(scopes('requestLetter')).toEqual(['request']);
    expect(scopes('listLetterRequests')).toEqual(['read']);
    expect(scopes('getLetterRequest')).toEqual(['read']);
    expect(scopes('approveLetterRequest')).toEqual(['review']);
    expect(scopes('rejectLetterRequest')).toEqual(['review']);
    expect(scopes('verifyLetter')).toEqual([]);
  });

  it('documents every route the service mounts, and the service serves every documented operation', async () => {
    const mounted = new Set<string>();
    const dir = join(ROOT, 'src', 'http');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/\bapp\.(get|post|put|patch|delete)\(\s*'([^']+)'/g))
        mounted.add(`${m[1]} ${m[2]!.replace(/:(\w+)/g, '{$1}')}`);
    }
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`)),
    );
    expect(mounted.size).toBeGreaterThan(15);
    expect([...mounted].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !mounted.has(r))).toEqual([]);
    // And the running service agrees: OPTIONS on each documented path allows its documented methods.
    for (const [path, methods] of Object.entries(doc.paths)) {
      const r = await s.call('OPTIONS', path.replace(/\{[^}]+\}/g, 'x1'), { key: null });
      for (const m of Object.keys(methods)) expect(r.headers.get('allow'), `${m} ${path}`).toContain(m.toUpperCase());
    }
  });

  it('names, per operation, the problem codes its route raises', () => {
    const codes = (id: string) => {
      const op = Object.values(doc.paths)
        .flatMap((m) => Object.values(m))
        .find((o) => o.operationId === id) as unknown as { responses: Record<string, { description: string }> };
      return Object.fromEntries(
        Object.entries(op.responses)
          .filter(([st]) => Number(st) >= 400)
          .map(([st, r]) => [st, /Codes: (.*)$/.exec(r.description)?.[1]?.split(', ') ?? []]),
      );
    };
    expect(codes('approveLetterRequest')['403']).toEqual(expect.arrayContaining(['FORBIDDEN', 'NOT_ASSIGNED']));
    expect(codes('approveLetterRequest')['403']).not.toContain('REVIEW_REQUIRED');
    expect(codes('approveLetterRequest')['409']).toEqual(
      expect.arrayContaining(['REQUEST_NOT_PENDING', 'SEAL_REQUIRED', 'ALREADY_ISSUED']),
    );
    expect(codes('requestLetter')['422']).toEqual(
      expect.arrayContaining(['POLICY_NOT_YET', 'NOT_ALLOWED', 'ENGAGEMENT_NOT_IN_FORCE', 'INPUT_TOO_DEEP']),
    );
    expect(codes('requestLetter')['404']).toEqual(['ENGAGEMENT_NOT_FOUND', 'TEMPLATE_NOT_FOUND']);
    expect(codes('voidLetter')['409']).toEqual(['ALREADY_VOID']);
    expect(codes('getLetterRequest')['404']).toEqual(['REQUEST_NOT_FOUND']);
    expect(codes('issueLetter')['403']).toContain('REVIEW_REQUIRED');
  });

  it('states what each kind requires and that issuing refuses letterNo, as the validator does', () => {
    const { validator } = responseChecker(doc);
    const letter = validator('LetterInput');
    const issuing = validator('LetterIssueInput');
    const requesting = validator('LetterRequestBody');
    for (const version of [1, 2]) {
      for (const kind of ['reminder', 'demand', 'lawyer-letter'] as const) {
        const x = example(kind, version);
        expect(letter(x), `${kind}@${version}: ${JSON.stringify(letter.errors)}`).toBe(true);
        expect(validateLetter(x, { today: x.issueDate }).ok).toBe(true);
        const { letterNo: _, ...unnumbered } = x;
        // A lawyer's letter is never issued directly: only through a request and its approval.
        expect(issuing(unnumbered), `${kind}@${version}`).toBe(kind !== 'lawyer-letter');
        if (x.letterNo) expect(issuing(x)).toBe(false);
      }
      // What a creditor requests: without the firm, the lawyers, the number or the engagement (the records supply them).
      const { lawFirm, lawyers, letterNo, engagement: _e, ...asked } = example('lawyer-letter', version);
      expect(requesting({ engagement: 'e1', letter: asked }), JSON.stringify(requesting.errors)).toBe(true);
      for (const sent of [{ lawFirm }, { lawyers }, { letterNo }, { engagement: { date: '2026-11-01' } }])
        expect(requesting({ engagement: 'e1', letter: { ...asked, ...sent } }), Object.keys(sent)[0]).toBe(false);
      expect(requesting({ engagement: 'e1', letter: asked, extra: 1 })).toBe(false);
    }
    // What the validator requires or refuses per kind, the document does too.
    const cases: [string, (x: Record<string, any>) => void][] = [
      [
        'lawyer-letter',
        (x) => {
          delete x.lawFirm;
        },
      ],
      [
        'lawyer-letter',
        (x) => {
          delete x.lawyers;
        },
      ],
      [
        'lawyer-letter',
        (x) => {
          delete x.demand;
        },
      ],
      [
        'demand',
        (x) => {
          delete x.demand;
        },
      ],
      [
        'reminder',
        (x) => {
          x.lawFirm = example('lawyer-letter').lawFirm;
        },
      ],
      [
        'demand',
        (x) => {
          x.lawyers = example('lawyer-letter').lawyers;
        },
      ],
    ];
    for (const [kind, mutate] of cases) {
      const bad = variant(example(kind as 'reminder'), mutate);
      expect(letter(bad), `${kind} ${mutate}`).toBe(false);
      expect(validateLetter(bad, { today: bad.issueDate }).ok, `${kind} ${mutate}`).toBe(false);
    }
    // A reminder may carry a demand; the document must not refuse what the validator accepts.
    const reminder = variant(example('reminder'), (x) => {
      x.demand = { days: 7 };
    });
    expect(validateLetter(reminder, { today: reminder.issueDate }).ok).toBe(true);
    expect(letter(reminder)).toBe(true);
  });

  it('has request examples taken from the templates, version 2 included, each valid against its operation', () => {
    const { validator } = responseChecker(doc);
    const body = (path: string, method = 'post') => doc.paths[path]![method]!.requestBody!.content['application/json'];
    const all = templateIdsOnDisk();
    expect(Object.keys(body('/v1/previews').examples).sort()).toEqual(all);
    expect(Object.keys(body('/v1/letters').examples).sort()).toEqual(templateIdsOnDisk(['demand', 'reminder']));
    expect(Object.keys(body('/v1/letter-requests').examples).sort()).toEqual(templateIdsOnDisk(['lawyer-letter']));
    expect(body('/v1/previews').examples['lawyer-letter@2']!.value).toEqual(example('lawyer-letter', 2));
    const { letterNo: _, ...demand } = example('demand', 2);
    expect(body('/v1/letters').examples['demand@2']!.value).toEqual(demand);
    for (const [path, method] of [
      ['/v1/previews', 'post'],
      ['/v1/validate', 'post'],
      ['/v1/recommendations', 'post'],
      ['/v1/letters', 'post'],
      ['/v1/letter-requests', 'post'],
      ['/v1/letter-requests/{id}/reject', 'post'],
      ['/v1/letters/{id}/void', 'post'],
    ] as const) {
      const { schema, examples } = body(path, method);
      const valid = validator(schema.$ref.split('/').pop()!);
      for (const [name, { value }] of Object.entries(examples))
        expect(valid(value), `${path} ${name}: ${JSON.stringify(valid.errors)}`).toBe(true);
    }
  });
});

describe('a typed client generated with openapi-typescript', () => {
  it('is generated from what GET /openapi.json serves, the same types npm run typecheck compiled the client against', async () => {
    const generated = await clientTypes(doc);
    // scripts/generate-client.mjs wrote them from the built document before the typecheck.
    const written = join(CLIENT_DIR, 'api.d.ts');
    expect(existsSync(written), 'test/http/client/api.d.ts is missing: run npm run typecheck (npm test does)').toBe(
      true,
    );
    expect(generated, 'the served document differs from the built one: run npm run typecheck').toBe(
      readFileSync(written, 'utf8'),
    );

    // npm run typecheck compiled the client (tsconfig.json includes test/) against that file, so it compiles
    // against what the service serves: compiling it again here would prove nothing more.
  });

  it('runs preview → issue → fetch → verify against the service; every JSON answer matches the document; money is yuan strings', async () => {
    const { check } = responseChecker(doc);
    const exchanges: Exchange[] = [];
    const client = createClient(s.url, org.keys.creditorIssues, (e) => exchanges.push(e));
    const { letterNo, ...demand } = example('demand');
    // Dated today; the amounts stay as of the example's own day, where they follow from its terms (issue 27).
    const input = { ...demand, issueDate: today() } as Parameters<typeof runFlow>[1];
    const r = await runFlow(client, input, 'typed-client-1', letterNo);

    expect(Buffer.from(r.draft).subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.summary).toMatchObject({ ok: true, kind: 'demand', total: '8419.50', totalFen: 841950 });
    expect(r.first.created).toBe(true);
    expect(r.retry).toMatchObject({ created: false, letter: { id: r.first.letter.id, replayed: true } });
    expect(r.first.letter).toMatchObject({
      total: '8419.50',
      totalFen: 841950,
      pdf: `/v1/letters/${r.first.letter.id}/pdf`,
      status: 'issued',
      voidedOn: null,
      requestId: null,
      contractNo: demand.account.contractNo,
    });
    expect(r.record.number).toBe(r.first.letter.number);
    expect(Buffer.from(r.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.verified).toMatchObject({ valid: true, total: '8419.50', pdfSha256: r.first.letter.pdfSha256 });
    expect(r.forged).toEqual({ valid: false });
    expect(r.recommendation).toMatchObject({ total: '8419.50', totalFen: 841950 });
    expect(r.templates.map((t) => t.id)).toEqual(expect.arrayContaining(['demand@1', 'demand@2', 'lawyer-letter@2']));
    expect(r.template.manifest.kind).toBe('demand');
    expect(r.refused).toMatchObject({ status: 422, problem: { code: 'LETTER_NO_NOT_ALLOWED' } });

    // Some answers that are problems, so their documented form is checked too.
    const bad = createClient(s.url, 'not-a-key-0123456789', (e) => exchanges.push(e));
    await expect(bad.listTemplates()).rejects.toMatchObject({ status: 401 });
    await expect(client.getLetter('no-such-id')).rejects.toMatchObject({
      status: 404,
      problem: { code: 'LETTER_NOT_FOUND' },
    });
    await expect(client.validateLetter({ ...input, debt: { principal: '12.345' } })).rejects.toMatchObject({
      status: 422,
      problem: { code: 'INVALID_INPUT' },
    });
    await expect(
      client.issueLetter({ ...input, debtor: { ...input.debtor, name: '王五' } }, 'typed-client-1'),
    ).rejects.toMatchObject({ status: 409 });
    const { letterNo: _ln, ...lawyerLetter } = {
      ...example('lawyer-letter'),
      issueDate: today(),
      asOf: today(),
    } as Record<string, unknown>;
    await expect(client.issueLetter(lawyerLetter as never, 'typed-client-lawyer')).rejects.toMatchObject({
      status: 403,
      problem: { code: 'REVIEW_REQUIRED' },
    });
    await expect(client.listLetters({ from: '2026-13' as never })).rejects.toMatchObject({
      status: 422,
      problem: { code: 'INVALID_INPUT', issues: [{ path: 'from' }] },
    });
    await expect(client.listLetters({ limit: 0 })).rejects.toMatchObject({
      status: 422,
      problem: { code: 'INVALID_INPUT', issues: [{ path: 'limit' }] },
    });
    await expect(client.listLetterRequests('pending' as never)).rejects.toMatchObject({
      status: 422,
      problem: { issues: [{ path: 'status' }] },
    });
    await expect(client.voidLetter(r.first.letter.id, { reason: '' })).rejects.toMatchObject({
      status: 422,
      problem: { code: 'INVALID_INPUT' },
    }); // a void needs a reason

    const json = exchanges.filter((e) => e.contentType.includes('json'));
    expect(json.length).toBeGreaterThanOrEqual(18);
    for (const e of json)
      expect(check(e.operation, e.status, e.contentType, e.body), `${e.operation} ${e.status}`).toEqual([]);
  });

  it("runs request → approve → list → void → verify, and request → reject, for a lawyer's letter; every JSON answer matches the document", async () => {
    const { check } = responseChecker(doc);
    const exchanges: Exchange[] = [];
    const creditor = createClient(s.url, org.keys.creditor, (e) => exchanges.push(e));
    const lawyer = createClient(s.url, org.keys.lawyer, (e) => exchanges.push(e));
    // The amounts as of the example's own day, where they follow from its terms (issue 27).
    const { lawFirm: _f, lawyers: _l, letterNo: _n, issueDate: _d, ...letter } = example('lawyer-letter');
    letter.account.contractNo = 'BT2025-REVIEW-1';
    const r = await runReviewFlow(
      creditor,
      lawyer,
      org.engagement,
      letter as Parameters<typeof runReviewFlow>[3],
      'typed-review-1',
    );

    expect(r.requested).toMatchObject({
      status: 'pending_review',
      kind: 'lawyer-letter',
      engagement: org.engagement,
      contractNo: 'BT2025-REVIEW-1',
      debtor: '张*',
      total: '12426.00',
      decision: null,
      letter: null,
    });
    expect(r.again.id).toBe(r.requested.id);
    expect(r.pending.requests.map((q) => q.id)).toContain(r.requested.id);
    expect(r.issued).toMatchObject({
      kind: 'lawyer-letter',
      sender: '北京某某律师事务所',
      status: 'issued',
      requestId: r.requested.id,
      contractNo: 'BT2025-REVIEW-1',
      total: '12426.00',
    });
    expect(r.decided).toMatchObject({
      status: 'issued',
      decision: { reason: null },
      letter: { id: r.issued.id, number: r.issued.number, pdf: `/v1/letters/${r.issued.id}/pdf` },
    });
    expect(r.page).toMatchObject({ letters: [{ id: r.issued.id }], next: null });
    expect(r.voided).toMatchObject({
      id: r.issued.id,
      status: 'void',
      voidedOn: today(),
      voidReason: '债务人已于发函前结清欠款',
    });
    expect(r.verified).toEqual({ valid: false, status: 'void', voidedOn: today() });
    expect(r.voidedOn).toBe(today());
    expect(r.voidedOnly.letters.map((l) => l.id)).toEqual([r.issued.id]);
    expect(r.rejected).toMatchObject({
      status: 'rejected',
      decision: { reason: '欠款金额与对账单不符，请核对后重新提交' },
      letter: null,
    });

    // The review's problems, in their documented form.
    await expect(lawyer.approveLetterRequest(r.requested.id)).rejects.toMatchObject({
      status: 409,
      problem: { code: 'REQUEST_NOT_PENDING' },
    });
    await expect(creditor.approveLetterRequest(r.rejected.id)).rejects.toMatchObject({ status: 403 });
    await expect(lawyer.getLetterRequest('no-such-request')).rejects.toMatchObject({
      status: 404,
      problem: { code: 'REQUEST_NOT_FOUND' },
    });
    await expect(lawyer.voidLetter(r.issued.id, { reason: '再次作废' })).rejects.toMatchObject({
      status: 409,
      problem: { code: 'ALREADY_VOID' },
    });
    await expect(
      creditor.requestLetter({
        engagement: org.engagement,
        letter: { ...letter, lawFirm: example('lawyer-letter').lawFirm } as never,
      }),
    ).rejects.toMatchObject({ status: 422, problem: { code: 'NOT_ALLOWED' } });
    await expect(
      creditor.requestLetter({ engagement: 'no-such-engagement', letter: letter as never }),
    ).rejects.toMatchObject({ status: 404, problem: { code: 'ENGAGEMENT_NOT_FOUND' } });
    await expect(lawyer.rejectLetterRequest(r.rejected.id, { reason: 'x' })).rejects.toMatchObject({ status: 409 });
    await expect(
      creditor.requestLetter({ engagement: org.engagement, letter: letter as never }, 'k'.repeat(201)),
    ).rejects.toMatchObject({
      status: 422,
      problem: { code: 'IDEMPOTENCY_KEY_INVALID', issues: [{ path: 'Idempotency-Key' }] },
    });

    const json = exchanges.filter((e) => e.contentType.includes('json'));
    expect(json.length).toBeGreaterThanOrEqual(18);
    for (const e of json)
      expect(check(e.operation, e.status, e.contentType, e.body), `${e.operation} ${e.status}`).toEqual([]);
  });
});
