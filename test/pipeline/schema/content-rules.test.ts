/** letterNo and engagement rules (src/schema/content-rules.ts), through validateLetter so they report with every other issue. */
import { describe, expect, it } from 'vitest';
import { validateLetter } from '../../../src/pipeline/schema/validate.js';
import { example, TODAY, variant } from '../../helpers.js';

const issues = (input: unknown) => {
  const r = validateLetter(input, { today: TODAY });
  return r.ok ? [] : r.issues.map((i) => `${i.code} ${i.path}`);
};
const lawyer = (letterNo: string) =>
  variant(example('lawyer-letter'), (x) => {
    x.letterNo = letterNo;
  });
const demand = (letterNo: string, prefix?: string) =>
  variant(example('demand'), (x) => {
    x.letterNo = letterNo;
    if (prefix) x.creditor.letterPrefix = prefix;
  });

describe('letterNo', () => {
  it.each([
    '（2026）京0105民初12345号',
    '(2026)京01民终678号',
    '（2026）沪0115执9876号',
    '（2026）粤03财保12号',
    '北京市朝阳区人民法院（2026）第0001号',
  ])("refuses what looks like a court case number or an authority's reference: %s", (no) => {
    expect(issues(lawyer(no))).toEqual(['LETTER_NO_COURT_LIKE letterNo']);
    expect(issues(demand(no))).toEqual(['LETTER_NO_COURT_LIKE letterNo']);
  });

  it("refuses another firm's prefix on a lawyer's letter, and a malformed number", () => {
    expect(issues(lawyer('（2026）沪某律函字第0001号'))).toEqual(['LETTER_NO_PREFIX letterNo']);
    expect(issues(lawyer('京某律函字0001'))).toEqual(['LETTER_NO_FORMAT letterNo']);
  });

  it("refuses a law firm's number on a creditor's own letter, and a number without the creditor's own prefix", () => {
    expect(issues(demand('（2026）京某律函字第0001号'))).toEqual(['LETTER_NO_PREFIX letterNo']);
    expect(issues(demand('（2026）其他公司催字第0001号', '某某科技催字'))).toEqual(['LETTER_NO_PREFIX letterNo']);
    expect(issues(demand('某某科技催字（2026）第0042号', '某某科技催字'))).toEqual([]);
  });

  it('refuses a year other than the issue year', () => {
    expect(issues(lawyer('（2025）京某律函字第0128号'))).toEqual(['LETTER_NO_YEAR letterNo']);
  });

  it("accepts the examples' own numbers", () => {
    expect(issues(example('lawyer-letter'))).toEqual([]);
    expect(issues(example('demand'))).toEqual([]);
  });
});

describe('engagement', () => {
  it("is only for lawyer's letters and never after the issue date", () => {
    expect(
      issues(
        variant(example('demand'), (x) => {
          x.engagement = { date: '2026-09-01' };
        }),
      ),
    ).toEqual(['NOT_ALLOWED engagement']);
    expect(
      issues(
        variant(example('lawyer-letter'), (x) => {
          x.engagement = { date: '2026-11-29' };
        }),
      ),
    ).toEqual(['DATE_ORDER engagement.date']);
    expect(
      issues(
        variant(example('lawyer-letter'), (x) => {
          x.engagement = { date: '2026-11-20', reference: '委字<script>' };
        }),
      ),
    ).toEqual(['ENGAGEMENT_REFERENCE_FORMAT engagement.reference']);
  });
});
