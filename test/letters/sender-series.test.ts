import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { DataKey } from '../../src/store/data-key.js';
import { runCli } from '../cli/run.js';
import { dated, example, TODAY } from '../helpers.js';
import { freshDatabase, TEST_DATA_KEY } from '../store/postgres/fresh.js';

const demandFor = (n: number) => {
  const x = dated('demand');
  x.account.contractNo = `SS2026-${n}`;
  return x;
};
/** A second creditor, in the keyless setup throughout. */
const otherCreditor = () => {
  const c = dated('demand').creditor;
  const name = '深圳另一家科技有限公司';
  return {
    ...c,
    name,
    creditCode: '9144030071526726XG',
    paymentChannels: c.paymentChannels?.map((p: Record<string, unknown>) =>
      p.accountName ? { ...p, accountName: name } : p,
    ),
  };
};

describe('one sender, one number series', () => {
  it('a creditor registered after keyless letters continues their numbers, and the keyless setup no longer issues in its name', async () => {
    const reg = openRegistry({ db: join(mkdtempSync(join(tmpdir(), 'hanjian-sender-')), 'h.db') });
    const before = await reg.issue(demandFor(1), { today: TODAY });
    await reg.issue(demandFor(2), { today: TODAY });
    const creditor = example('demand').creditor;
    const org = await reg.letters.addOrg(
      { kind: 'creditor', name: creditor.name, creditCode: creditor.creditCode },
      'test',
      Number(TODAY.slice(0, 4)),
    );
    const after = await reg.issue(demandFor(3), { today: TODAY, orgId: org.id });
    expect(before.record.number).toMatch(/第0001号$/);
    expect(after.record.number).toMatch(/第0003号$/);
    await expect(reg.issue(demandFor(4), { today: TODAY })).rejects.toMatchObject({
      code: 'SENDER_REGISTERED',
      path: 'creditor.creditCode',
    });
    // Another creditor in the keyless setup is unaffected.
    const other = demandFor(5);
    const name = '深圳另一家科技有限公司';
    other.creditor = {
      ...other.creditor,
      name,
      creditCode: '9144030071526726XG',
      paymentChannels: other.creditor.paymentChannels?.map((c: Record<string, unknown>) =>
        c.accountName ? { ...c, accountName: name } : c,
      ),
    };
    await expect(reg.issue(other, { today: TODAY })).resolves.toMatchObject({
      record: { number: expect.stringMatching(/第0001号$/) },
    });
    await reg.close();
  });

  it.each(['SQLite', 'PostgreSQL'])(
    "registering the creditor takes over its keyless letters with the debtor's open dispute: it is listed, still blocks the contract, and can be resolved (%s)",
    async (backend) => {
      const reg =
        backend === 'SQLite'
          ? openRegistry({ db: join(mkdtempSync(join(tmpdir(), 'hanjian-sender-')), 'h.db') })
          : openRegistry({ db: await freshDatabase(), dataKey: DataKey.fromText(TEST_DATA_KEY, 'test') });
      await reg.ready();
      const disputes = reg.debtors;
      const trial = await reg.issue(demandFor(7), { today: TODAY });
      const untouched = await reg.issue({ ...demandFor(8), creditor: otherCreditor() }, { today: TODAY });
      await disputes.file(trial.record, { type: 'dispute', text: '金额有误' });
      const creditor = example('demand').creditor;
      const org = await reg.letters.addOrg(
        { kind: 'creditor', name: creditor.name, creditCode: creditor.creditCode },
        'test',
        Number(TODAY.slice(0, 4)),
      );
      expect(org.adoptedLetters).toBe(1);
      const caller = { orgId: org.id, userId: null, keyId: 'k', scopes: null };
      expect((await reg.letters.list({ orgId: org.id })).map((l) => l.number)).toEqual([trial.record.number]);
      expect(
        (await reg.letters.list({ orgId: 'default' })).map((l) => l.number),
        'another sender stays keyless',
      ).toEqual([untouched.record.number]);
      const [open] = await disputes.list(caller, 'open');
      expect(open).toMatchObject({ letterId: trial.record.id });
      const reminder = { ...dated('reminder'), account: { ...dated('reminder').account, contractNo: 'SS2026-7' } };
      await expect(reg.issue(reminder, { today: TODAY, orgId: org.id })).rejects.toMatchObject({
        code: 'DISPUTE_OPEN',
      });
      await disputes.resolve(open!.id, caller, '已核对');
      await expect(reg.issue(reminder, { today: TODAY, orgId: org.id })).resolves.toMatchObject({
        record: { number: expect.stringMatching(/第0002号$/) },
      });
      const audit = await reg.stores.db.all<{ action: string }>(
        "SELECT action FROM audit WHERE action = 'org.adopt-default-letters'",
      );
      expect(audit).toHaveLength(1);
      await reg.close();
    },
  );

  it('a register number given at registration wins when it is higher', async () => {
    const reg = openRegistry({ db: join(mkdtempSync(join(tmpdir(), 'hanjian-sender-')), 'h.db') });
    await reg.issue(demandFor(1), { today: TODAY });
    const creditor = example('demand').creditor;
    const year = Number(TODAY.slice(0, 4));
    const org = await reg.letters.addOrg(
      { kind: 'creditor', name: creditor.name, creditCode: creditor.creditCode, registerYear: year, registerNext: 40 },
      'test',
      year,
    );
    expect((await reg.issue(demandFor(2), { today: TODAY, orgId: org.id })).record.number).toMatch(/第0040号$/);
    await reg.close();
  });

  it('on the command line, --org issues as the registered creditor; without it the sender is refused by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-sender-'));
    const db = join(dir, 'h.db');
    const input = join(dir, 'demand.json');
    writeFileSync(input, JSON.stringify(demandFor(1)));
    const creditor = example('demand').creditor;
    expect(
      (
        await runCli([
          'orgs',
          'add',
          '--db',
          db,
          '--kind',
          'creditor',
          '--name',
          creditor.name,
          '--credit-code',
          creditor.creditCode,
        ])
      ).code,
    ).toBe(0);
    const refused = await runCli(['issue', input, '--db', db, '--today', TODAY]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('SENDER_REGISTERED');
    const issued = await runCli(['issue', input, '--db', db, '--today', TODAY, '--org', creditor.name, '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    expect(JSON.parse(issued.stdout).number).toMatch(/第0001号$/);
  });
});
