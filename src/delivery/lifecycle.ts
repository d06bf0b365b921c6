/**
 * What happens to a letter after it is issued (送达): dispatched by a channel, then delivered,
 * returned or refused; a payment against it; void ends everything. Each change is an event with
 * its time, actor and details, appended in the audit trail too. The delivery record matters in
 * law: a demand interrupts the limitation period only once it reaches the debtor.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit.js';
import type { LetterRecord } from '../letters/letter-store.js';
import { fenToYuan } from '../pipeline/facts/format.js';
import { zodIssues } from '../pipeline/schema/issues.js';
import { parseYuanToFen } from '../pipeline/schema/money.js';
import { HanjianError, invalidInput, makeIssue } from '../shared/errors.js';
import type { Db } from '../store/db.js';
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

/** Addresses are personal data: kept masked in events (the district, not the door). */
function maskAddress(a: string): string {
  const chars = [...a];
  return chars.length <= 6 ? `${chars[0]}****` : `${chars.slice(0, 6).join('')}****`;
}

export class Lifecycle {
  constructor(
    private db: Db,
    private audit: AuditLog,
  ) {}

  async events(letterId: string): Promise<LetterEvent[]> {
    return (await this.db.all('SELECT * FROM letter_events WHERE letter_id = ? ORDER BY seq', [letterId])).map((r) => ({
      id: r.id as string,
      letterId: r.letter_id as string,
      seq: r.seq as number,
      type: r.type as EventType,
      at: r.at as string,
      actor: r.actor as string,
      details: withYuan(JSON.parse(r.details as string) as Record<string, unknown>),
      createdAt: r.created_at as string,
    }));
  }

  /** The delivery state: the last state-changing event, or issued; void above all. */
  state(letter: LetterRecord, events: LetterEvent[]): LetterState {
    if (letter.status === 'void') return 'void';
    const last = events.filter((e) => e.type !== 'paid' && e.type !== 'plan-accepted').at(-1);
    return (last?.type as LetterState | undefined) ?? 'issued';
  }

