/**
 * The contract terms the figures are computed from (issue 27): how interest is counted, the
 * instalments the letter claims, dated payments, and whether compound interest was agreed.
 * Optional: without them a letter's debt is one instalment — the whole principal due on
 * account.dueDate, bearing contract interest from the contract date — and payments are undated.
 */
import { z } from 'zod';
import { isoDate, money } from './fields.js';

export const termsSchema = z.strictObject({
  /** The contract's day count: the annual rate is divided by 365 (default) or 360 days. */
  yearDays: z.union([z.literal(365), z.literal(360)]).optional(),
  /** The first day contract interest runs from (default: account.contractDate, the day the loan was made). */
  interestFrom: isoDate.optional(),
  /**
   * The instalments the letter claims, as agreed: each one's due date and principal (or price
   * for a sale), and its interest where the contract's repayment schedule states it (else it is
   * computed on the principal still outstanding, from the previous due date or interestFrom).
   */
  schedule: z
    .array(z.strictObject({ dueDate: isoDate, principal: money, interest: money.optional() }))
    .min(1)
    .max(120)
    .optional(),
  /** Dated payments since the first instalment fell due; they add up to debt.paid. */
  payments: z
    .array(z.strictObject({ date: isoDate, amount: money }))
    .max(500)
    .optional(),
  /** Compound interest, only where the contract says it was agreed: overdue interest also runs on unpaid contract interest. */
  compounding: z.enum(['agreed']).optional(),
  /**
   * The order payments are applied in. Absent or `statutory`: 民法典 第五百六十一条 — costs, then
   * interest, then principal. `principal-first` only where the contract agreed it.
   */
  paymentOrder: z.enum(['statutory', 'principal-first']).optional(),
});
export type Terms = z.output<typeof termsSchema>;

/**
 * Where the interest figures come from. Absent or `contract`: computed from the terms, and a
 * caller's figure that differs beyond rounding is refused at issue. `ledger`: the creditor's own
 * account records, stated explicitly — the letter says so instead of printing a formula.
 */
export const FIGURES_BASIS = ['contract', 'ledger'] as const;

/**
 * An instalment sale (分期付款买卖): what is needed to check a demand for the whole price under
 * 民法典 第六百三十四条第一款 — at least three instalments (买卖合同解释 第二十七条), the unpaid due
 * part at least one fifth of the whole price, and a prior demand whose reasonable period passed.
 */
export const saleSchema = z.strictObject({
  /** The whole price agreed (全部价款). */
  totalPrice: money,
  /** How many instalments the price is paid in. */
  instalments: z.number().int().min(1).max(360),
  /** The part of the price due and unpaid on the as-of date (到期未付价款). */
  unpaidDue: money,
  /** The letter demands the whole unpaid price, not only what is due. */
  accelerate: z.boolean().optional(),
  /** The earlier demand (催告) for the due part, and the period it gave. */
  priorDemand: z.strictObject({ date: isoDate, deadline: isoDate }).optional(),
  /** The seller's actual loss from the late payment, where it states one (else estimated from the LPR). */
  loss: money.optional(),
});
export type Sale = z.output<typeof saleSchema>;
