import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/openapi.js';
import { validateLetter } from '../../src/index.js';
import { example, ROOT, variant } from '../helpers.js';
import { createClient, type Exchange } from './client/client.js';
import { runFlow } from './client/flow.js';
import { responseChecker } from './openapi-helpers.js';
import { KEYS, startTestServer, type TestServer } from './server-helper.js';

const CLIENT_DIR = join(ROOT, 'test', 'http', 'client');
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // Asia/Shanghai, no DST
type Doc = Parameters<typeof responseChecker>[0] & { servers: { url: string }[]; paths: Record<string, Record<string, { operationId: string; security?: Record<string, string[]>[] }>> };

let s: TestServer;
let doc: Doc;
beforeAll(async () => {
  s = await startTestServer({ publicBaseUrl: 'https://letters.example.test/hanjian' });
  doc = await (await s.call('GET', '/openapi.json', { key: null })).json() as Doc;
});
afterAll(async () => { await s.close(); });

describe('the OpenAPI document', () => {
  it('passes redocly lint (recommended rules) with 0 errors and 0 warnings, with and without a public base URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-oas-'));
    writeFileSync(join(dir, 'served.json'), JSON.stringify(doc));
    writeFileSync(join(dir, 'default.json'), JSON.stringify(openApiDocument({})));
    for (const file of ['served.json', 'default.json']) {
      const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'redocly'), ['lint', join(dir, file), '--format=json'], { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
      const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: { message: string }[] };
      expect(report.problems.map((p) => p.message), file).toEqual([]);
      expect(report.totals, file).toMatchObject({ errors: 0, warnings: 0 });
    }
  });

  it('names the server from HANJIAN_PUBLIC_BASE_URL, an operationId and a security requirement for every operation', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'https://letters.example.test/hanjian' })]);
    const ops = Object.values(doc.paths).flatMap((m) => Object.values(m));
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    expect(ops.every((o) => Array.isArray(o.security))).toBe(true);
    const scopes = (id: string) => [...new Set(ops.find((o) => o.operationId === id)!.security!.flatMap((r) => Object.values(r).flat()))].sort();
    expect(scopes('previewLetter')).toEqual(['preview']);
    expect(scopes('issueLetter')).toEqual(['issue:demand', 'issue:lawyer-letter', 'issue:reminder']);
    expect(scopes('getLetter')).toEqual(['read']);
    expect(scopes('verifyLetter')).toEqual([]);
  });

  it('states what each kind requires and that issuing refuses letterNo, as the validator does', () => {
    const { validator } = responseChecker(doc);
    const letter = validator('LetterInput');
    const issuing = validator('LetterIssueInput');
    for (const kind of ['reminder', 'demand', 'lawyer-letter'] as const) {
      const x = example(kind);
      expect(letter(x), `${kind}: ${JSON.stringify(letter.errors)}`).toBe(true);
      expect(validateLetter(x, { today: x.issueDate }).ok).toBe(true);
      const { letterNo: _, ...unnumbered } = x;
      expect(issuing(unnumbered)).toBe(true);
      if (x.letterNo) expect(issuing(x)).toBe(false);
    }
    // What the validator requires or refuses per kind, the document does too.
    const cases: [string, (x: Record<string, any>) => void][] = [
      ['lawyer-letter', (x) => { delete x.lawFirm; }],
      ['lawyer-letter', (x) => { delete x.lawyers; }],
      ['lawyer-letter', (x) => { delete x.demand; }],
      ['demand', (x) => { delete x.demand; }],
      ['reminder', (x) => { x.lawFirm = example('lawyer-letter').lawFirm; }],
      ['demand', (x) => { x.lawyers = example('lawyer-letter').lawyers; }],
    ];
    for (const [kind, mutate] of cases) {
      const bad = variant(example(kind as 'reminder'), mutate);
      expect(letter(bad), `${kind} ${mutate}`).toBe(false);
      expect(validateLetter(bad, { today: bad.issueDate }).ok, `${kind} ${mutate}`).toBe(false);
    }
    // A reminder may carry a demand; the document must not refuse what the validator accepts.
    const reminder = variant(example('reminder'), (x) => { x.demand = { days: 7 }; });
    expect(validateLetter(reminder, { today: reminder.issueDate }).ok).toBe(true);
    expect(letter(reminder)).toBe(true);
  });

  it('has request examples taken from the templates', () => {
    const examples = (doc.paths['/v1/letters']!.post as unknown as { requestBody: { content: { 'application/json': { examples: Record<string, { value: Record<string, unknown> }> } } } }).requestBody.content['application/json'].examples;
    expect(Object.keys(examples).sort()).toEqual(['demand@1', 'lawyer-letter@1', 'reminder@1']);
    const { letterNo: _, ...lawyer } = example('lawyer-letter');
    expect(examples['lawyer-letter@1']!.value).toEqual(lawyer);
  });
});