  async record(
    letter: LetterRecord,
    raw: unknown,
    actor: string,
    proofExists: (sha: string) => Promise<boolean> = async () => true,
    now: Date = new Date(),
  ): Promise<LetterEvent> {
    const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
    if (!(EVENT_TYPES as readonly unknown[]).includes(type)) {
      const opts = EVENT_TYPES.join('、');
      throw invalidInput([
        type === undefined
          ? makeIssue(
              'type',
              'REQUIRED',
              `缺少事件类型，可选：${opts}`,
              `the event type is missing; one of ${EVENT_TYPES.join(', ')}`,
            )
          : makeIssue(
              'type',
              'INVALID_VALUE',
              `事件类型无效，可选：${opts}`,
              `unknown event type; one of ${EVENT_TYPES.join(', ')}`,
            ),
      ]);
    }
    const parsed = letterEventSchema.safeParse(raw);
    if (!parsed.success) throw invalidInput(zodIssues(parsed.error, raw));
    const e = parsed.data;
    const found = await Promise.all((e.proofs ?? []).map((sha) => proofExists(sha)));
    const unknown = (e.proofs ?? []).map((sha, i) => [sha, i] as const).filter(([, i]) => !found[i]);
    if (unknown.length)
      throw invalidInput(
        unknown.map(([, i]) =>
          makeIssue(
            `proofs.${i}`,
            'PROOF_NOT_FOUND',
            '没有这个证明文件（请先上传）',
            'no such proof file (upload it first)',
          ),
        ),
      );
    return this.db.transaction(async () => {
      // The letter's events are locked while the state is read and the next event appended: two instances never both append after "issued".
      await this.db.lock(`events:${letter.id}`);
      const events = await this.events(letter.id);
      const state = this.state(letter, events);
      if (state === 'void' || !NEXT[state].includes(e.type)) {
        throw new HanjianError({
          code: 'TRANSITION_NOT_ALLOWED',
          category: 'conflict',
          path: 'type',
          zh: `函件当前状态为${stateLabel(state)}，不能记录${EVENT_LABELS[e.type]}（${e.type}）`,
          en: `the letter is ${state}: ${e.type} cannot be recorded now`,
          issues: [
            makeIssue('type', 'TRANSITION_NOT_ALLOWED', `当前状态：${stateLabel(state)}`, `current state: ${state}`),
          ],
        });
      }
      checkTime(letter, events, e.type, e.at, state, now);
      const details: Record<string, unknown> = { ...e };
      delete details.type;
      delete details.at;
      if (e.type === 'dispatched' && e.address) details.address = maskAddress(e.address);
      if (e.type === 'paid') {
        const fen = parseYuanToFen(e.amount);
        if (!fen.ok || fen.fen <= 0)
          throw invalidInput([
            makeIssue(
              'amount',
              'MONEY_FORMAT',
              '金额应为正数，最多两位小数',
              'the amount must be positive, with at most two decimals',
            ),
          ]);
        const outstanding = outstandingFen(letter, events);
        if (fen.fen > outstanding && e.overpayment !== true) {
          throw new HanjianError({
            code: 'AMOUNT_ABOVE_OUTSTANDING',
            category: 'conflict',
            path: 'amount',
            zh: `还款金额 ${fenToYuan(fen.fen)} 元超过尚欠金额 ${fenToYuan(outstanding)} 元（函件金额 ${fenToYuan(letter.totalFen)} 元减已记录还款；函件当前状态：${stateLabel(state)}）；确属多付时请加 "overpayment": true`,
            en: `the amount ${fenToYuan(fen.fen)} exceeds the outstanding ${fenToYuan(outstanding)} (the letter's total ${fenToYuan(letter.totalFen)} less recorded payments; the letter is ${state}); if the debtor really overpaid, send "overpayment": true`,
          });
        }
        delete details.overpayment;
        details.amount = fenToYuan(fen.fen);
        details.amountFen = fen.fen;
        if (fen.fen > outstanding) details.overpayment = true;
      }
      return this.append(letter, e.type, e.at, actor, details);
    });
  }

  /**
   * Appends an event without a transition check, with its audit row: for the system's own events
   * (plan-accepted). Joins the transaction of the change it records (or runs in its own).
   */
  async append(
    letter: LetterRecord,
    type: EventType,
    at: string,
    actor: string,
    details: Record<string, unknown>,
  ): Promise<LetterEvent> {
    return this.db.transaction(async () => {
      await this.db.lock(`events:${letter.id}`);
      const event: LetterEvent = {
        id: randomUUID(),
        letterId: letter.id,
        seq: 0,
        type,
        at,
        actor,
        details: JSON.parse(JSON.stringify(details)),
        createdAt: new Date().toISOString(),
      };
      event.seq =
        (await this.db.get<{ m: number }>('SELECT COALESCE(MAX(seq), 0) m FROM letter_events WHERE letter_id = ?', [
          letter.id,
        ]))!.m + 1;
      await this.db.run(
        'INSERT INTO letter_events (id, letter_id, seq, type, at, actor, details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          event.id,
          event.letterId,
          event.seq,
          event.type,
          event.at,
          event.actor,
          JSON.stringify(event.details),
          event.createdAt,
        ],
      );
      await this.audit.append({
        orgId: letter.orgId,
        actor,
        action: `event.${type}`,
        subject: letter.id,
        details: { number: letter.number, at, ...event.details },
      });
      return event;
    });
  }
}

/** The letter's total less the payments recorded so far (never below zero): what a payment may cover. */
export function outstandingFen(letter: LetterRecord, events: LetterEvent[]): number {
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
function checkTime(
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
function withYuan(details: Record<string, unknown>): Record<string, unknown> {
  if (typeof details.amountFen !== 'number' || typeof details.amount === 'string') return details;
  const { amountFen, ...rest } = details;
  return { ...rest, amount: fenToYuan(amountFen), amountFen };
}
