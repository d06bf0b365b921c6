/**
 * An instalment sale's demand for the whole price (民法典 第六百三十四条第一款): the seller may
 * ask for the whole price only when the buyer pays it in at least three instalments (买卖合同解释
 * 第二十七条第一款), the unpaid due part reaches one fifth of the whole price, and a demand (催告)
 * was left unanswered for a reasonable period. A letter that asks for more than is due without
 * all of that is refused; so is a sale's data on a loan.
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import type { ParsedLetter } from './letter.js';

/** Yuan with two decimals (schema comes before facts and keeps its own formatter). */
const fenToFigures = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

export function checkSaleRules(v: ParsedLetter, issueDate: string): Issue[] {
  const s = v.sale;
  if (!s) return [];
  if (v.account.contractType !== 'instalment-sale')
    return [
      makeIssue(
        'sale',
        'NOT_ALLOWED',
        '只有分期付款买卖合同（account.contractType: instalment-sale）可以提供 sale',
        'sale is only for an instalment sale (account.contractType: instalment-sale)',
      ),
    ];
  const out: Issue[] = [];
  if (s.unpaidDue > s.totalPrice)
    out.push(
      makeIssue(
        'sale.unpaidDue',
        'OUT_OF_RANGE',
        '到期未付价款不能超过全部价款',
        'the unpaid due part cannot exceed the whole price',
      ),
    );
  if (v.debt.principal > s.totalPrice)
    out.push(
      makeIssue(
        'debt.principal',
        'OUT_OF_RANGE',
        '所催价款不能超过全部价款',
        'the price demanded exceeds the whole price',
      ),
    );
  if (!s.accelerate) {
    if (v.debt.principal > s.unpaidDue)
      out.push(
        makeIssue(
          'debt.principal',
          'PRICE_NOT_DUE',
          `所催价款 ${fenToFigures(v.debt.principal)} 元超过到期未付价款 ${fenToFigures(s.unpaidDue)} 元：请求支付全部价款须符合民法典第六百三十四条第一款的条件（sale.accelerate）`,
          `the price demanded (${fenToFigures(v.debt.principal)}) exceeds the unpaid due part (${fenToFigures(s.unpaidDue)}): the whole price may only be demanded under Civil Code art. 634(1) (sale.accelerate)`,
        ),
      );
    return out;
  }
  const why: [string, string][] = [];
  if (s.instalments < 3)
    why.push([
      `约定分${s.instalments}期支付，不足三期，不属于分期付款（买卖合同解释第二十七条第一款）`,
      `${s.instalments} instalments: fewer than three is no instalment sale (Sales Interpretation art. 27(1))`,
    ]);
  // Exact in fen: unpaid due × 5 ≥ whole price.
  if (s.unpaidDue * 5 < s.totalPrice)
    why.push([
      `到期未付价款 ${fenToFigures(s.unpaidDue)} 元未达到全部价款 ${fenToFigures(s.totalPrice)} 元的五分之一`,
      `the unpaid due part ${fenToFigures(s.unpaidDue)} is less than one fifth of the whole price ${fenToFigures(s.totalPrice)}`,
    ]);
  if (!s.priorDemand)
    why.push([
      '没有在先的催告（sale.priorDemand）：须经催告后在合理期限内仍未支付',
      'no earlier demand (sale.priorDemand): the buyer must have been asked and left a reasonable period',
    ]);
  else if (s.priorDemand.deadline >= issueDate || s.priorDemand.date > s.priorDemand.deadline)
    why.push([
      `在先催告的期限 ${s.priorDemand.deadline} 尚未届满`,
      `the earlier demand's period (to ${s.priorDemand.deadline}) has not passed`,
    ]);
  if (why.length)
    out.push(
      makeIssue(
        'sale.accelerate',
        'ACCELERATION_NOT_ALLOWED',
        `不能请求支付全部价款（民法典第六百三十四条第一款）：${why.map((w) => w[0]).join('；')}`,
        `the whole price cannot be demanded (Civil Code art. 634(1)): ${why.map((w) => w[1]).join('; ')}`,
      ),
    );
  return out;
}
