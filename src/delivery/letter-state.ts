/**
 * A letter's state as a person reads it on the 函件 page, in the CLI and in the API: one of
 * 已出具, 已交寄, 已送达, 拒收, 退回, 异议中, 已接受方案, 已付款, 已作废. It combines the delivery
 * state (lifecycle.ts) with what happened since: payments, the debtor's plan acceptance and an
 * open dispute on the letter's contract. Derived here and only here; the open dispute is told
 * by the caller (the debtors part owns disputes; history/letter-status.ts gathers it).
 *
 * Order (the first that holds): void; paid in full; an open dispute; a plan accepted; the
 * delivery state. A partial payment leaves the state as it was and shows in paidFen.
 */
import type { LetterRecord } from '../letters/letter-store.js';
import { type LetterEvent, type LetterState, outstandingFen, stateOf } from './lifecycle.js';

export const LETTER_STATUSES = [
  'issued',
  'dispatched',
  'delivered',
  'refused',
  'returned',
  'disputed',
  'plan-accepted',
  'paid',
  'void',
] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];

/** The words on the page: what a paralegal says about a letter. */
export const LETTER_STATUS_LABELS: Record<LetterStatus, string> = {
  issued: '已出具',
  dispatched: '已交寄',
  delivered: '已送达',
  refused: '拒收',
  returned: '退回',
  disputed: '异议中',
  'plan-accepted': '已接受方案',
  paid: '已付款',
  void: '已作废',
};

export interface LetterStatusView {
  status: LetterStatus;
  label: string;
  /** The delivery state alone (what may be recorded next follows it). */
  delivery: LetterState;
  paidFen: number;
  outstandingFen: number;
}

export function letterStatusOf(
  letter: Pick<LetterRecord, 'status' | 'totalFen'>,
  events: LetterEvent[],
  openDispute: boolean,
): LetterStatusView {
  const delivery = stateOf(letter, events);
  const outstanding = outstandingFen(letter, events);
  const paidFen = events
    .filter((e) => e.type === 'paid')
    .reduce((sum, e) => sum + ((e.details.amountFen as number | undefined) ?? 0), 0);
  const status: LetterStatus =
    delivery === 'void'
      ? 'void'
      : paidFen > 0 && outstanding === 0
        ? 'paid'
        : openDispute
          ? 'disputed'
          : events.some((e) => e.type === 'plan-accepted')
            ? 'plan-accepted'
            : delivery;
  return { status, label: LETTER_STATUS_LABELS[status], delivery, paidFen, outstandingFen: outstanding };
}

export function isLetterStatus(s: unknown): s is LetterStatus {
  return (LETTER_STATUSES as readonly unknown[]).includes(s);
}
