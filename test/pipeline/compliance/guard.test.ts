import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getConductRules, parseConductRules } from '../../../src/pipeline/compliance/conduct-rules.js';
import { checkForbidden, checkRequired } from '../../../src/pipeline/compliance/guard.js';
import { composeLetter } from '../../../src/pipeline/compose.js';
import { getCatalog, loadCatalog } from '../../../src/pipeline/templates/catalog.js';
import { HanjianError } from '../../../src/shared/errors.js';
import { example, ROOT, TODAY, variant } from '../../helpers.js';

function complianceError(fn: () => unknown): HanjianError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HanjianError);
    expect((e as HanjianError).code).toBe('COMPLIANCE');
    return e as HanjianError;
  }
  throw new Error('expected a COMPLIANCE error');
}

describe('forbidden content', () => {
  const rules = getConductRules();
  it.each([
    ['blanket-threat', '如不还款，后果自负。'],
    ['violence', '我们有人会找到你，注意人身安全。'],
    ['insult', '你这个老赖。'],
    ['criminal', '逾期将追究您的刑事责任。'],
    ['legal-status', '本案已向北京市朝阳区人民法院起诉。'],
    ['legal-status', '我们将冻结您的全部财产。'],
    ['family', '逾期将影响子女升学和政审。'],
    ['legal-status', '您已被列入失信黑名单。'],
    ['third-party', '我们将联系您的家人和单位。'],
    ['third-party', '我们将致电您工作单位的领导。'],
    ['visit', '近期将安排上门催收。'],
    ['legal-status', '您已被纳入失信名单。'],
    ['shaming', '将在社交媒体曝光。'],
    ['imitation', '请按传票要求到庭。'],
    ['imitation', '北京市公安局通知：'],
  ])('%s: %s', (category, sentence) => {
    const hits = checkForbidden(`正文第一行\n${sentence}`, rules);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.code).toBe('COMPLIANCE_FORBIDDEN');
    expect(hits[0]!.path).toBe('text:2');
    expect(hits.map((h) => h.message).join(' ')).toContain(`rule ${category}`);
  });

  it.each([
    '本公司不会向任何第三方透露您的欠款信息。',
    '如有人以本公司名义联系您的亲友，请拒绝并向我们举报。',
    '逾期还款属于民事纠纷，不涉及刑事责任。',
    '是否纳入失信被执行人名单由人民法院依法决定，本函不产生此种效果。',
    '单位：人民币元',
  ])('honest reassurance passes (negation, protective context): %s', (s) => {
    expect(checkForbidden(s, rules)).toEqual([]);
  });

  it('negation only counts in the clause before the words, and a rhetorical question negates nothing', () => {
    expect(checkForbidden('我们不会只打电话，还会联系你的家人。', rules)).not.toEqual([]);
    expect(checkForbidden('你不会跟朋友借吗？', rules)).not.toEqual([]);
    expect(checkForbidden('我们不会跟您的朋友联系。', rules)).toEqual([]);
  });

  it('refuses a rules file that names an unknown vocabulary list or does not compile', () => {
    const raw = JSON.parse(readFileSync(join(ROOT, 'rules', 'compliance.json'), 'utf8'));
    expect(() =>
      parseConductRules({ ...raw, categories: [{ id: 'x', zh: 'x', en: 'x', patterns: ['{nosuchlist}'] }] }),
    ).toThrow(/unknown vocabulary list \{nosuchlist\}/);
    expect(() =>
      parseConductRules({ ...raw, categories: [{ id: 'x', zh: 'x', en: 'x', patterns: ['(unclosed'] }] }),
    ).toThrow(/does not compile/);
    expect(() => parseConductRules({ ...raw, version: undefined })).toThrow(/version/);
  });

  it('leaves lawful sentences alone', () => {
    for (const s of [
      '委托人可依法提起诉讼。',
      '委托人及本所均不会要求您向任何个人账户付款。',
      '您有权请求人民法院或者仲裁机构予以适当减少。',
      '诉讼时效中断。',
    ]) {
      expect(checkForbidden(s, rules), s).toEqual([]);
    }
  });

  it('every released template passes the guard with its example', () => {
    for (const v of getCatalog().versions)
      expect(
        () => composeLetter(v.example, { today: (v.example as { issueDate: string }).issueDate }),
        v.id,
      ).not.toThrow();
  });

  it('rejects a template with a forbidden phrase, naming the phrase and where it is', () => {
    const bad = loadCatalog(join(ROOT, 'test', 'fixtures', 'templates', 'forbidden'));
    const e = complianceError(() => composeLetter(example('reminder'), { today: TODAY, catalog: bad }));
    expect(e.issues[0]).toMatchObject({ code: 'COMPLIANCE_FORBIDDEN' });
    expect(e.issues[0]!.message).toContain('后果自负');
    expect(e.issues[0]!.path).toMatch(/^templates\/reminder\/1\/letter\.hbs \(text:\d+\)$/);
  });

  it('catches forbidden phrases that arrive through the data, naming the field', () => {
    const e = complianceError(() =>
      composeLetter(
        variant(example('lawyer-letter'), (x) => {
          x.relief.note = '逾期将通知您的单位。';
        }),
        { today: TODAY },
      ),
    );
    expect(e.issues).toContainEqual(expect.objectContaining({ code: 'COMPLIANCE_FORBIDDEN', path: 'relief.note' }));
  });
});

