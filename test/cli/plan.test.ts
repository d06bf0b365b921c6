/** Issue 17: hanjian plan shows real figures, writes JSON lines, needs only what the policy reads, fits the terminal. */
import { describe, expect, it } from 'vitest';
import { ReasonTable } from '../../src/cli/plan-table.js';
import { displayWidth } from '../../src/cli/terminal-text.js';
import { TODAY } from '../helpers.js';
import { runCli } from './run.js';

/** Only what the policy uses: no product, contractNo or contractDate. */
const account = (dueDate: string, principal: string, extra: object = {}) =>
  JSON.stringify({ account: { dueDate }, debt: { principal }, ...extra });

describe('hanjian plan', () => {
  it('prints the figures of each reason (ranges when they differ), never digits masked as N', async () => {
    const lines = [
      account('2026-11-17', '300.00', { asOf: '2026-12-28' }),
      account('2026-11-17', '450.00', { asOf: '2026-12-28' }),
      account('2026-11-17', '5000.00', {
        asOf: '2026-11-28',
        history: { lettersSent: [{ kind: 'demand', date: '2026-11-25' }] },
      }),
    ].join('\n');
    const r = await runCli(['plan', '-'], { stdin: lines, env: { COLUMNS: '120' } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\bN\b/);
    expect(r.stdout).toContain('2 × 欠款 300.00–450.00 元低于律师函最低金额 500.00 元');
    expect(r.stdout).toContain('1 × 2026-11-25 已发过同类函件，10 天内不重复');
  });

  it('--json is JSON lines: one record per input line, in order, the invalid ones with their issues', async () => {
    const lines = [account('2026-11-17', '5000.00'), '', '{oops', account('2026-11-17', 'abc')].join('\n');
    const r = await runCli(['plan', '-', '--json', '--today', TODAY], { stdin: lines });
    expect(r.code).toBe(1);
    const out = r.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(3); // the blank line is skipped, but counted
    const records = out.map((l) => JSON.parse(l));
    expect(records[0]).toMatchObject({ line: 1, ok: true, kind: 'demand', overdueDays: 11 });
    expect(records[1]).toMatchObject({ line: 3, ok: false, issues: [{ code: 'JSON_MALFORMED' }] });
    expect(records[2]).toMatchObject({ line: 4, ok: false, issues: [{ path: 'debt.principal' }] });
  });

  it('does not require product, contractNo or contractDate, but still checks them when given', async () => {
    const r = await runCli(['plan', '-', '--json', '--today', TODAY], {
      stdin: [
        account('2026-11-17', '5000.00'),
        JSON.stringify({ account: { dueDate: '2026-11-17', contractDate: '2026-02-30' }, debt: { principal: '1.00' } }),
      ].join('\n'),
    });
    const [ok, bad] = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ok).toMatchObject({ ok: true });
    expect(bad.ok).toBe(false);
    expect(bad.issues.map((i: { path: string }) => i.path)).toEqual(['account.contractDate']);
  });

  it('wraps its table to the terminal width', async () => {
    const lines = [
      account('2026-11-17', '300.00', { asOf: '2026-12-28' }),
      account('2026-11-17', '5000.00', { asOf: '2026-11-20' }),
    ].join('\n');
    for (const columns of [50, 70]) {
      const r = await runCli(['plan', '-'], { stdin: lines, env: { COLUMNS: String(columns) } });
      const rows = r.stdout.trimEnd().split('\n');
      expect(rows.length).toBeGreaterThan(3);
      for (const row of rows) expect(displayWidth(row), row).toBeLessThanOrEqual(columns);
    }
  });
});

describe('ReasonTable', () => {
  it("groups reasons that differ only in figures and shows each figure's range", () => {
    const t = new ReasonTable();
    t.add('demand', '逾期 12 天，达到催告函起点第 8 天 / 12 days overdue, demand from day 8');
    t.add('demand', '逾期 9 天，达到催告函起点第 8 天 / 9 days overdue, demand from day 8');
    t.add('demand', '逾期 100 天，达到催告函起点第 8 天 / 100 days overdue, demand from day 8');
    t.add('none', '已结清 / nothing owed');
    t.add('lawyer-letter', '欠款 1,200.50 元 / x');
    t.add('lawyer-letter', '欠款 980.00 元 / x');
    const text = t.lines(200).join('\n');
    expect(text).toContain('3 × 逾期 9–100 天，达到催告函起点第 8 天'); // numeric, not text, order
    expect(text).toContain('2 × 欠款 980.00–1,200.50 元');
    expect(text).toContain('1 × 已结清');
  });
});
