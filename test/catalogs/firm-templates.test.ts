import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../../src/app/library.js';
import { FirmCatalogs } from '../../src/catalogs/catalogs.js';
import { formatProblem } from '../../src/catalogs/problems.js';
import { releaseVersion, retireVersion } from '../../src/catalogs/release.js';
import type { Org, User } from '../../src/orgs/model.js';
import { listTemplates, previewLetter, renderLetter } from '../../src/pipeline/index.js';
import { HanjianError } from '../../src/shared/errors.js';
import { makeFirmCatalog, NEW_SENTENCE, OLD_SENTENCE } from '../fixtures/firm-catalog.js';
import { storedMandate } from '../fixtures/mandate.js';
import { example } from '../helpers.js';
import { readPdf } from '../pipeline/pdf/extract.js';
import { ACTOR, CLIENT, FIRM } from '../support/world.js';

const DAY = '2026-12-01';
let root: string;
let reg: Registry;
let firm: Org;
let lawyer: User;
let assistant: User;
let other: Org;

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<HanjianError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof HanjianError) return e;
    throw e;
  }
  throw new Error('expected a HanjianError');
}

/** The lawyer-letter@2 example as a final letter of the firm, pinned to a template. */
function letter(template?: string): Record<string, unknown> {
  const x = example('lawyer-letter', 2);
  delete x.letterNo;
  return template ? { ...x, template } : x;
}
/** The firm's client, under an engagement that holds the 授权委托书 its lawyer's letters list. */
let client: Org;
const approval = () => ({ requestId: `r-${Math.random()}`, approvedBy: lawyer.id, clientOrgId: client.id });

beforeAll(async () => {
  root = makeFirmCatalog();
  reg = openRegistry({
    db: join(mkdtempSync(join(tmpdir(), 'hanjian-firm-db-')), 'hanjian.db'),
    publicBaseUrl: 'https://v.test',
  });
  firm = await reg.orgs.addOrg(FIRM, ACTOR);
  other = await reg.orgs.addOrg(
    {
      kind: 'law-firm',
      name: '上海某某律师事务所',
      licenseNo: '31310000MD0123456X',
      letterPrefix: '沪某律函字',
      address: '上海市浦东新区某某路1号',
      phone: '021-60001234',
    },
    'test',
  );
  lawyer = await reg.orgs.addUser(
    {
      orgId: firm.id,
      login: 'lisi',
      name: '李四',
      role: 'lawyer',
      licenseNo: '11101201910123456',
    },
    'test',
  );
  assistant = await reg.orgs.addUser({ orgId: firm.id, login: 'zhao', name: '赵六', role: 'assistant' }, 'test');
  client = await reg.orgs.addOrg(CLIENT, 'test');
  await reg.orgs.addEngagement(
    {
      creditorOrgId: client.id,
      firmOrgId: firm.id,
      signedOn: '2026-11-01',
      startsOn: '2026-11-01',
      lawyerIds: [lawyer.id],
      ...(await storedMandate(reg)),
    },
    'test',
  );
  const catalogs = await FirmCatalogs.load([{ orgId: firm.id, dir: root }]);
  reg.catalogs.adopt(catalogs);
}, 120_000);

afterAll(async () => {
  await reg.close();
});

