/**
 * What a letter says must be true for this creditor (issue 28 §3): the credit-reporting
 * statement only as the creditor's setting says (nothing for a seller that does not report),
 * worded as 征信业管理条例 第十五条 requires; and for a contract with an arbitration clause,
 * 申请仲裁 before the named body, never 诉讼 — the guard refuses a letter that says it.
 */
import { describe, expect, it } from 'vitest';
import { renderText } from '../../../src/pipeline/index.js';
import { example } from '../../helpers.js';

const day = (x: Record<string, any>) => ({ today: x.issueDate as string });

describe.each(['lawyer-letter', 'demand'] as const)('%s@6', (kind) => {
  const base = () => example(kind, 6);

  it('says nothing of credit reporting for a seller that reports to no system', () => {
    const x = base();
    x.account.contractType = 'instalment-sale';
    x.creditor.creditReporting = { systems: [] };
    const t = renderText(x, day(x));
    expect(t).not.toContain('征信');
    delete x.creditor.creditReporting; // no setting at all: nothing either
    expect(renderText(x, day(x))).not.toContain('征信');
  });

  it('gives the advance notice of 第十五条 naming the creditor’s systems, and the right to object; a reported debt is stated as reported', () => {
    const x = base();
    x.creditor.creditReporting = { systems: ['baihang', 'pudao'] };
    const t = renderText(x, day(x)).replace(/\s/g, '');
    expect(t).toContain('《征信业管理条例》第十五条');
    expect(t).toContain('事先告知');
    expect(t).toContain('百行征信有限公司、朴道征信有限公司');
    expect(t).not.toContain('金融信用信息基础数据库');
    expect(t).toContain('第二十五条');
    expect(t).not.toMatch(/可依照合同约定，自/); // the discretionary “可” of the versions before
    x.account.creditReported = true;
    const reported = renderText(x, day(x)).replace(/\s/g, '');
    expect(reported).toContain('已依照规定向百行征信有限公司、朴道征信有限公司报送');
    expect(reported).not.toContain('事先告知');
  });

  it('for an arbitration clause says 申请仲裁 before the body and never 诉讼', () => {
    const x = base();
    x.account.disputeResolution = { type: 'arbitration', body: '上海国际仲裁中心' };
    const t = renderText(x, day(x));
    expect(t).toContain('申请仲裁');
    expect(t).toContain('上海国际仲裁中心');
    expect(t).not.toContain('诉讼');
    delete x.account.disputeResolution;
    expect(renderText(x, day(x))).toContain('提起诉讼');
  });
});

describe('the guard and an arbitration clause', () => {
  it('refuses a letter that says 提起诉讼 for a contract with an arbitration clause (a version that cannot say otherwise)', () => {
    const x = example('lawyer-letter', 5);
    x.account.disputeResolution = { type: 'arbitration', body: '北京仲裁委员会' };
    let error: any;
    try {
      renderText(x, { today: x.issueDate });
    } catch (e) {
      error = e;
    }
    expect(error?.code).toBe('COMPLIANCE');
    const forum = error.issues.filter((i: { code: string }) => i.code === 'COMPLIANCE_FORUM');
    expect(forum.length).toBeGreaterThan(0);
    expect(forum[0].message).toContain('提起诉讼');
    expect(forum[0].path).toBe('account.disputeResolution');
  });

  it('refuses a hand-written 提起诉讼 in a demand’s free text for an arbitration contract', () => {
    const x = example('demand', 2);
    x.account.disputeResolution = { type: 'arbitration', body: '北京仲裁委员会' };
    x.relief = { ...(x.relief ?? {}), note: '逾期不还，本公司将提起诉讼。' };
    expect(() => renderText(x, { today: x.issueDate })).toThrow(/COMPLIANCE|合规/);
  });
});
