/**
 * A seller's liquidated damages for late payment are not lending interest and get no lending
 * cap; a court may reduce them when they are excessive (民法典 第五百八十五条第二款), and damages
 * more than 30 % above the loss are generally excessive (合同编通则解释 第六十五条第二款). The
 * loss is the seller's own figure where it states one (`sale.loss`), else the loss from late
 * payment a court would otherwise award: the one-year LPR at the breach plus 50 %, the top of the
 * 30–50 % range (买卖合同解释 第十八条第四款), on the unpaid price for the days overdue. A warning,
 * never a refusal: the contract's damages may be justified by a loss the data does not show.
 */

import type { Warning } from '../facts/derive.js';
import { fenToFigures, rateToPercent } from '../facts/format.js';
import { daysBetween } from '../schema/dates.js';
import type { LetterData } from '../schema/validate.js';
import type { RateTable } from './rules.js';

export function saleDamagesWarnings(data: LetterData, rates: RateTable): Warning[] {
  if (data.account.contractType !== 'instalment-sale') return [];
  const damages = data.debt.overdueInterest + data.debt.penalty;
  if (damages <= 0) return [];
  let loss = data.sale?.loss;
  let basis = '出卖人载明的损失';
  if (loss === undefined) {
    const lpr = rates.lpr.filter((r) => r.from <= data.account.dueDate).at(-1);
    if (!lpr) return [];
    const schedule = data.terms?.schedule ?? [{ dueDate: data.account.dueDate, principal: data.debt.principal }];
    // Unpaid price × days overdue, each instalment from its own due date (payments ignored: the loss is not understated).
    let priceDays = 0n;
    for (const i of schedule)
      if (i.dueDate < data.asOf) priceDays += BigInt(i.principal) * BigInt(daysBetween(i.dueDate, data.asOf));
    const rate = (BigInt(lpr.scaled) * 3n) / 2n; // LPR + 50 %
    loss = Number((priceDays * rate) / (365n * 100_000_000n));
    basis = `按到期一年期LPR ${rateToPercent(lpr.scaled)} 加计50%（年化 ${rateToPercent(Number(rate))}）估算的逾期付款损失`;
  }
  // Exact: damages > loss × 1.3.
  if (damages * 10 <= loss * 13) return [];
  return [
    {
      code: 'SALE_DAMAGES_EXCESSIVE',
      message: `逾期付款违约金和违约金合计 ${fenToFigures(damages)} 元，超过${basis} ${fenToFigures(loss)} 元的百分之一百三十：可能被认定为过分高于造成的损失而被调减（民法典第五百八十五条第二款，合同编通则解释第六十五条第二款） / the seller's damages of ${fenToFigures(damages)} exceed the loss (${fenToFigures(loss)}) by more than 30 %: a court may reduce them (Civil Code art. 585(2))`,
    },
  ];
}
