/**
 * The rules of a letter's life after it is issued (送达): dispatched by a channel, then
 * delivered, returned or refused; a payment against it; void ends everything. Which event may
 * follow which state, what times are possible, what a payment may cover — pure functions that
 * delivery.ts applies. The delivery record matters in law: a demand interrupts the limitation
 * period only once it reaches the debtor.
 */
import { z } from 'zod';
import type { LetterRecord } from '../letters/letter-store.js';
import { fenToYuan } from '../pipeline/facts/format.js';
import { HanjianError } from '../shared/errors.js';
import { EVENT_LABELS, stateLabel } from './labels.js';

export const EVENT_TYPES = ['dispatched', 'delivered', 'returned', 'refused', 'paid'] as const;
/** Events a caller records through the API; `plan-accepted` is recorded by the system when the debtor accepts a plan. */
export type EventType = (typeof EVENT_TYPES)[number] | 'plan-accepted';
export const CHANNELS = ['ems', 'registered-mail', 'email', 'sms-link', 'in-app'] as const;
export type LetterState = 'issued' | 'dispatched' | 'delivered' | 'returned' | 'refused' | 'void';

/** Which event may follow which state; a returned letter may be sent again. Payments are recorded in any live state. */
const NEXT: Record<Exclude<LetterState, 'void'>, EventType[]> = {
  issued: ['dispatched', 'paid'],
  dispatched: ['delivered', 'returned', 'refused', 'paid'],
  delivered: ['paid'],
  returned: ['dispatched', 'paid'],
  refused: ['dispatched', 'paid'],
};

const isoMoment = z
  .string()
  .max(40)
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
    {
      params: {
        code: 'DATETIME_FORMAT',
        zh: '应为带时区的 ISO 8601 时间，如 2026-12-01T09:00:00+08:00',
        en: 'an ISO 8601 time with its offset, e.g. 2026-12-01T09:00:00+08:00',
      },
    },
  );
/**
 * A time as a person types it, in Beijing time, as the ISO moment the events take: 2026-12-07 09:30
 * (or with a T, as a datetime-local field sends it) gets +08:00; a bare date means noon that day
 * (now, when that is still ahead: a date of today is entered after the fact); anything else is
 * left for the schema to refuse with its message.
 */
export function beijingMoment(v: string, now: Date = new Date()): string {
  const t = v.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/.exec(t);
  if (m) return `${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const noon = `${t}T12:00:00+08:00`;
    if (Date.parse(noon) <= now.getTime()) return noon;
    const wall = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 19);
    return wall.startsWith(t) ? `${wall}+08:00` : noon;
  }
  return t;
}

/** A recorded time may lead the server's clock by this much (a caller's clock runs a little fast); more is a typo or a guess. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** Proof files (a receipt scan, the carrier's PDF) uploaded first with POST /v1/letters/:id/proofs, named by their sha256. */
const proofs = z
  .array(z.string().regex(/^[0-9a-f]{64}$/))
  .max(5)
  .optional();
export const letterEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('dispatched'),
    at: isoMoment,
    channel: z.enum(CHANNELS),
    trackingNo: z
      .string()
      .regex(/^[A-Za-z0-9-]{4,40}$/)
      .optional(),
    address: z.string().min(2).max(200).optional(),
    proofs,
  }),
  z.strictObject({ type: z.literal('delivered'), at: isoMoment, note: z.string().max(200).optional(), proofs }),
  z.strictObject({ type: z.literal('returned'), at: isoMoment, note: z.string().max(200).optional(), proofs }),
  z.strictObject({ type: z.literal('refused'), at: isoMoment, note: z.string().max(200).optional(), proofs }),
  // Overpayment happens (a debtor rounds up, pays twice): it is recorded only when the caller says so, so a typo is not.
  z.strictObject({
    type: z.literal('paid'),
    at: isoMoment,
    amount: z.union([z.string(), z.number()]),
    overpayment: z.boolean().optional(),
    proofs,
  }),
]);

export interface LetterEvent {
  id: string;
  letterId: string;
  seq: number;
  type: EventType;
  at: string;
  actor: string;
  details: Record<string, unknown>;
  createdAt: string;
}

/** The delivery state: the last state-changing event, or issued; void above all. */
export function stateOf(letter: Pick<LetterRecord, 'status'>, events: LetterEvent[]): LetterState {
  if (letter.status === 'void') return 'void';
  const last = events.filter((e) => e.type !== 'paid' && e.type !== 'plan-accepted').at(-1);
  return (last?.type as LetterState | undefined) ?? 'issued';
}

/** Whether `type` may be recorded now: which event may follow which state. */
export function mayFollow(state: LetterState, type: EventType): boolean {
  return state !== 'void' && NEXT[state].includes(type);
}

/** Addresses are personal data: kept masked in events (the district, not the door). */
export function maskAddress(a: string): string {
  const chars = [...a];
  return chars.length <= 6 ? `${chars[0]}****` : `${chars.slice(0, 6).join('')}****`;
}

/** The letter's total less the payments recorded so far (never below zero): what a payment may cover. */
export function outstandingFen(letter: Pick<LetterRecord, 'totalFen'>, events: LetterEvent[]): number {
  const paid = events
    .filter((x) => x.type === 'paid')
    .reduce((sum, x) => sum + ((x.details.amountFen as number | undefined) ?? 0), 0);
  return Math.max(0, letter.totalFen - paid);
}

/**
 * An event's time must be possible: not ahead of the clock (beyond a small skew), not before the
 * letter's issue date, and a delivery event not before the delivery event it follows. Payments are
 * checked against the issue date and the clock only: a bank transfer is often recorded days after
 * it was made, after the mail's events were already entered.
 */
export function checkTime(
  letter: LetterRecord,
  events: LetterEvent[],
  type: EventType,
  at: string,
  state: LetterState,
  now: Date,
): void {
  const t = Date.parse(at);
  const refuse = (code: string, zh: string, en: string, status: 'invalid_input' | 'conflict') => {
    throw new HanjianError({
      code,
      category: status,
      path: 'at',
      zh: `${zh}（函件当前状态：${stateLabel(state)}）`,
      en: `${en} (the letter is ${state})`,
    });
  };
  if (t > now.getTime() + CLOCK_SKEW_MS)
    refuse('EVENT_IN_FUTURE', `时间 ${at} 晚于当前时间`, `${at} is in the future`, 'invalid_input');
  const issued = `${letter.issueDate}T00:00:00+08:00`;
  if (t < Date.parse(issued))
    refuse(
      'EVENT_OUT_OF_ORDER',
      `时间 ${at} 早于函件的出具日期 ${letter.issueDate}`,
      `${at} is before the letter's issue date ${letter.issueDate}`,
      'conflict',
    );
  if (type === 'paid') return;
  const previous = events.filter((x) => x.type !== 'paid' && x.type !== 'plan-accepted').at(-1);
  if (previous && t < Date.parse(previous.at)) {
    refuse(
      'EVENT_OUT_OF_ORDER',
      `时间 ${at} 早于上一事件（${EVENT_LABELS[previous.type]}，${previous.at}）`,
      `${at} is before the previous event (${previous.type} at ${previous.at})`,
      'conflict',
    );
  }
}

/** Payments carry the yuan string beside the fen (the README's money rule); rows written before it get it on reading. */
export function withYuan(details: Record<string, unknown>): Record<string, unknown> {
  if (typeof details.amountFen !== 'number' || typeof details.amount === 'string') return details;
  const { amountFen, ...rest } = details;
  return { ...rest, amount: fenToYuan(amountFen), amountFen };
}