describe("an organisation's own catalogue", () => {
  it('loads the good version as a draft; a typo in a field path and a forbidden phrase in the example never load, named with file and line', () => {
    const own = reg.catalogs.firm(firm.id)!;
    expect(own.versions.map((v) => `${v.id} ${v.firm!.status}`)).toEqual(['firm:lawyer-letter@3 draft']);
    const lines = own.problems.map(formatProblem);
    const typo = own.problems.find((p) => p.version === 'reminder@3')!;
    expect(typo).toMatchObject({ file: join(root, 'reminder', '3', 'letter.hbs'), code: 'TEMPLATE_FIELD_UNKNOWN' });
    expect(readFileSync(typo.file, 'utf8').split('\n')[typo.line! - 1]).toContain('autoDebitFialed');
    const forbidden = own.problems.find((p) => p.version === 'demand@3')!;
    expect(forbidden).toMatchObject({ file: join(root, 'demand', '3', 'example.json'), code: 'COMPLIANCE_FORBIDDEN' });
    expect(readFileSync(forbidden.file, 'utf8').split('\n')[forbidden.line! - 1]).toContain('逾期将通知您的单位');
    expect(lines.join('\n')).toMatch(/reminder\/3\/letter\.hbs:\d+: \[TEMPLATE_FIELD_UNKNOWN\] .*autoDebitFialed/);
    const clause = own.problems.find((p) => p.version === 'lawyer-letter@4')!;
    expect(clause).toMatchObject({
      file: join(root, 'lawyer-letter', '4', 'clauses.json'),
      code: 'TEMPLATE_FIELD_UNKNOWN',
    });
    expect(clause.problem).toContain('creditor.phnoe');
    expect(readFileSync(clause.file, 'utf8').split('\n')[clause.line! - 1]).toContain('auto-debit-check');
  });

  it("lists the caller's catalogue with each version's origin and status; another organisation sees only the built-in one", () => {
    const mine = listTemplates(reg.letters.catalogFor(firm.id));
    expect(mine.find((t) => t.id === 'firm:lawyer-letter@3')).toMatchObject({
      origin: 'firm',
      status: 'draft',
      kind: 'lawyer-letter',
      version: 3,
    });
    expect(mine.find((t) => t.id === 'lawyer-letter@2')).toMatchObject({ origin: 'built-in', status: 'active' });
    expect(listTemplates(reg.letters.catalogFor(other.id)).some((t) => t.origin === 'firm')).toBe(false);
  });

  it('a draft is previewed (marked 草稿模板 · DRAFT) and refused for issuing', async () => {
    const p = await previewLetter(letter('firm:lawyer-letter@3'), {
      catalog: reg.letters.catalogFor(firm.id),
      today: DAY,
    });
    expect(p.template).toEqual({ kind: 'lawyer-letter', version: 3, id: 'firm:lawyer-letter@3' });
    expect(p.text).toContain(NEW_SENTENCE);
    const text = (await readPdf(p.pdf)).lines.map((l) => l.text).join('\n');
    expect(text).toContain('草稿模板');
    expect(text).toContain('DRAFT');
    // Unpinned, the draft is never chosen: the built-in version in effect is.
    expect((await previewLetter(letter(), { catalog: reg.letters.catalogFor(firm.id), today: DAY })).template.id).toBe(
      'lawyer-letter@2',
    );
    expect(
      (await rejection(reg.issue(letter('firm:lawyer-letter@3'), { orgId: firm.id, today: DAY, approval: approval() })))
        .code,
    ).toBe('TEMPLATE_DRAFT');
    expect(
      (
        await rejection(
          renderLetter(letter('firm:lawyer-letter@3'), {
            catalog: reg.letters.catalogFor(firm.id),
            today: DAY,
            letterNo: '（2026）京某律函字第0001号',
          }),
        )
      ).code,
    ).toBe('TEMPLATE_DRAFT');
  });

  it('another organisation never resolves it', async () => {
    const e = await rejection(
      previewLetter(letter('firm:lawyer-letter@3'), { catalog: reg.letters.catalogFor(other.id), today: DAY }),
    );
    expect(e.code).toBe('TEMPLATE_NOT_FOUND');
    expect(e.en.split('available:')[1]).not.toContain('firm:'); // not even named in the list of versions
  });

  it('only a lawyer of the firm releases it; the release is in the audit trail and the lock file; then it is issued, also unpinned', async () => {
    const actor = (u: User, o: Org = firm) => ({ user: u, org: o, actor: `cli:${u.login}` });
    expect(
      (await rejection(releaseVersion(reg.catalogs, firm.id, 'firm:lawyer-letter@3', actor(assistant), reg.audit)))
        .code,
    ).toBe('TEMPLATE_RELEASE_FORBIDDEN');
    const released = await releaseVersion(reg.catalogs, firm.id, 'firm:lawyer-letter@3', actor(lawyer), reg.audit);
    const audit = (await reg.audit.rows({ orgId: firm.id })).filter((r) => r.action === 'template.release');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'cli:lisi', subject: 'firm:lawyer-letter@3' });
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ sha256: released.sha256, by: lawyer.id });
    const lock = JSON.parse(readFileSync(join(root, 'versions.lock.json'), 'utf8'));
    expect(lock['lawyer-letter@3']).toMatchObject({
      status: 'released',
      sha256: released.sha256,
      releasedBy: { userId: lawyer.id, login: 'lisi' },
    });
    expect(Object.keys(lock['lawyer-letter@3'].files)).toEqual([
      'clauses.json',
      'example.json',
      'letter.hbs',
      'manifest.json',
    ]);

    const pinned = await reg.issue(letter('firm:lawyer-letter@3'), {
      orgId: firm.id,
      today: DAY,
      approval: approval(),
    });
    expect(pinned.record.template).toBe('firm:lawyer-letter@3');
    const text = (await readPdf(pinned.pdf)).lines.map((l) => l.text).join('');
    expect(text).toContain('如需结清证明');
    expect(text).not.toContain('草稿');
    // Unpinned, the firm's released version in effect comes before the built-in one.
    const x = letter();
    (x.account as Record<string, unknown>).contractNo = 'BT2025-000124';
    expect((await reg.issue(x, { orgId: firm.id, today: DAY, approval: approval() })).record.template).toBe(
      'firm:lawyer-letter@3',
    );
    expect((await reg.check()).failed).toBe(0);
  }, 60_000);

  it('retiring is recorded; a retired version is no longer issued, and letters issued with it still re-render', async () => {
    const e = await rejection(
      retireVersion(
        reg.catalogs,
        firm.id,
        'lawyer-letter@3',
        { user: lawyer, org: firm, actor: 'cli:lisi' },
        '',
        reg.audit,
      ),
    );
    expect(e.code).toBe('INVALID_INPUT');
    await retireVersion(
      reg.catalogs,
      firm.id,
      'lawyer-letter@3',
      { user: lawyer, org: firm, actor: 'cli:lisi' },
      '改用新版措辞',
      reg.audit,
    );
    expect((await reg.audit.rows({ orgId: firm.id })).map((r) => r.action)).toContain('template.retire');
    expect(JSON.parse(readFileSync(join(root, 'versions.lock.json'), 'utf8'))['lawyer-letter@3']).toMatchObject({
      status: 'retired',
      retireReason: '改用新版措辞',
    });
    const x = letter('firm:lawyer-letter@3');
    (x.account as Record<string, unknown>).contractNo = 'BT2025-000125';
    expect((await rejection(reg.issue(x, { orgId: firm.id, today: DAY, approval: approval() }))).code).toBe(
      'TEMPLATE_RETIRED',
    );
    const y = letter();
    (y.account as Record<string, unknown>).contractNo = 'BT2025-000126';
    expect((await reg.issue(y, { orgId: firm.id, today: DAY, approval: approval() })).record.template).toBe(
      'lawyer-letter@2',
    );
    expect((await reg.check()).failed).toBe(0);
  }, 60_000);

  it('a changed file of a released version is refused at load with both hashes; the other versions keep loading', async () => {
    const file = join(root, 'lawyer-letter', '3', 'letter.hbs');
    writeFileSync(file, readFileSync(file, 'utf8').replace(NEW_SENTENCE, OLD_SENTENCE));
    const again = await FirmCatalogs.load([
      { orgId: firm.id, dir: root },
      { orgId: other.id, dir: makeFirmCatalog({ broken: false }) },
    ]);
    const refused = again.firm(firm.id)!.problems.find((p) => p.version === 'lawyer-letter@3')!;
    expect(refused).toMatchObject({ code: 'TEMPLATE_CHANGED', file });
    const lock = JSON.parse(readFileSync(join(root, 'versions.lock.json'), 'utf8'))['lawyer-letter@3'];
    expect(refused.problem).toContain(lock.files['letter.hbs']);
    expect(refused.problem).toMatch(/[0-9a-f]{64}.*[0-9a-f]{64}/);
    expect(again.firm(firm.id)!.versions).toEqual([]);
    expect(again.firm(other.id)!.versions.map((v) => v.id)).toEqual(['firm:lawyer-letter@3']);
  }, 60_000);

  it('a release made by another process (the CLI) takes effect in a running service without a restart', async () => {
    const dir = makeFirmCatalog({ broken: false });
    const service = await FirmCatalogs.load([{ orgId: firm.id, dir }]);
    const cli = await FirmCatalogs.load([{ orgId: firm.id, dir }]);
    expect(service.statuses(firm.id)).toEqual({ 'firm:lawyer-letter@3': 'draft' });
    await releaseVersion(
      cli,
      firm.id,
      'firm:lawyer-letter@3',
      { user: lawyer, org: firm, actor: 'cli:lisi' },
      reg.audit,
    );
    expect(service.statuses(firm.id)).toEqual({ 'firm:lawyer-letter@3': 'released' });
    expect(service.catalogFor(firm.id).versions[0]!.firm!.status).toBe('released');
  }, 60_000);

  it("a law firm's catalogue holds only letters the firm sends", async () => {
    const dir = makeFirmCatalog({ broken: false });
    const loaded = await FirmCatalogs.load([{ orgId: firm.id, dir, sender: 'creditor' }]);
    expect(loaded.firm(firm.id)!.versions).toEqual([]);
    expect(loaded.firm(firm.id)!.problems[0]).toMatchObject({
      version: 'lawyer-letter@3',
      code: 'TEMPLATE_SENDER',
      file: join(dir, 'lawyer-letter', '3', 'manifest.json'),
    });
  });
});