describe('required content', () => {
  const base = composeLetter(example('lawyer-letter'), { today: TODAY });
  const without = (cut: string | RegExp) =>
    checkRequired({
      data: base.data,
      facts: base.facts,
      document: base.document,
      text: base.text.replace(
        cut instanceof RegExp ? cut : new RegExp(cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'),
        '',
      ),
      templateFile: 't.hbs',
    });

  it('the complete letter has everything', () => expect(without('@@@')).toEqual([]));
  it.each([
    ['北京某某科技有限公司', "creditor's full name"],
    ['400-800-1234', 'contact phone'],
    [/0200001234567890123|某某APP—我的—白条—立即还款/g, 'official payment channel'],
    ['异议', 'object'],
    ['12,426.00', 'total in figures'],
    ['壹万贰仟肆佰贰拾陆元整', 'total in capitals'],
    ['2026年12月7日', 'deadline'],
    ['接受', 'mandate'],
    ['王五', 'lawyer 王五'],
  ] as [string | RegExp, string][])('missing %s is reported (%s)', (cut, what) => {
    const issues = without(cut);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.code)).toContain('COMPLIANCE_REQUIRED_MISSING');
    expect(issues.map((i) => i.message).join(' ')).toContain(what);
  });
});

describe('charges against the caps', () => {
  it('rejects 0.1 % a day (36.5 % a year) for a licensed lender', () => {
    const input = variant(example('lawyer-letter'), (x) => {
      x.account.overdueDailyRate = '0.001';
    });
    const e = complianceError(() => composeLetter(input, { today: TODAY }));
    expect(e.issues).toContainEqual(
      expect.objectContaining({ code: 'CHARGE_OVER_CAP', path: 'account.overdueDailyRate' }),
    );
    expect(e.issues[0]!.message).toContain('36.5%');
  });

  it('turns the cap into a warning when configured', () => {
    const input = variant(example('lawyer-letter'), (x) => {
      x.account.overdueDailyRate = '0.001';
    });
    const r = composeLetter(input, { today: TODAY, compliance: { chargesOverCap: 'warn' } });
    expect(r.warnings.map((w) => w.code)).toContain('CHARGE_OVER_CAP');
  });

  it('caps interest, overdue interest, penalty and fees together, annualised over the principal in use', () => {
    // 12,000.00 in use from 2025-06-01 to 2026-11-28 (545 days): 24 % allows 4,300.27 in all.
    const input = variant(example('lawyer-letter'), (x) => {
      x.debt.penalty = '3900.00';
      delete x.debt.total;
    });
    const e = complianceError(() => composeLetter(input, { today: TODAY }));
    expect(e.issues).toContainEqual(expect.objectContaining({ code: 'CHARGE_OVER_CAP', path: 'debt' }));
  });

  it('uses 4 × the LPR at the contract date for private lending', () => {
    const privateLoan = (contractDate: string, annualRate: string) =>
      variant(example('lawyer-letter'), (x) => {
        x.account = { ...x.account, lenderType: 'private', contractDate, annualRate, overdueDailyRate: '0.0002' };
        x.debt.overdueInterest = '26.40'; // 12000 × 0.0002 × 11
        delete x.debt.total;
      });
    // 2024-08-01: LPR 3.35 % → cap 13.4 %; 2025-06-01: LPR 3.00 % → cap 12 %.
    expect(() => composeLetter(privateLoan('2024-08-01', '0.13'), { today: TODAY })).not.toThrow();
    const e = complianceError(() => composeLetter(privateLoan('2025-06-01', '0.13'), { today: TODAY }));
    expect(e.issues).toContainEqual(expect.objectContaining({ code: 'CHARGE_OVER_CAP', path: 'account.annualRate' }));
    expect(e.issues[0]!.message).toContain('12%');
    // 0.0002 × 365 = 7.3 % is under both caps; 0.0004 × 365 = 14.6 % is over 13.4 %.
    const e2 = complianceError(() =>
      composeLetter(
        variant(privateLoan('2024-08-01', '0.10'), (x) => {
          x.account.overdueDailyRate = '0.0004';
          x.debt.overdueInterest = '52.80';
        }),
        { today: TODAY },
      ),
    );
    expect(e2.issues).toContainEqual(expect.objectContaining({ path: 'account.overdueDailyRate' }));
  });
});

