/**
 * Workflow.requestMany (a spreadsheet import): every item checked as one request would be, the
 * accepted ones committed together, a refused item writing nothing, and a contract repeated
 * within one call refused like one already pending.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { addDays } from '../../src/pipeline/schema/dates.js';
import { isHanjianError } from '../../src/shared/errors.js';
import { creditorOf } from '../support/world.js';
import { setUpFirm, today } from '../web/fixture.js';

describe('Workflow.requestMany', () => {
  it('commits the accepted items, refuses the others with their reasons, and writes nothing for them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-many-'));
    const ids = await setUpFirm(dir);
    const reg = openRegistry({ db: join(dir, 'hanjian.db') });
    const client = await reg.orgs.org(ids.client!);
    const letter = (contractNo: string, idNumber = '110105199003071239') => ({
      kind: 'lawyer-letter',
      creditor: creditorOf(client),
      debtor: { name: '张三', idNumber },
      account: { product: '白条', contractNo, contractDate: addDays(today, -400), dueDate: addDays(today, -60) },
      debt: { principal: '12000.00' },
      demand: { days: 7 },
      delivery: 'ems',
      history: {
        overdueCount12m: 2,
        lettersSent: [
          { kind: 'demand', date: addDays(today, -20), deadline: addDays(today, -13), delivery: 'delivered' },
        ],
      },
    });
    const wf = reg.requests;
    const caller = { orgId: ids.client!, userId: null, keyId: 'import-test', scopes: null };
    const audit = async () =>
      (await reg.audit.rows({ orgId: ids.client! })).filter((r) => r.action === 'request.add').length;
    const out = await wf.requestMany(
      [
        { body: { engagement: ids.eng, letter: letter('A-1') } },
        { body: { engagement: ids.eng, letter: letter('A-2', '110105199003071238') } },
        { body: { engagement: ids.eng, letter: letter('A-1') } },
        { body: { engagement: ids.eng, letter: letter('A-3') } },
      ],
      caller,
      { today },
    );
    expect(out.map((x) => (isHanjianError(x) ? x.code : x.status))).toEqual([
      'pending_review',
      'INVALID_INPUT',
      'REQUEST_PENDING',
      'pending_review',
    ]);
    expect((isHanjianError(out[1]) ? out[1].issues : []).map((i) => i.path)).toContain('debtor.idNumber');
    expect((await wf.list(caller, 'pending_review')).map((v) => v.contractNo).sort()).toEqual(['A-1', 'A-3']);
    expect(await audit()).toBe(2);
    // And a later call sees them: the same contract is now pending.
    const again = await wf.requestMany([{ body: { engagement: ids.eng, letter: letter('A-3') } }], caller, { today });
    expect(isHanjianError(again[0]) && again[0].code).toBe('REQUEST_PENDING');
    await reg.close();
  });
});
