/**
 * A lawyer deciding a whole import batch at once (the workspace's 整批审核). What must hold before
 * any letter of it is approved or rejected — something is pending, the lawyer opened at least one
 * of its drafts, a rejection says why, and an approval is of exactly the letters and the total the
 * lawyer confirmed — is decided here, once; the workspace only asks and shows the answer. The
 * approval itself then runs row by row as a workspace batch (jobs/batches), each row through
 * Requests.approve; a rejection is quick and runs here.
 */
import type { Caller } from '../orgs/model.js';
import { fenToFigures } from '../pipeline/index.js';
import { parseYuanToFen } from '../pipeline/schema/money.js';
import { HanjianError } from '../shared/errors.js';
import { type Requests, type RequestView, rejectionReason } from './requests.js';

/** The sum of request totals ("12366.31"), in fen. */
export const totalFenOf = (views: Pick<RequestView, 'total'>[]): number =>
  views.reduce((sum, v) => {
    const r = parseYuanToFen(v.total);
    return sum + (r.ok ? r.fen : 0);
  }, 0);

export interface BatchDecision {
  decision: 'approve' | 'reject';
  /** A rejection's reason (checked as a single rejection's is). */
  reason?: string;
  /** An approval: the count and the total in fen the lawyer saw and confirmed, as the form sent them. */
  confirmed?: { count: string; totalFen: string };
}

export interface BatchToDecide {
  /** The batch's requests pending review that this caller may decide, in the order they were filed. */
  pending: RequestView[];
  /** Which of them this lawyer opened before deciding (recorded in the audit trail). */
  opened: string[];
  totalFen: number;
  /** A rejection's reason, trimmed. */
  reason: string | null;
}

const conflict = (code: string, zh: string, en: string) =>
  new HanjianError({ code, category: 'conflict', zh, en, path: 'batch' });

/**
 * What a decision on the batch would decide, or why it may not be taken. `filed`: the requests
 * the import filed; `openedBy`: which of some requests this lawyer opened.
 */
export async function batchToDecide(
  requests: Requests,
  caller: Caller,
  filed: string[],
  openedBy: (ids: string[]) => Promise<Set<string>>,
  d: BatchDecision,
): Promise<BatchToDecide> {
  const ofBatch = new Set(filed);
  const pending = (await requests.list(caller, 'pending_review')).filter((p) => ofBatch.has(p.id));
  if (!pending.length)
    throw conflict('IMPORT_NOTHING_PENDING', '该批次没有待审核的函件。', 'nothing of the import is pending review');
  const opened = [...(await openedBy(pending.map((p) => p.id)))];
  if (!opened.length)
    throw conflict(
      'IMPORT_DRAFT_NOT_OPENED',
      '整批审核前，请至少打开本批次中的一封函件草稿核对。',
      'open at least one draft of the import before deciding all of it',
    );
  const totalFen = totalFenOf(pending);
  if (d.decision === 'reject') return { pending, opened, totalFen, reason: rejectionReason(d.reason ?? '') };
  // What the lawyer confirmed — this many letters, this total — must be what is pending now.
  if (d.confirmed?.count !== String(pending.length) || d.confirmed.totalFen !== String(totalFen))
    throw conflict(
      'IMPORT_CHANGED',
      `本批次待审核的函件已有变化：现为 ${pending.length} 封，金额合计 ${fenToFigures(totalFen)} 元。请返回审核页核对后重新确认。`,
      `the import's pending letters changed: now ${pending.length}, ${fenToFigures(totalFen)} yuan in all; review and confirm again`,
    );
  return { pending, opened, totalFen, reason: null };
}

/** Rejects each pending request of the batch; one that cannot be rejected (decided meanwhile) is counted, not fatal. */
export async function rejectBatch(
  requests: Requests,
  caller: Caller,
  ids: string[],
  reason: string,
): Promise<{ decided: number; failed: { id: string; code: string }[] }> {
  let decided = 0;
  const failed: { id: string; code: string }[] = [];
  for (const id of ids) {
    try {
      await requests.reject(id, caller, reason);
      decided++;
    } catch (e) {
      failed.push({ id, code: (e as { code?: string }).code ?? 'ERROR' });
    }
  }
  return { decided, failed };
}
