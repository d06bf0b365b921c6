/**
 * The letter's figures against the ones its own terms give (interest.ts), and the basis the
 * debt table prints. A caller's interest or overdue interest that differs by more than rounding —
 * one fen per computed line, however the caller rounded — is a finding: a warning in a preview,
 * a refusal when a letter is issued, unless the input states another basis (`debt.basis:
 * "ledger"`, the creditor's own records), which the letter then says instead of a formula.
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import { addDays } from '../schema/dates.js';
import type { LetterData } from '../schema/validate.js';
import { dateArabic, fenToFigures, rateToPercent } from './format.js';
import { computeFigures, type FigureLine, type Figures } from './interest.js';

export function figuresOf(data: LetterData): Figures {
  const a = data.account;
  return computeFigures({
    principal: data.debt.principal,
    fees: data.debt.fees,
    paid: data.debt.paid,
    contractDate: a.contractDate,
    dueDate: a.dueDate,
    asOf: data.asOf,
    annualRate: a.annualRate,
    overdueDailyRate: a.overdueDailyRate,
    contractRateAfterDue: a.contractRateAfterDue,
    terms: data.terms,
  });
}

/** Findings (not yet errors or warnings: compose decides by mode and basis). */
export function reconcileFigures(data: LetterData, figures: Figures = figuresOf(data)): Issue[] {
  const out: Issue[] = [];
  const d = data.debt;
  const label = { interest: '利息', overdueInterest: '逾期利息' } as const;
  for (const item of ['interest', 'overdueInterest'] as const) {
    const lines = figures.lines.filter((l) => l.item === item);
    const tolerance = Math.max(0, lines.filter((l) => !l.scheduled).length);
    const diff = Math.abs(d[item] - figures[item]);
    if (diff > tolerance)
      out.push(
        makeIssue(
          `debt.${item}`,
          'FIGURES_MISMATCH',
          `${label[item]} ${fenToFigures(d[item])} 元与按合同条款计算的 ${fenToFigures(figures[item])} 元不符（${basisOf(lines, item) || '无计息依据'}）；如金额另有依据，请写明 debt.basis: "ledger"`,
          `${item} of ${fenToFigures(d[item])} differs from the ${fenToFigures(figures[item])} its terms give (${basisOf(lines, item, true) || 'nothing to charge it on'}); if it has another basis, state debt.basis: "ledger"`,
        ),
      );
  }
  if (data.terms?.schedule && figures.principal !== d.principal)
    out.push(
      makeIssue(
        'terms.schedule',
        'PRINCIPAL_MISMATCH',
        `各期本金之和 ${fenToFigures(figures.principal)} 元与本金 ${fenToFigures(d.principal)} 元不符`,
        `the instalments' principal adds up to ${fenToFigures(figures.principal)}, not the principal ${fenToFigures(d.principal)}`,
      ),
    );
  if (data.terms?.payments && figures.paymentsTotal !== d.paid)
    out.push(
      makeIssue(
        'terms.payments',
        'PAYMENTS_MISMATCH',
        `各笔还款之和 ${fenToFigures(figures.paymentsTotal)} 元与已还金额 ${fenToFigures(d.paid)} 元不符`,
        `the payments add up to ${fenToFigures(figures.paymentsTotal)}, not the paid amount ${fenToFigures(d.paid)}`,
      ),
    );
  return out;
}

/** "12,000.00元×日利率0.05%×29天（2026年11月18日至2026年12月16日）＝174.00元", one per line. */
export function lineText(l: FigureLine): string {
  const period = `${dateArabic(addDays(l.from, 1))}至${dateArabic(l.to)}`;
  if (l.scheduled) return `按还款计划约定，${dateArabic(l.dueDate)}到期一期${fenToFigures(l.amount)}元`;
  const rate = l.per === 'day' ? `日利率${rateToPercent(l.rate)}` : `年利率${rateToPercent(l.rate)}÷${l.yearDays}`;
  return `${fenToFigures(l.base)}元×${rate}×${l.days}天（${period}）＝${fenToFigures(l.amount)}元`;
}

function basisOf(lines: FigureLine[], item: FigureLine['item'], en = false): string {
  const text = lines.filter((l) => l.item === item).map(lineText);
  if (!en) return text.join('；');
  return lines
    .map((l) =>
      l.scheduled
        ? `${fenToFigures(l.amount)} as scheduled for ${l.dueDate}`
        : `${fenToFigures(l.base)} × ${rateToPercent(l.rate)}${l.per === 'year' ? `/${l.yearDays}` : ' a day'} × ${l.days} days = ${fenToFigures(l.amount)}`,
    )
    .join('; ');
}
