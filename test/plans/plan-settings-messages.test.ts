/** Plan settings refused with the project's bilingual messages (the letter schema's mapping), never zod's English. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { DEFAULT_ORG } from '../../src/orgs/model.js';

describe('plan settings refusals', () => {
  it('name each field in Chinese and English', async () => {
    const reg = openRegistry({ db: join(mkdtempSync(join(tmpdir(), 'hanjian-planmsg-')), 'h.db') });
    const plans = reg.plans;
    const caller = { orgId: DEFAULT_ORG, userId: null, keyId: 'admin', scopes: null };
    const messages = async (raw: unknown) =>
      (
        (await plans.saveSettings(caller, raw).catch((e: unknown) => e)) as {
          code: string;
          issues: { message: string }[];
        }
      ).issues.map((i) => i.message);
    expect(await messages({ terms: [3, 6] })).toEqual(['firstDueDays: 缺少必填字段 / required field is missing']);
    expect(await messages({ terms: [6, 3], firstDueDays: '15', graceDays: 99, extra: true })).toEqual(
      expect.arrayContaining([
        'terms: 期数须各不相同并从小到大排列，如 [3, 6, 12] / terms must be distinct and ascending, e.g. [3, 6, 12]',
        'firstDueDays: 类型错误，应为数字 / wrong type, expected number',
        'graceDays: 数值不能大于 30 / value must be at most 30',
        'extra: 未知字段“extra”（请检查拼写） / unknown field "extra" (check the spelling)',
      ]),
    );
    const body = await messages([1, 2]);
    expect(body).toEqual(['body: 类型错误，应为对象 / wrong type, expected object']);
    for (const m of [...body, ...(await messages({ terms: 'x', firstDueDays: 1.5 }))])
      expect(m).not.toMatch(/Invalid|expected \w+, received|Too (big|small)/);
    await reg.close();
  });
});
