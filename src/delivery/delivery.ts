/**
 * Recording what happens to an issued letter: dispatch, delivery, return, refusal, payments,
 * and the proof files behind them (a receipt scan, the carrier's PDF). Only the issuing
 * organisation records; each event is appended after the letter's last, under the letter's
 * lock, with its audit row in the same transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AuditAction } from '../audit/actions.js';
import type { Audit } from '../audit/audit.js';
import type { LetterRecord } from '../letters/letter-store.js';
import type { Letters } from '../letters/letters.js';
import { fenToYuan } from '../pipeline/facts/format.js';
import { zodIssues } from '../pipeline/schema/issues.js';
import { parseYuanToFen } from '../pipeline/schema/money.js';
import type { BlobStore } from '../shared/blobs.js';
import { HanjianError, invalidInput, isHanjianError, makeIssue } from '../shared/errors.js';
import type { EventStore } from './event-store.js';
import { EVENT_LABELS, stateLabel } from './labels.js';
import {
  checkTime,
  EVENT_TYPES,
  type EventType,
  type LetterEvent,
  type LetterState,
  letterEventSchema,
  maskAddress,
  mayFollow,
  outstandingFen,
  stateOf,
  withYuan,
} from './lifecycle.js';
import type { RowProblem, TrackingRow } from './tracking.js';

/** Proof files a court accepts, recognised by their first bytes, not by their name. */
export const PROOF_TYPES: Record<string, { ext: string; magic: number[] }> = {
  'application/pdf': { ext: 'pdf', magic: [0x25, 0x50, 0x44, 0x46] },
  'image/png': { ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47] },
  'image/jpeg': { ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
};

const ONLY_ISSUER = ['只有出具方可以记录送达证据', 'only the issuing organisation records delivery evidence'] as const;

export class Delivery {
  constructor(
    private store: EventStore,
    private letters: Letters,
    private blobs: BlobStore,
    private audit: Audit,
  ) {}

  /** A letter's events, oldest first (payments in yuan and fen). */
  async eventsOf(letterId: string): Promise<LetterEvent[]> {
    return (await this.store.events(letterId)).map((e) => ({ ...e, details: withYuan(e.details) }));
  }

  /** The events of many letters, by letter (each oldest first): one query for a page of the list. */
  async eventsByLetter(letterIds: string[]): Promise<Map<string, LetterEvent[]>> {
    const out = new Map<string, LetterEvent[]>(letterIds.map((id) => [id, []]));
    for (const e of await this.store.eventsOfLetters(letterIds))
      out.get(e.letterId)?.push({ ...e, details: withYuan(e.details) });
    return out;
  }

  /** The delivery state and events of a letter the caller's organisation may see. */
  async events(id: string, orgId?: string): Promise<{ state: LetterState; events: LetterEvent[] }> {
    const letter = await this.letters.get(id, orgId);
    const events = await this.eventsOf(letter.id);
    return { state: stateOf(letter, events), events };
  }

