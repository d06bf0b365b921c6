/**
 * Payment only through the creditor's own channels (letters.md): the conduct category
 * payment-diversion (rules/compliance.json) and the free-text check (src/compliance/free-text.ts)
 * against what a note can carry — a personal account, a payment app's handle, a link — while the
 * templates' own reassurances and warnings, the payment channels and the letter's own numbers pass.
 */
import { describe, expect, it } from 'vitest';
import { findConduct } from '../../../src/pipeline/compliance/conduct.js';
import { getConductRules } from '../../../src/pipeline/compliance/conduct-rules.js';
import { checkFreeText } from '../../../src/pipeline/compliance/free-text.js';
import { checkConduct } from '../../../src/pipeline/compliance/guard.js';
import { composeLetter } from '../../../src/pipeline/compose.js';
import { previewLetter, renderLetter } from '../../../src/pipeline/index.js';
import { getCatalog } from '../../../src/pipeline/templates/catalog.js';
import { HanjianError, type Issue } from '../../../src/shared/errors.js';
import { example, variant } from '../../helpers.js';

const rules = getConductRules();
const demand = example('demand', 2);
const withNote = (note: string) =>
  variant(demand, (x) => {
    x.relief.note = note;
  });

/** The guard's findings for a demand@2 whose note is `note` (none when it passes). */
function findings(input: unknown): Issue[] {
  try {
    composeLetter(input, { today: demand.issueDate });
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(HanjianError);
    expect((e as HanjianError).code).toBe('COMPLIANCE');
    return (e as HanjianError).issues;
  }
}
const categories = (s: string) => findConduct(s, rules).map((h) => h.category);

describe('payment diversion in a note is refused, naming the field and the words', () => {
  it.each([
    ['还款请转入个人账户6222020200112233445（户名王某）', '转入个人账户', '6222…3445'],
    ['也可转账至支付宝 13800000000（王经理）', '转账至支付宝', '1380…0000'],
    ['可加微信 wx_wangjl 办理还款', '微信 wx_wangjl', null],
  ])('%s', (note, words, number) => {
    const issues = findings(withNote(note));
    const conduct = issues.find((i) => i.code === 'COMPLIANCE_FORBIDDEN');
    expect(conduct).toMatchObject({ path: 'relief.note' });
    expect(conduct!.message).toContain(`“${words}”`);
    expect(conduct!.message).toContain(`（第 31 行：${note}）`);
    expect(conduct!.message).toContain('[rule payment-diversion, rules v3]');
    // Wording is the only finding of this kind: payment diversion is not third-party contact.
    expect(issues.filter((i) => i.code === 'COMPLIANCE_FORBIDDEN')).toHaveLength(1);
    if (number)
      expect(issues).toContainEqual(
        expect.objectContaining({
          code: 'COMPLIANCE_PAYMENT_CHANNEL',
          path: 'relief.note',
          message: expect.stringContaining(number),
        }),
      );
  });

  it('请访问 http://evil.example.com 还款: a link in free text', () => {
    const issues = findings(withNote('请访问 http://evil.example.com 还款'));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'COMPLIANCE_PAYMENT_CHANNEL',
        path: 'relief.note',
        message: expect.stringContaining('“http://evil.example.com”'),
      }),
    ]);
    expect(issues[0]!.message).toContain('[payment-diversion]');
  });

  it('through the library: renderLetter and previewLetter refuse before any PDF', async () => {
    await expect(
      renderLetter(withNote('还款请转入个人账户6222020200112233445（户名王某）'), { today: demand.issueDate }),
    ).rejects.toMatchObject({
      code: 'COMPLIANCE',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'relief.note', code: 'COMPLIANCE_FORBIDDEN' })]),
    });
    await expect(
      previewLetter(withNote('可加微信 wx_wangjl 办理还款'), { today: demand.issueDate }),
    ).rejects.toMatchObject({
      code: 'COMPLIANCE',
      issues: [expect.objectContaining({ path: 'relief.note', code: 'COMPLIANCE_FORBIDDEN' })],
    });
    await expect(
      previewLetter(withNote('请访问 http://evil.example.com 还款'), { today: demand.issueDate }),
    ).rejects.toMatchObject({ code: 'COMPLIANCE' });
  });
});