describe('a typed client generated with openapi-typescript', () => {
  it('is generated from /openapi.json into test/http/client/api.d.ts (UPDATE_GOLDEN=1 refreshes it)', async () => {
    const generated = astToString(await openapiTS(doc as never));
    const golden = join(CLIENT_DIR, 'api.d.ts');
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, generated);
    expect(generated).toBe(readFileSync(golden, 'utf8'));

    // The client compiles against what the service serves now, not only against the committed copy.
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-client-'));
    writeFileSync(join(dir, 'api.d.ts'), generated);
    for (const f of ['client.ts', 'flow.ts']) copyFileSync(join(CLIENT_DIR, f), join(dir, f));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const program = ts.createProgram([join(dir, 'flow.ts')], {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noUncheckedIndexedAccess: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });

  it('runs preview → issue → fetch → verify against the service; every JSON answer matches the document; money is yuan strings', async () => {
    const { check } = responseChecker(doc);
    const exchanges: Exchange[] = [];
    const client = createClient(s.url, KEYS.all, (e) => exchanges.push(e));
    const { letterNo: _, ...lawyer } = example('lawyer-letter');
    const input = { ...lawyer, issueDate: today(), asOf: today() } as Parameters<typeof runFlow>[1];
    const r = await runFlow(client, input, 'typed-client-1');

    expect(Buffer.from(r.draft).subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.summary).toMatchObject({ ok: true, kind: 'lawyer-letter', total: '12426.00', totalFen: 1242600 });
    expect(r.first.created).toBe(true);
    expect(r.retry).toMatchObject({ created: false, letter: { id: r.first.letter.id, replayed: true } });
    expect(r.first.letter).toMatchObject({ total: '12426.00', totalFen: 1242600, pdf: `/v1/letters/${r.first.letter.id}/pdf` });
    expect(r.record.number).toBe(r.first.letter.number);
    expect(Buffer.from(r.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.verified).toMatchObject({ valid: true, total: '12426.00', pdfSha256: r.first.letter.pdfSha256 });
    expect(r.forged).toEqual({ valid: false });
    expect(r.recommendation).toMatchObject({ total: '12426.00', totalFen: 1242600 });
    expect(r.templates.map((t) => t.id)).toContain('lawyer-letter@1');
    expect(r.template.manifest.kind).toBe('lawyer-letter');
    expect(r.refused).toMatchObject({ status: 422, problem: { code: 'LETTER_NO_NOT_ALLOWED' } });

    // Some answers that are problems, so their documented form is checked too.
    const bad = createClient(s.url, 'not-a-key-0123456789', (e) => exchanges.push(e));
    await expect(bad.listTemplates()).rejects.toMatchObject({ status: 401 });
    await expect(client.getLetter('no-such-id')).rejects.toMatchObject({ status: 404, problem: { code: 'LETTER_NOT_FOUND' } });
    await expect(client.validateLetter({ ...input, debt: { principal: '12.345' } })).rejects.toMatchObject({ status: 422, problem: { code: 'INVALID_INPUT' } });
    await expect(client.issueLetter({ ...input, debtor: { ...input.debtor, name: '王五' } }, 'typed-client-1')).rejects.toMatchObject({ status: 409 });

    const json = exchanges.filter((e) => e.contentType.includes('json'));
    expect(json.length).toBeGreaterThanOrEqual(14);
    for (const e of json) expect(check(e.operation, e.status, e.contentType, e.body), `${e.operation} ${e.status}`).toEqual([]);
  });
});
