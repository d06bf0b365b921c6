import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/registry/registry.js';
import { dated, example, TODAY } from '../helpers.js';
import { runCli } from '../cli/run.js';

const demandFor = (n: number) => { const x = dated('demand'); x.account.contractNo = `SS2026-${n}`; return x; };

describe('one sender, one number series', () => {
  it('a creditor registered after keyless letters continues their numbers, and the keyless setup no longer issues in its name', async () => {
    const reg = openRegistry({ db: join(mkdtempSync(join(tmpdir(), 'hanjian-sender-')), 'h.db') });
    const before = await reg.issue(demandFor(1), { today: TODAY });
    await reg.issue(demandFor(2), { today: TODAY });
    const creditor = example('demand').creditor;
    const org = await reg.addOrg({ kind: 'creditor', name: creditor.name, creditCode: creditor.creditCode }, Number(TODAY.slice(0, 4)));
    const after = await reg.issue(demandFor(3), { today: TODAY, orgId: org.id });
    expect(before.record.number).toMatch(/第0001号$/);
    expect(after.record.number).toMatch(/第0003号$/);
    await expect(reg.issue(demandFor(4), { today: TODAY })).rejects.toMatchObject({ code: 'SENDER_REGISTERED', path: 'creditor.creditCode' });
    // Another creditor in the keyless setup is unaffected.
    const other = demandFor(5);
    const name = '深圳另一家科技有限公司';
    other.creditor = { ...other.creditor, name, creditCode: '9144030071526726XG', paymentChannels: other.creditor.paymentChannels?.map((c: Record<string, unknown>) => (c.accountName ? { ...c, accountName: name } : c)) };
    await expect(reg.issue(other, { today: TODAY })).resolves.toMatchObject({ record: { number: expect.stringMatching(/第0001号$/) } });
    await reg.close();
  });

  it('a register number given at registration wins when it is higher', async () => {
    const reg = openRegistry({ db: join(mkdtempSync(join(tmpdir(), 'hanjian-sender-')), 'h.db') });
    await reg.issue(demandFor(1), { today: TODAY });
    const creditor = example('demand').creditor;
    const year = Number(TODAY.slice(0, 4));
    const org = await reg.addOrg({ kind: 'creditor', name: creditor.name, creditCode: creditor.creditCode, registerYear: year, registerNext: 40 }, year);
    expect((await reg.issue(demandFor(2), { today: TODAY, orgId: org.id })).record.number).toMatch(/第0040号$/);
    await reg.close();
  });

  it('on the command line, --org issues as the registered creditor; without it the sender is refused by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-sender-'));
    const db = join(dir, 'h.db');
    const input = join(dir, 'demand.json');
    writeFileSync(input, JSON.stringify(demandFor(1)));
    const creditor = example('demand').creditor;
    expect((await runCli(['orgs', 'add', '--db', db, '--kind', 'creditor', '--name', creditor.name, '--credit-code', creditor.creditCode])).code).toBe(0);
    const refused = await runCli(['issue', input, '--db', db, '--today', TODAY]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('SENDER_REGISTERED');
    const issued = await runCli(['issue', input, '--db', db, '--today', TODAY, '--org', creditor.name, '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    expect(JSON.parse(issued.stdout).number).toMatch(/第0001号$/);
  });
});
