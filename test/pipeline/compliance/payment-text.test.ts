/**
 * Issue 32, high 2 and medium 3: the payment-channel scan reads the whole rendered text of a
 * letter — a firm's template wording as well as the free-text fields — allowing only the
 * letter's own numbers, and reads Chinese numerals (〇零一二…九, 壹贰叁…玖, 两) and full-width
 * digits as digits first. Every built-in example and golden letter passes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldDigits } from '../../../src/pipeline/compliance/fold.js';
import { checkFreeText } from '../../../src/pipeline/compliance/free-text.js';
import { composeLetter } from '../../../src/pipeline/compose.js';
import { getCatalog } from '../../../src/pipeline/templates/catalog.js';
import { HanjianError, type Issue } from '../../../src/shared/errors.js';
import { example, ROOT, variant } from '../../helpers.js';

const lawyer = example('lawyer-letter', 2);
const composed = composeLetter(lawyer, { today: lawyer.issueDate });
const FILE = 'firm/lawyer-letter/5/letter.hbs';

/** The letter's text with `sentence` added as a paragraph of the template's own wording (as a firm version would). */
const withWording = (sentence: string) => {
  const lines = composed.text.split('\n');
  lines.splice(20, 0, sentence);
  return lines.join('\n');
};
const payment = (issues: Issue[]) => issues.filter((i) => i.code === 'COMPLIANCE_PAYMENT_CHANNEL');

describe('template wording is scanned, not only free-text fields', () => {
  it('the audit’s firm sentence: an account that is not the creditor’s, named by the template file and line', () => {
    const issues = checkFreeText(
      composed.data,
      withWording('您亦可将上述款项汇至本所代收账户：户名北京某某律师事务所，账号6217000012345678901。'),
      FILE,
    );
    expect(payment(issues)).toEqual([
      expect.objectContaining({
        path: `${FILE} (text:21)`,
        message: expect.stringContaining('6217…8901（19 位'),
      }),
    ]);
  });

  it.each([
    ['请汇至账号六二一七零零零零一二三四五六七八九零一', '6217…8901'],
    ['账号：陆贰壹柒〇〇〇〇壹贰叁肆伍陆柒捌玖〇壹', '6217…8901'],
    ['或转账至 ６２１７ ０００ ０１２３ ４５６７ ８９０１', '6217…8901'],
    ['请联系王专员一三九零零零零一一一一', '1390…1111'],
    ['请联系王专员幺三九 两两两两 一一一一', '1392…1111'],
  ])('numerals of any kind are read as digits: %s', (sentence, shown) => {
    const issues = payment(checkFreeText(composed.data, withWording(sentence), FILE));
    expect(issues).toEqual([expect.objectContaining({ message: expect.stringContaining(shown) })]);
  });

  it('a link in template wording is refused; in an online payment channel it is the creditor’s own', () => {
    expect(payment(checkFreeText(composed.data, withWording('请登录 www.pay-evil.cn 还款。'), FILE))).toContainEqual(
      expect.objectContaining({ path: `${FILE} (text:21)`, message: expect.stringContaining('www.pay-evil.cn') }),
    );
    const site = composeLetter(
      variant(lawyer, (x) => {
        x.creditor.paymentChannels[1].description = '本公司官网 www.example.com —我的账单—立即还款';
      }),
      { today: lawyer.issueDate },
    );
    expect(payment(checkFreeText(site.data, site.text, FILE))).toEqual([]);
  });

  it('a note in Chinese numerals is named by its field, as before', () => {
    const demand = example('demand', 2);
    const input = variant(demand, (x) => {
      x.relief.note = '请汇至账号六二一七零零零零一二三四五六七八九零一';
    });
    let error: unknown;
    try {
      composeLetter(input, { today: demand.issueDate });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HanjianError);
    expect((error as HanjianError).issues).toContainEqual(
      expect.objectContaining({
        code: 'COMPLIANCE_PAYMENT_CHANNEL',
        path: 'relief.note',
        message: expect.stringContaining('6217…8901'),
      }),
    );
  });
});

describe('honest letters pass', () => {
  it('the anti-fraud warning other engineers keep passing: no payment finding', () => {
    expect(payment(checkFreeText(composed.data, withWording('请谨防骗子，切勿向任何个人账户转账。'), FILE))).toEqual(
      [],
    );
  });

  it('the letter’s own numbers anywhere in the wording: accounts, phones, licences, codes, contract and engagement numbers', () => {
    const own = [
      '本所电话010-65001234，委托人客服电话400-800-1234。',
      '委托人统一社会信用代码91110108MA01ABCD2H。',
      '委托合同京某律委字2026-0311。',
      '账号０２００００１２３４５６７８９０１２３。',
      '金额人民币壹万贰仟肆佰贰拾陆元整（12,426.00元），二〇二六年十二月一日。',
    ];
    for (const sentence of own)
      expect(payment(checkFreeText(composed.data, withWording(sentence), FILE)), sentence).toEqual([]);
  });

  it('every built-in example, as composed and as its golden text, passes the whole-text scan', () => {
    for (const v of getCatalog().versions) {
      const x = v.example as { issueDate: string };
      const c = composeLetter(x, { today: x.issueDate });
      expect(checkFreeText(c.data, c.text, v.file), v.id).toEqual([]);
      const golden = readFileSync(join(ROOT, 'test', 'golden', `${v.id}.txt`), 'utf8');
      expect(checkFreeText(c.data, golden, v.file), `${v.id} golden`).toEqual([]);
    }
  });
});

describe('foldDigits', () => {
  it('reads 〇零一二三四五六七八九, 壹贰叁肆伍陆柒捌玖 (and their traditional forms), 两, 幺 and full-width digits as digits', () => {
    expect(foldDigits('〇零一二三四五六七八九')).toBe('00123456789');
    expect(foldDigits('壹贰叁肆伍陆柒捌玖貳參陸兩两幺')).toBe('123456789236221');
    expect(foldDigits('６２１７①𝟔')).toBe('621716');
    // Positional characters are not digits: amounts in capitals stay apart.
    expect(foldDigits('壹万贰仟肆佰贰拾陆元整')).toBe('1万2仟4佰2拾6元整');
  });
});