describe('variants of the same instruction', () => {
  it.each([
    '还款请转入 个人账户 ６２２２０２０２００１１２２３３４４５',
    '请 转账至 支付宝１３８００００００００',
    '也可转账至ALIPAY 13800000000',
    '请用Ａｌｉｐａｙ账号ｗａｎｇ＿ｊｌ８８还款',
    '可添加WeChat: wangjl_88 办理还款',
    '请用微信转账给我们',
    'QQ 12345678 联系还款',
    '对公账户维护中，本期请汇款至私人账户',
    '请将欠款打到业务员的个人银行卡上',
    '请扫描下方收款码完成还款',
    '请把钱转给王专员',
    '请将款项交给上门的工作人员',
    '收款人：李某',
    '请联系王经理 139 0000 1111 还款',
  ])('%s: payment-diversion', (s) => {
    expect(categories(s)).toContain('payment-diversion');
  });

  it.each([
    ['转账至6222 0202 0011 2233 445即可', '6222…3445'],
    ['账号：６２２２－０２０２－００１１－２２３３', '6222…2233'],
    ['请访问 www.evil-pay.cn 还款', 'www.evil-pay.cn'],
    ['请打开 evil.example.com/pay 还款', 'evil.example.com/pay'],
    ['请打开ｗｗｗ．ｅｖｉｌ．ｃｏｍ还款', 'www.evil.com'],
    ['HTTPS://EVIL.EXAMPLE.COM', 'HTTPS://EVIL.EXAMPLE.COM'],
    ['有疑问请发邮件至 wang.jl@example.net', 'wang.jl@example.net'],
  ])("%s: a number or link that is not the letter's own", (note, shown) => {
    const issues = findings(withNote(note));
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: 'COMPLIANCE_PAYMENT_CHANNEL',
        path: 'relief.note',
        message: expect.stringContaining(shown),
      }),
    );
  });
});

describe('honest text passes', () => {
  it.each([
    '本公司不会要求您向任何个人账户付款。',
    '如有人要求您向个人账户付款，请拒绝并举报。',
    '如有人以本公司名义要求您通过微信或支付宝转账，请拒绝并向本公司核实。',
    '请通过上述官方渠道还款，切勿向任何个人账户转账。',
    '请勿将款项交给任何工作人员或转入他人账户。',
    '您可以通过本公司微信公众号查询账单。',
    '扫描本函二维码可核实本函真伪。',
    '还款时请核对户名为本公司全称。',
    '如您需要协商，请联系您的客户经理。',
  ])('%s', (s) => {
    expect(findConduct(s, rules)).toEqual([]);
    expect(findings(withNote(s))).toEqual([]);
  });

  it("the letter's own numbers in a note: its account, phones, contract", () => {
    const own =
      '如需帮助，请拨打客服电话400-800-1234或困难帮扶专线400-800-1235；对公账号0200001234567890123；合同编号BT2024-098765。';
    expect(findings(withNote(own))).toEqual([]);
  });

  it("an online channel may name the creditor's website; a handle as a channel is refused", () => {
    const site = variant(demand, (x) => {
      x.creditor.paymentChannels[0].description = '本公司官网 www.example.com —我的账单—立即还款';
    });
    expect(findings(site)).toEqual([]);
    const handle = variant(demand, (x) => {
      x.creditor.paymentChannels[0].description = '支付宝 13800000000';
    });
    expect(findings(handle)).toContainEqual(
      expect.objectContaining({
        code: 'COMPLIANCE_FORBIDDEN',
        path: 'creditor.paymentChannels.0.description',
        message: expect.stringContaining('payment-diversion'),
      }),
    );
  });

  it('every template example passes the conduct rules and the free-text check', () => {
    for (const v of getCatalog().versions) {
      const x = v.example as { issueDate: string };
      const c = composeLetter(x, { today: x.issueDate });
      // Party names masked as the guard does: the channels print 户名<creditor>.
      expect(checkConduct({ ...c, templateFile: v.file }, rules), v.id).toEqual([]);
      expect(checkFreeText(c.data, c.text), v.id).toEqual([]);
    }
  });

  it('a field the template does not print is not checked', () => {
    const c = composeLetter(demand, { today: demand.issueDate });
    expect(
      checkFreeText({ ...c.data, relief: { ...c.data.relief, note: '请访问 http://evil.example.com 还款' } }, c.text),
    ).toEqual([]);
  });
});

describe("a named collector's private phone for repayment", () => {
  // 经理 is a third party when it is the debtor's (您单位的经理); 催收专员王经理 is the sender's
  // own staff, and repayment through a person's own mobile is diversion from the official channels.
  it('is payment diversion, not third-party contact', () => {
    expect(categories('请联系催收专员王经理 13900001111 还款')).toEqual(['payment-diversion']);
    const issues = findings(withNote('请联系催收专员王经理 13900001111 还款'));
    expect(issues.map((i) => i.code).sort()).toEqual(['COMPLIANCE_FORBIDDEN', 'COMPLIANCE_PAYMENT_CHANNEL']);
    expect(issues.map((i) => i.message).join(' ')).not.toContain('third parties');
  });

  it("the debtor's own manager is still a third party", () => {
    expect(categories('我们将联系您单位的王经理。')).toContain('third-party');
    expect(categories('我们将联系您的经理和主管。')).toContain('third-party');
  });
});
