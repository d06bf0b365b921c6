/** Issue 18 at the terminal: check a firm's folder, release with the lawyer's password, diff the wording, list the catalogue. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { makeFirmCatalog, NEW_SENTENCE, OLD_SENTENCE } from '../fixtures/firm-catalog.js';
import { runCli } from './run.js';

const FIRM = '北京某某律师事务所';
let db: string;
let good: string;
let setting: string;

beforeAll(async () => {
  db = join(mkdtempSync(join(tmpdir(), 'hanjian-cli-templates-')), 'hanjian.db');
  const reg = openRegistry({ db });
  const f = await reg.orgs.addOrg(
    {
      kind: 'law-firm',
      name: FIRM,
      licenseNo: '31110000MD01234564',
      letterPrefix: '京某律函字',
      address: '北京市朝阳区某某路88号某某中心15层',
      phone: '010-65001234',
    },
    'test',
  );
  await reg.orgs.addUser(
    {
      orgId: f.id,
      login: 'lisi',
      name: '李四',
      role: 'lawyer',
      licenseNo: '11101201910123456',
      password: 'correct horse battery',
    },
    'test',
  );
  await reg.close();
  good = makeFirmCatalog({ broken: false });
  setting = JSON.stringify({ [FIRM]: good });
});

describe('hanjian templates', () => {
  it('check names every version that would not load, with file, line and code, and exits 1', async () => {
    const root = makeFirmCatalog();
    const r = await runCli(['templates', 'check', root]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/ok +firm:lawyer-letter@3 +draft/);
    expect(r.stdout).toMatch(
      new RegExp(
        `error ${join(root, 'reminder', '3', 'letter.hbs')}:\\d+: \\[TEMPLATE_FIELD_UNKNOWN\\].*autoDebitFialed`,
      ),
    );
    expect(r.stdout).toMatch(
      new RegExp(`error ${join(root, 'demand', '3', 'example.json')}:\\d+: \\[COMPLIANCE_FORBIDDEN\\]`),
    );
  }, 60_000);

  it("release needs the lawyer's password; it writes the lock and the audit trail; the list then shows it released", async () => {
    const args = [
      'templates',
      'release',
      'firm:lawyer-letter@3',
      '--org',
      FIRM,
      '--lawyer',
      'lisi',
      '--password-stdin',
      '--templates',
      setting,
      '--db',
      db,
    ];
    const wrong = await runCli(args, { stdin: 'wrong password\n' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('UNAUTHENTICATED');
    const r = await runCli([...args, '--json'], { stdin: 'correct horse battery\n' });
    expect(r.code, r.stderr).toBe(0);
    const entry = JSON.parse(r.stdout);
    expect(entry).toMatchObject({ id: 'firm:lawyer-letter@3', status: 'released', releasedBy: { login: 'lisi' } });
    expect(JSON.parse(readFileSync(join(good, 'versions.lock.json'), 'utf8'))['lawyer-letter@3'].sha256).toBe(
      entry.sha256,
    );
    const list = await runCli(['templates', '--org', FIRM, '--templates', setting, '--db', db, '--json']);
    expect(JSON.parse(list.stdout).find((t: { id: string }) => t.id === 'firm:lawyer-letter@3')).toMatchObject({
      origin: 'firm',
      status: 'released',
    });
    const reg = openRegistry({ db });
    expect((await reg.audit.rows()).filter((a) => a.action === 'template.release').map((a) => a.subject)).toEqual([
      'firm:lawyer-letter@3',
    ]);
    expect((await reg.audit.verify()).broken).toBeNull();
    await reg.close();
  }, 90_000);

  it('diff shows the changed paragraph as rendered text, old line then new', async () => {
    const r = await runCli([
      'templates',
      'diff',
      'lawyer-letter@2',
      'firm:lawyer-letter@3',
      '--org',
      FIRM,
      '--templates',
      setting,
      '--db',
      db,
    ]);
    expect(r.code, r.stderr).toBe(0);
    // The rendered text first, then the template source beside it (issue 32: what no branch shows is still seen).
    const [rendered, source] = r.stdout.split('\n--- lawyer-letter@2 letter.hbs\n') as [string, string];
    expect(source, r.stdout).toBeDefined();
    for (const part of [rendered, source]) {
      const changed = part.split('\n').filter((l) => /^[-+] /.test(l));
      expect(changed).toHaveLength(2);
      expect(changed[0]).toMatch(new RegExp(`^- .*${OLD_SENTENCE}`));
      expect(changed[1]).toMatch(new RegExp(`^\\+ .*${NEW_SENTENCE.replace(/[；]/g, '.')}`));
    }
    expect(rendered).not.toContain('{{');
  }, 60_000);
});
