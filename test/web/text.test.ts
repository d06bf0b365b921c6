/** The workspace's words: Chinese only, dates as the letters write them, moments in Beijing time. */
import { describe, expect, it } from 'vitest';
import { beijingDate, beijingTime, chineseDate, chineseOnly, problemInChinese } from '../../src/web/text.js';

describe('workspace text', () => {
  it('keeps the Chinese half of a reason, with its days written 2026年12月7日, codes untouched', () => {
    expect(
      chineseOnly('2026-11-20 的催告函付款期限 2026-12-07 尚未届满 / the demand of 2026-11-20 has not passed'),
    ).toBe('2026年11月20日 的催告函付款期限 2026年12月7日 尚未届满');
    expect(chineseOnly('合同 BT2025-06-01-001 与 2025-06-01X 不变')).toBe('合同 BT2025-06-01-001 与 2025-06-01X 不变');
  });

  it('dates and moments: one formatter (pipeline dateArabic), moments in Beijing time', () => {
    expect(chineseDate('2026-12-07')).toBe('2026年12月7日');
    expect(chineseDate('')).toBe('');
    expect(beijingTime('2026-12-07T11:29:30.000Z')).toBe('2026年12月7日 19:29');
    expect(beijingTime('2026-12-07T17:05:00.000Z')).toBe('2026年12月8日 01:05');
    expect(beijingDate('2026-12-07T17:05:00.000Z')).toBe('2026年12月8日');
  });

  it("a task row's problem: the Chinese half, without the input path the API puts first", () => {
    expect(
      problemInChinese({
        code: 'REQUIRED',
        path: 'debtor.address',
        detail: 'debtor.address: 缺少地址 / address missing',
      }),
    ).toBe('缺少地址');
    expect(problemInChinese({ code: 'TASK_FAILED', detail: '申请状态为 rejected，不能再审核' })).toBe(
      '申请状态为 rejected，不能再审核',
    );
    expect(problemInChinese(null)).toBe('');
  });
});
