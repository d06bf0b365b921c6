/**
 * What happens to a letter after it is issued (送达): dispatched by a channel, then delivered,
 * returned or refused; a payment against it; void ends everything. Each change is an event with
 * its time, actor and details, appended in the audit trail too. The delivery record matters in
 * law: a demand interrupts the limitation period only once it reaches the debtor.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import { z } from 'zod';
import { HanjianError, invalidInput, makeIssue } from '../errors.js';
import { parseYuanToFen } from '../schema/money.js';
import type { AuditLog } from './audit.js';
import type { LetterRecord } from './store.js';

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

const isoMoment = z.string().max(40).refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), { message: 'an ISO 8601 time with its offset, e.g. 2026-12-01T09:00:00+08:00' });
/** Proof files (a receipt scan, the carrier's PDF) uploaded first with POST /v1/letters/:id/proofs, named by their sha256. */
const proofs = z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(5).optional();
export const letterEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dispatched'), at: isoMoment, channel: z.enum(CHANNELS), trackingNo: z.string().regex(/^[A-Za-z0-9-]{4,40}$/).optional(), address: z.string().min(2).max(200).optional(), proofs }),
  z.strictObject({ type: z.literal('delivered'), at: isoMoment, note: z.string().max(200).optional(), proofs }),
  z.strictObject({ type: z.literal('returned'), at: isoMoment, note: z.string().max(200).optional(), proofs }),
  z.strictObject({ type: z.literal('refused'), at: isoMoment, note: z.string().max(200).optional(), proofs }),
  z.strictObject({ type: z.literal('paid'), at: isoMoment, amount: z.union([z.string(), z.number()]), proofs }),
]);

export interface LetterEvent { id: string; letterId: string; seq: number; type: EventType; at: string; actor: string; details: Record<string, unknown>; createdAt: string }

/** Addresses are personal data: kept masked in events (the district, not the door). */
function maskAddress(a: string): string {
  const chars = [...a];
  return chars.length <= 6 ? `${chars[0]}****` : `${chars.slice(0, 6).join('')}****`;
}

export class Lifecycle {
  constructor(private db: Db, private audit: AuditLog) {}

  async events(letterId: string): Promise<LetterEvent[]> {
    return (await this.db.all('SELECT * FROM letter_events WHERE letter_id = ? ORDER BY seq', [letterId])).map((r) => ({
      id: r.id as string, letterId: r.letter_id as string, seq: r.seq as number, type: r.type as EventType, at: r.at as string,
      actor: r.actor as string, details: JSON.parse(r.details as string), createdAt: r.created_at as string,
    }));
  }

  /** The delivery state: the last state-changing event, or issued; void above all. */
  state(letter: LetterRecord, events: LetterEvent[]): LetterState {
    if (letter.status === 'void') return 'void';
    const last = events.filter((e) => e.type !== 'paid' && e.type !== 'plan-accepted').at(-1);
    return (last?.type as LetterState | undefined) ?? 'issued';
  }

  async record(letter: LetterRecord, raw: unknown, actor: string, proofExists: (sha: string) => Promise<boolean> = async () => true): Promise<LetterEvent> {
    const parsed = letterEventSchema.safeParse(raw);
    if (!parsed.success) throw invalidInput(parsed.error.issues.map((i) => makeIssue(i.path.join('.'), 'INVALID', '事件格式错误', i.message)));
    const e = parsed.data;
    const found = await Promise.all((e.proofs ?? []).map((sha) => proofExists(sha)));
    const unknown = (e.proofs ?? []).map((sha, i) => [sha, i] as const).filter(([, i]) => !found[i]);
    if (unknown.length) throw invalidInput(unknown.map(([, i]) => makeIssue(`proofs.${i}`, 'PROOF_NOT_FOUND', '没有这个证明文件（请先上传）', 'no such proof file (upload it first)')));
    return this.db.transaction(async () => {
      // The letter's events are locked while the state is read and the next event appended: two instances never both append after "issued".
      await this.db.lock(`events:${letter.id}`);
      const state = this.state(letter, await this.events(letter.id));
      if (state === 'void' || !NEXT[state].includes(e.type)) {
        throw new HanjianError({ code: 'TRANSITION_NOT_ALLOWED', category: 'conflict', path: 'type', zh: `函件当前状态为 ${state}，不能记录 ${e.type}`, en: `the letter is ${state}: ${e.type} cannot be recorded now`, issues: [makeIssue('type', 'TRANSITION_NOT_ALLOWED', `当前状态：${state}`, `current state: ${state}`)] });
      }
      const details: Record<string, unknown> = { ...e };
      delete details.type;
      delete details.at;
      if (e.type === 'dispatched' && e.address) details.address = maskAddress(e.address);
      if (e.type === 'paid') {
        const fen = parseYuanToFen(e.amount);
        if (!fen.ok || fen.fen <= 0) throw invalidInput([makeIssue('amount', 'MONEY_FORMAT', '金额应为正数，最多两位小数', 'the amount must be positive, with at most two decimals')]);
        details.amount = undefined;
        details.amountFen = fen.fen;
      }
      return this.append(letter, e.type, e.at, actor, details);
    });
  }

  /**
   * Appends an event without a transition check, with its audit row: for the system's own events
   * (plan-accepted). Joins the transaction of the change it records (or runs in its own).
   */
  async append(letter: LetterRecord, type: EventType, at: string, actor: string, details: Record<string, unknown>): Promise<LetterEvent> {
    return this.db.transaction(async () => {
      await this.db.lock(`events:${letter.id}`);
      const event: LetterEvent = { id: randomUUID(), letterId: letter.id, seq: 0, type, at, actor, details: JSON.parse(JSON.stringify(details)), createdAt: new Date().toISOString() };
      event.seq = (await this.db.get<{ m: number }>('SELECT COALESCE(MAX(seq), 0) m FROM letter_events WHERE letter_id = ?', [letter.id]))!.m + 1;
      await this.db.run('INSERT INTO letter_events (id, letter_id, seq, type, at, actor, details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [event.id, event.letterId, event.seq, event.type, event.at, event.actor, JSON.stringify(event.details), event.createdAt]);
      await this.audit.append({ orgId: letter.orgId, actor, action: `event.${type}`, subject: letter.id, details: { number: letter.number, at, ...event.details } });
      return event;
    });
  }
}
