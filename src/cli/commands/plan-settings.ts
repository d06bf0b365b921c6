/** hanjian plan-settings: an organisation's repayment plan options, from the terminal (the same settings as PUT /v1/plan-settings). */
import { parseArgs } from 'node:util';
import { openRegistry } from '../../app/library.js';
import { fenToYuan } from '../../pipeline/index.js';
import { UsageError } from '../exit.js';
import type { Out } from '../io.js';
import { terminal } from '../terminal.js';
import { orgId } from './admin.js';

export const PLAN_SETTINGS_HELP = `hanjian plan-settings set --org ORG --terms 3,6,12 --first-due-days 15 [--min-instalment 300.00] [--grace-days 10] [--interest-rate-bp 800]
hanjian plan-settings show --org ORG [--json] | plan-settings clear --org ORG

The repayment plan options (分期还款方案) the organisation's demands and lawyer's letters
(version 3) print as 附件：分期还款方案: monthly instalments, the first due --first-due-days
after the letter's issue date; options whose instalment would be below --min-instalment are left
out; an instalment missed by more than --grace-days resumes escalation. "clear" offers none.
Interest stops under a plan unless --interest-rate-bp is given: then it continues at that annual
rate (basis points, 800 = 8 %) on the unpaid principal and the letter (demand@4, lawyer-letter@4)
states each option's cost; a rate above the strictest legal cap (today 4 × LPR = 12 %) is refused.
Example:
  hanjian plan-settings set --org 北京某某科技有限公司 --terms 3,6,12 --first-due-days 15 --min-instalment 300.00`;

export async function runPlanSettings(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      terms: { type: 'string' },
      'first-due-days': { type: 'string' },
      'min-instalment': { type: 'string' },
      'grace-days': { type: 'string' },
      'interest-rate-bp': { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !positionals[0]) return out.help(PLAN_SETTINGS_HELP);
  const sub = positionals[0];
  if (sub !== 'set' && sub !== 'show' && sub !== 'clear')
    throw new UsageError('plan-settings takes set, show or clear');
  const registry = openRegistry({ env: terminal().env, db: values.db });
  try {
    const org = await orgId(registry, values.org);
    const caller = { orgId: org, userId: null, keyId: 'cli', scopes: null };
    const plans = registry.plans;
    if (sub === 'clear') {
      out.line(
        (await plans.deleteSettings(caller))
          ? '已停止提供分期方案 / plans no longer offered'
          : '本来就没有设置 / there were no settings',
      );
      return 0;
    }
    if (sub === 'set') {
      const num = (v: string | undefined) => (v === undefined ? undefined : /^\d{1,3}$/.test(v) ? Number(v) : v);
      await plans.saveSettings(caller, {
        terms: values.terms?.split(',').map((t) => num(t.trim())),
        firstDueDays: num(values['first-due-days']),
        ...(values['min-instalment'] !== undefined ? { minInstalment: values['min-instalment'] } : {}),
        ...(values['grace-days'] !== undefined ? { graceDays: num(values['grace-days']) } : {}),
        ...(values['interest-rate-bp'] !== undefined
          ? {
              interest: 'continues',
              annualRateBp: /^\d{1,5}$/.test(values['interest-rate-bp'])
                ? Number(values['interest-rate-bp'])
                : values['interest-rate-bp'],
            }
          : {}),
      });
    }
    const s = await plans.settings(org);
    const view = s
      ? {
          terms: s.terms,
          firstDueDays: s.firstDueDays,
          minInstalment: fenToYuan(s.minInstalment),
          graceDays: s.graceDays,
          interest: s.interest ?? 'stops',
          annualRateBp: s.annualRateBp ?? null,
          updatedAt: s.updatedAt,
        }
      : null;
    if (values.json) return out.json({ settings: view });
    const cost = (v: NonNullable<typeof view>) =>
      v.annualRateBp !== null ? `分期期间按年利率 ${v.annualRateBp / 100}% 计息` : '分期期间不另计逾期利息';
    out.line(
      view
        ? `分 ${view.terms.join('、')} 期；第一期在发函后 ${view.firstDueDays} 天；每期不少于 ${view.minInstalment} 元；宽限 ${view.graceDays} 天；${cost(view)}`
        : '未设置：函件不附分期方案 / no settings: letters offer no plans',
    );
    return 0;
  } finally {
    await registry.close();
  }
}
