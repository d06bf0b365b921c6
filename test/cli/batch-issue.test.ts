/**
 * hanjian batch --issue: reminders and demands issued through the registry as the creditor,
 * lawyer's letters requested for review under the engagement, every error named by line and
 * contract number, and the same file run again issuing nothing twice.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { addDays } from '../../src/pipeline/schema/dates.js';
import { dated, example } from '../helpers.js';
import { writeSealsFile } from '../http/server-helper.js';
import { setUpFirm, today } from '../web/fixture.js';
import { runCli } from './run.js';

describe('hanjian batch --issue', () => {
  it("issues own letters, requests lawyer's letters, and names each error by line and contract", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-batch-issue-'));
    const ids = await setUpFirm(dir);
    const seals = writeSealsFile(dir);
    const reminder = (contractNo: string): Record<string, any> => ({
      ...dated('reminder', today),
      account: { ...dated('reminder', today).account, contractNo },
    });
    const lawyer = example('lawyer-letter');
    for (const k of ['lawFirm', 'lawyers', 'letterNo', 'issueDate', 'asOf', 'engagement']) delete lawyer[k];
    // The client's own demand, delivered and past its deadline: the policy's condition for a lawyer's letter.
    lawyer.history = {
      overdueCount12m: 2,
      lettersSent: [
        { kind: 'demand', date: addDays(today, -20), deadline: addDays(today, -13), delivery: 'delivered' },
      ],
    };
    const bad = reminder('BAD-0003');
    bad.debtor.idNumber = '110105199003071238';
    const lines = [
      reminder('R-0001'),
      { ...reminder('R-0002'), kind: 'demand', demand: { days: 7 } },
      bad,
      lawyer,
      '{not json',
    ];
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`);
    const out = join(dir, 'out');
    const env = { ...process.env, HANJIAN_DB: join(dir, 'hanjian.db') };
    const args = [
      'batch',
      file,
      '--issue',
      '--org',
      '北京某某科技有限公司',
      '--engagement',
      ids.eng!,
      '--out',
      out,
      '--seals',
      seals,
      '--public-base-url',
      'https://verify.example.test',
    ];
    const r = await runCli(args, { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/2 issued, 1 requested for review, 2 failed/);
    expect(r.stdout).toContain(join(out, 'errors.jsonl'));
    expect(r.stdout).toContain('第 3 行（合同 BAD-0003）');
    const errors = readFileSync(join(out, 'errors.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(errors.map((e) => [e.line, e.contractNo])).toEqual([
      [3, 'BAD-0003'],
      [5, null],
    ]);
    expect(
      readdirSync(out)
        .filter((f) => f.endsWith('.pdf'))
        .sort(),
    ).toEqual(['000001-R-0001.pdf', '000002-R-0002.pdf']);
    expect(readFileSync(join(out, 'requests.jsonl'), 'utf8')).toContain('"line":4');
    // Again: the same lines are retries, not new letters.
    const again = await runCli(args, { env });
    expect(again.stdout).toMatch(/2 issued, 1 requested for review, 2 failed/);
    const reg = openRegistry({ db: join(dir, 'hanjian.db') });
    expect((await reg.letters.list({ orgId: ids.client!, limit: 50 })).length).toBe(2);
    await reg.close();
  });
});
