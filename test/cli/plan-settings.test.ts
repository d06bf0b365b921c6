/** hanjian plan-settings: the creditor's repayment plan options from the terminal, validated like the API. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run.js';

describe('hanjian plan-settings', () => {
  it("sets, shows and clears an organisation's plan options; bad values exit 1 naming the field", async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'hanjian-ps-')), 'h.db');
    const cli = (args: string[]) =>
      runCli([...args, '--db', db], {
        env: { HANJIAN_DATA_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff' },
      });
    expect(
      (
        await cli([
          'orgs',
          'add',
          '--kind',
          'creditor',
          '--name',
          '北京某某科技有限公司',
          '--credit-code',
          '91110108MA01ABCD2H',
        ])
      ).code,
    ).toBe(0);
    const org = ['--org', '北京某某科技有限公司'];
    expect(JSON.parse((await cli(['plan-settings', 'show', ...org, '--json'])).stdout)).toEqual({ settings: null });
    const bad = await cli(['plan-settings', 'set', ...org, '--terms', '6,3', '--first-due-days', '15']);
    expect(bad.code).toBe(1);
    expect(bad.stderr + bad.stdout).toContain('terms');
    expect(
      (
        await cli([
          'plan-settings',
          'set',
          ...org,
          '--terms',
          '3,6,12',
          '--first-due-days',
          '15',
          '--min-instalment',
          '300.00',
        ])
      ).code,
    ).toBe(0);
    expect(JSON.parse((await cli(['plan-settings', 'show', ...org, '--json'])).stdout)).toMatchObject({
      settings: {
        terms: [3, 6, 12],
        firstDueDays: 15,
        minInstalment: '300.00',
        graceDays: 10,
        interest: 'stops',
        annualRateBp: null,
      },
    });
    expect((await cli(['plan-settings', 'show', ...org])).stdout).toContain('分期期间不另计逾期利息');
    // Interest continuing under a plan: a rate above the strictest cap (4 × LPR = 12 %) exits 1 naming annualRateBp.
    const over = await cli([
      'plan-settings',
      'set',
      ...org,
      '--terms',
      '3,6',
      '--first-due-days',
      '15',
      '--interest-rate-bp',
      '1300',
    ]);
    expect(over.code).toBe(1);
    expect(over.stderr + over.stdout).toContain('annualRateBp');
    expect(
      (
        await cli([
          'plan-settings',
          'set',
          ...org,
          '--terms',
          '3,6',
          '--first-due-days',
          '15',
          '--interest-rate-bp',
          '800',
        ])
      ).code,
    ).toBe(0);
    expect(JSON.parse((await cli(['plan-settings', 'show', ...org, '--json'])).stdout)).toMatchObject({
      settings: { terms: [3, 6], interest: 'continues', annualRateBp: 800 },
    });
    expect((await cli(['plan-settings', 'show', ...org])).stdout).toContain('分期期间按年利率 8% 计息');
    expect((await cli(['plan-settings', 'clear', ...org])).code).toBe(0);
    expect(JSON.parse((await cli(['plan-settings', 'show', ...org, '--json'])).stdout)).toEqual({ settings: null });
  });
});