  /** Records a delivery or payment event sent by the issuing organisation. */
  async record(id: string, raw: unknown, req: { orgId?: string; actor: string; now?: Date }): Promise<LetterEvent> {
    const letter = await this.letters.issuedBy(id, req.orgId, ...ONLY_ISSUER);
    const now = req.now ?? new Date();
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
    const found = await Promise.all((e.proofs ?? []).map(async (sha) => (await this.proof(sha)) !== null));
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
    return this.store.transaction(async () => {
      await this.store.lockLetter(letter.id);
      const events = await this.eventsOf(letter.id);
      const state = stateOf(letter, events);
      if (!mayFollow(state, e.type)) {
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
      return this.append(letter, e.type, e.at, req.actor, details);
    });
  }

  /**
   * Appends an event without a transition check, with its audit row: for the system's own events
   * (plan-accepted). Joins the transaction of the change it records (or runs in its own).
   */
  append(
    letter: LetterRecord,
    type: EventType,
    at: string,
    actor: string,
    details: Record<string, unknown>,
  ): Promise<LetterEvent> {
    return this.store.transaction(async () => {
      await this.store.lockLetter(letter.id);
      const event: LetterEvent = {
        id: randomUUID(),
        letterId: letter.id,
        seq: await this.store.nextSeq(letter.id),
        type,
        at,
        actor,
        details: JSON.parse(JSON.stringify(details)),
        createdAt: new Date().toISOString(),
      };
      await this.store.insert(event);
      await this.audit.append({
        orgId: letter.orgId,
        actor,
        action: `event.${type}` as AuditAction,
        subject: letter.id,
        details: { number: letter.number, at, ...event.details },
      });
      return event;
    });
  }

  /**
   * A tracking sheet's rows as events, all or nothing: each row's dispatch (with its tracking
   * number) and result (妥投/拒收/退回) are recorded in order, in one transaction, through record()
   * with its every check. A row already recorded (the same tracking number, the same result) is
   * skipped, so the sheet can be uploaded again with the results filled in. If any row fails,
   * nothing is recorded and every failing row is named.
   */
  async importTracking(
    rows: TrackingRow[],
    req: { orgId: string; actor: string; now?: Date },
    /** Rows the sheet could not even be read for: nothing is recorded, but the others are checked and named too. */
    unreadable: RowProblem[] = [],
  ): Promise<{ recorded: number; skipped: number; failures: RowProblem[] }> {
    const failures: RowProblem[] = [...unreadable];
    let recorded = 0;
    let skipped = 0;
    const rollback = new Error('rollback');
    try {
      await this.store.transaction(async () => {
        for (const row of rows) {
          try {
            const letter = (await this.letters.byNumber(row.number)).find((l) => l.orgId === req.orgId);
            if (!letter)
              throw new HanjianError({
                code: 'LETTER_NOT_FOUND',
                category: 'not_found',
                path: 'number',
                zh: `本机构没有出具过函号“${row.number.slice(0, 40)}”的函件`,
                en: 'this organisation issued no letter with that number',
              });
            const events = await this.eventsOf(letter.id);
            const moves = events.filter((e) => e.type !== 'paid' && e.type !== 'plan-accepted');
            const lastDispatch = moves.filter((e) => e.type === 'dispatched').at(-1);
            const sameParcel = !!row.trackingNo && lastDispatch?.details.trackingNo === row.trackingNo;
            if (row.trackingNo && !sameParcel) {
              await this.record(
                letter.id,
                {
                  type: 'dispatched',
                  at: row.dispatchedAt || (req.now ?? new Date()).toISOString(),
                  channel: row.channel,
                  trackingNo: row.trackingNo,
                },
                req,
              );
              recorded++;
            } else if (row.trackingNo) skipped++;
            if (row.result) {
              const last = (await this.eventsOf(letter.id))
                .filter((e) => e.type !== 'paid' && e.type !== 'plan-accepted')
                .at(-1);
              if (last?.type === row.result && sameParcel) skipped++;
              else {
                await this.record(letter.id, { type: row.result, at: row.resultAt }, req);
                recorded++;
              }
            }
          } catch (e) {
            if (!isHanjianError(e)) throw e;
            // The field's own words when the schema refused it (运单号 format, a time), else the refusal.
            const detail = e.issues.map((i) => i.message.split(' / ')[0]).join('；');
            failures.push({ rowNo: row.rowNo, message: e.category === 'invalid_input' && detail ? detail : e.zh });
          }
        }
        if (failures.length) throw rollback;
      });
    } catch (e) {
      if (e !== rollback) throw e;
      return { recorded: 0, skipped: 0, failures: failures.sort((a, b) => a.rowNo - b.rowNo) };
    }
    return { recorded, skipped, failures };
  }

  /** Stores a proof file (receipt scan, carrier's PDF) content-addressed; events then name it by sha256. */
  async addProof(
    id: string,
    bytes: Buffer,
    type: string,
    orgId?: string,
  ): Promise<{ sha256: string; type: string; size: number }> {
    await this.letters.issuedBy(id, orgId, ...ONLY_ISSUER);
    const kind = PROOF_TYPES[type];
    if (!kind?.magic.every((b, i) => bytes[i] === b))
      throw new HanjianError({
        code: 'PROOF_TYPE',
        category: 'invalid_input',
        path: 'content-type',
        zh: '证明文件须为 PDF、PNG 或 JPEG，且内容与类型一致',
        en: 'a proof file must be a PDF, PNG or JPEG whose content matches its type',
      });
    const sha = createHash('sha256').update(bytes).digest('hex');
    await this.blobs.writeBlob('proofs', sha, bytes, kind.ext);
    return { sha256: sha, type, size: bytes.length };
  }

  /** Purge: destroys the proof files of these letters' events; how many were there. */
  async shredProofs(letterIds: string[]): Promise<number> {
    let n = 0;
    for (const id of letterIds)
      for (const sha of new Set(
        (await this.eventsOf(id)).flatMap((e) => (e.details.proofs as string[] | undefined) ?? []),
      ))
        for (const { ext } of Object.values(PROOF_TYPES)) if (await this.blobs.shred('proofs', sha, ext)) n++;
    return n;
  }

  /** A stored proof file, or null. */
  async proof(sha: string): Promise<{ bytes: Buffer; ext: string } | null> {
    for (const { ext } of Object.values(PROOF_TYPES)) {
      const bytes = await this.blobs.readBlob('proofs', sha, ext);
      if (bytes) return { bytes, ext };
    }
    return null;
  }
}