describe('personal data', () => {
  it('refuses an unmasked ID number or phone in the text', () => {
    const e = complianceError(() =>
      composeLetter(
        variant(example('lawyer-letter'), (x) => {
          x.relief.note = `身份证110105199003071239，手机13800138000`;
        }),
        { today: TODAY },
      ),
    );
    expect(e.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['debtor.idNumber', 'debtor.phone']));
  });

  it("refuses a bank channel that is not in the creditor's name", () => {
    const e = complianceError(() =>
      composeLetter(
        variant(example('lawyer-letter'), (x) => {
          x.creditor.paymentChannels[0].accountName = '张某某';
        }),
        { today: TODAY },
      ),
    );
    expect(e.issues).toContainEqual(
      expect.objectContaining({ code: 'COMPLIANCE_PAYMENT_CHANNEL', path: 'creditor.paymentChannels.0.accountName' }),
    );
  });
});

describe('party names', () => {
  const rules = getConductRules();
  it('a name that coincides with a forbidden word is a name; a forbidden word inside a longer name is caught', () => {
    expect(() =>
      composeLetter(
        variant(example('lawyer-letter'), (x) => {
          x.debtor.name = '王八';
        }),
        { today: TODAY },
      ),
    ).not.toThrow();
    const e = complianceError(() =>
      composeLetter(
        variant(example('lawyer-letter'), (x) => {
          x.debtor.name = '老赖张三';
        }),
        { today: TODAY },
      ),
    );
    expect(e.issues).toContainEqual(expect.objectContaining({ code: 'COMPLIANCE_FORBIDDEN', path: 'debtor.name' }));
  });

  it('addresses and product names are identity, not wording', () => {
    const input = variant(example('lawyer-letter', 2), (x) => {
      x.lawFirm.address = '上海市浦东新区到家路100号';
      x.account.product = '借呗';
    });
    expect(() => composeLetter(input, { today: input.issueDate })).not.toThrow();
  });

  it('second person: 你 and 您 alike', () => {
    for (const you of ['你', '您', '你们'])
      expect(checkForbidden(`我们将联系${you}的家人。`, rules), you).not.toEqual([]);
  });
});
