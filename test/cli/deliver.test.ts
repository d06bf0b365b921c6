/**
 * hanjian deliver, payments and letters: a letter's dispatch with a tracking number, its
 * refusal, a second dispatch and delivery, payments up to 已付款 — through the built CLI against a
 * registry, with the refusals the delivery part gives (wrong order, bad tracking number,
 * another organisation's letter).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated } from '../helpers.js';
import { runCli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'hanjian-deliver-'));
const db = join(dir, 'h.db');
const ORG = '北京某某科技有限公司';
let number = '';
let total = '';

beforeAll(async () => {
  const reg = openRegistry({ db });
  try {
    const org = await reg.orgs.addOrg(
      {
        kind: 'creditor',
        name: ORG,
        creditCode: '91110108MA01ABCD2H',
        address: '北京市海淀区某某路1号某某大厦8层',
        phone: '400-800-1234',
      },
      'test',
    );
    await reg.orgs.addOrg(
      {
        kind: 'creditor',
        name: '深圳某某信息技术有限公司',
        creditCode: '9144030071526726XG',
        address: '深圳市南山区某某路2号',
        phone: '400-800-5678',
      },
      'test',
    );
    const { record } = await reg.issue(dated('reminder', todayInShanghai()), { orgId: org.id });
    number = record.number;
    total = (record.totalFen / 100).toFixed(2);
  } finally {
    await reg.close();
  }
});

const cli = (...args: string[]) => runCli([...args, '--db', db]);

describe('hanjian deliver / payments / letters', () => {
  it('records dispatch with a tracking number, refusal, a second dispatch and delivery; refuses what may not follow', async () => {
    let r = await cli('deliver', number, 'dispatched', '--org', ORG, '--tracking', 'EA123456789CN');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('运单号 EA123456789CN');
    expect(r.stdout).toContain('已交寄（dispatched）');
    r = await cli('deliver', number, 'refused', '--org', ORG, '--note', '收件人拒收', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'refused', stateLabel: '拒收', event: { type: 'refused' } });
    r = await cli('deliver', number, 'delivered', '--org', ORG);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('拒收');
    r = await cli('deliver', number, 'dispatched', '--org', ORG, '--tracking', '运单号');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('trackingNo');
    r = await cli('deliver', number, 'dispatched', '--org', ORG, '--channel', 'registered-mail');
    expect(r.code).toBe(0);
    r = await cli('deliver', number, 'delivered', '--org', ORG);
    expect(r.stdout).toContain('已送达');
    // Refusals that change nothing, run side by side (each CLI start takes seconds on a loaded machine).
    const [other, burned, misplaced] = await Promise.all([
      cli('deliver', number, 'delivered', '--org', '深圳某某信息技术有限公司'),
      cli('deliver', number, 'burned', '--org', ORG),
      cli('deliver', number, 'delivered', '--org', ORG, '--tracking', 'X1234'),
    ]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('本机构没有这个函号');
    expect(burned.code).toBe(2);
    expect(misplaced.code).toBe(2);
  }, 240_000);

  it('records payments up to the total (then 已付款), refuses an overpayment unless told, and lists letters by state', async () => {
    let r = await cli('payments', 'add', number, '--amount', '100.00', '--org', ORG, '--at', todayInShanghai());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已记录还款 100.00 元');
    expect(r.stdout).toContain('已送达');
    r = await cli('payments', 'add', number, '--amount', total, '--org', ORG);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('超过尚欠金额');
    const rest = (Number(total) - 100).toFixed(2);
    r = await cli('payments', 'add', number, '--amount', rest, '--org', ORG, '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'paid', outstanding: '0.00', paid: total });
    r = await cli('payments', 'list', number, '--org', ORG, '--json');
    expect(JSON.parse(r.stdout).payments.map((p: { amount: string }) => p.amount)).toEqual(['100.00', rest]);
    r = await cli('letters', 'list', '--org', ORG, '--json');
    const out = JSON.parse(r.stdout);
    expect(out.counts).toMatchObject({ paid: 1, issued: 0, refused: 0 });
    expect(out.letters[0]).toMatchObject({ number, state: 'paid' });
    r = await cli('letters', 'list', '--org', ORG, '--state', 'refused');
    expect(r.stdout).not.toContain(number);
    expect((await cli('letters', 'list', '--org', ORG, '--state', 'lost')).code).toBe(2);
  }, 240_000);
});
