/**
 * Working one row of a batch: issue its letter (scope issue:<kind>, as POST /v1/letters does),
 * file its letter request (as POST /v1/letter-requests does), or approve a pending request (the
 * workspace's approval of a whole import), under an idempotency key made of the batch id and the
 * row number — so a job that runs again (a retry, a restart, a job taken over from a dead
 * instance) finds the letter it issued and never issues a second one.
 */

import { assertActive } from '../../orgs/active.js';
import type { Caller } from '../../orgs/model.js';
import { callerOfPerson } from '../../orgs/sessions.js';
import { LETTER_KINDS, validate } from '../../pipeline/index.js';
import { HanjianError, invalidInput, isHanjianError } from '../../shared/errors.js';
import { mayPass } from '../retry.js';
import type { BatchRecord, BatchStore, RowProblem, RowRecord, RowRef } from './batch-store.js';
import type { BatchParts } from './parts.js';

/** At most this many issues are kept per failed row (the rest are counted), as in a problem+json answer. */
const MAX_ISSUES = 50;

export const rowIdempotencyKey = (batchId: string, row: number) => `batch:${batchId}:${row}`;

export interface RowContext {
  store: BatchStore;
  parts: BatchParts;
  /** Attempts of a row before a passing failure is recorded as its failure. */
  maxAttempts: number;
  /** Called once, by the worker that settled a batch's last row; the row's job ends when it has. */
  onFinished: (batchId: string) => Promise<void>;
  /** A letter newly issued by a row (not one found again by a retried job): the service counts it in /metrics. */
  onIssued?: (kind: string) => void;
  /** The service's log: a row tried again, and a row that failed for a reason of our own (never its data). */
  log?: (entry: Record<string, unknown>) => void;
}

export function problemOf(e: HanjianError): RowProblem {
  const issues = e.issues.slice(0, MAX_ISSUES).map((i) => ({ path: i.path, code: i.code, message: i.message }));
  return {
    code: e.code,
    detail: e.message,
    ...(e.path ? { path: e.path } : {}),
    issues,
    ...(e.issues.length > MAX_ISSUES ? { issuesOmitted: e.issues.length - MAX_ISSUES } : {}),
  };
}

/**
 * Who a row acts as. An API batch: its key, with the scopes it had when posted. A workspace
 * batch: the person who asked, read again at each row — a user disabled since asking gets
 * nothing more approved or issued, and an approval checks their role and engagement as it is
 * now (Requests.approve).
 */
async function callerOf(ctx: RowContext, b: BatchRecord): Promise<Caller> {
  if (b.subject === null)
    return { orgId: b.orgId, userId: b.userId, keyId: b.keyId, scopes: b.scopes ? new Set(b.scopes) : null };
  const user = await ctx.parts.orgs.user(b.userId!);
  assertActive(user);
  return callerOfPerson(user);
}

const refuse = (code: string, category: HanjianError['category'], zh: string, en: string, path: string) =>
  new HanjianError({ code, category, zh, en, path });

async function issueRow(
  ctx: RowContext,
  batch: BatchRecord,
  caller: Caller,
  row: number,
  input: Record<string, unknown>,
) {
  const kind = input.kind;
  if (typeof kind !== 'string' || !(LETTER_KINDS as readonly string[]).includes(kind)) {
    const r = validate(input);
    throw invalidInput(r.ok ? [] : r.issues);
  }
  if (batch.scopes && !batch.scopes.includes(`issue:${kind}`))
    throw refuse(
      'FORBIDDEN',
      'forbidden',
      `此密钥没有 issue:${kind} 权限`,
      `the batch's key lacks the issue:${kind} scope`,
      'kind',
    );
  // Letters.issue refuses a letter the organisation reviews first (REVIEW_REQUIRED): that rule is decided there.
  const { record, replayed } = await ctx.parts.letters.issue(input, {
    idempotencyKey: rowIdempotencyKey(batch.id, row),
    requester: caller.keyId,
    orgId: batch.orgId,
  });
  if (!replayed) ctx.onIssued?.(record.kind);
  return { letterId: record.id, letterNo: record.number };
}

async function requestRow(
  ctx: RowContext,
  batch: BatchRecord,
  caller: Caller,
  row: number,
  input: Record<string, unknown>,
) {
  const r = await ctx.parts.requests.request(input, caller, {
    idempotencyKey: rowIdempotencyKey(batch.id, row),
  });
  return { requestId: r.id, ...(r.letter ? { letterId: r.letter.id, letterNo: r.letter.number } : {}) };
}

/** Approves the row's request as the lawyer who asked; one approved already (an earlier run, another tab) gives its letter. */
async function approveRow(ctx: RowContext, caller: Caller, requestId: string) {
  const view = await ctx.parts.requests.get(requestId, caller);
  if (view.letter) return { requestId, letterId: view.letter.id, letterNo: view.letter.number };
  const issued = await ctx.parts.requests.approve(requestId, caller);
  if (!issued.replayed) ctx.onIssued?.(issued.record.kind);
  return { requestId, letterId: issued.record.id, letterNo: issued.record.number };
}

/** What the row does, as whom. */
async function workOn(ctx: RowContext, batch: BatchRecord, row: RowRecord) {
  const caller = await callerOf(ctx, batch);
  if (batch.mode === 'approve') return approveRow(ctx, caller, row.requestId!);
  const input = JSON.parse(ctx.parts.vault.decrypt(row.inputJson!)) as Record<string, unknown>;
  return batch.mode === 'issue'
    ? issueRow(ctx, batch, caller, row.row, input)
    : requestRow(ctx, batch, caller, row.row, input);
}

/** Settles one row: done, failed with its problem, or (a passing failure) thrown so the queue tries it again later. */
export async function workRow(ctx: RowContext, ref: RowRef): Promise<void> {
  const row = await ctx.store.row(ref);
  const batch = row?.status === 'queued' ? await ctx.store.get(ref.batchId) : null;
  if (!row || !batch || row.status !== 'queued') return; // settled by an earlier run of this job
  const attempts = await ctx.store.attempt(ref);
  const now = () => new Date().toISOString();
  const settle = async (done: boolean) => {
    if (done && (await ctx.store.finishIfDone(ref.batchId, now()))) await ctx.onFinished(ref.batchId);
  };
  if (attempts > ctx.maxAttempts) {
    await settle(
      await ctx.store.fail(
        ref,
        {
          code: 'ATTEMPTS_EXHAUSTED',
          detail: `该行尝试 ${ctx.maxAttempts} 次仍未完成 / the row was tried ${ctx.maxAttempts} times without completing`,
        },
        now(),
      ),
    );
    return;
  }
  try {
    await settle(await ctx.store.complete(ref, await workOn(ctx, batch, row), now()));
  } catch (e) {
    if (isHanjianError(e) && !mayPass(e)) {
      await settle(await ctx.store.fail(ref, problemOf(e), now()));
      return;
    }
    const code = isHanjianError(e) ? e.code : 'INTERNAL';
    if (!isHanjianError(e))
      ctx.log?.({
        msg: 'batch row error',
        level: 'error',
        batch: ref.batchId,
        row: ref.row,
        error: e instanceof Error ? e.name : typeof e,
      });
    if (attempts >= ctx.maxAttempts) {
      // The last reason, in words a person reads (the workspace shows the Chinese half), then the code.
      const zh = isHanjianError(e) ? e.zh : '内部错误，该行未完成';
      const en = isHanjianError(e) ? e.en : 'an internal error';
      await settle(
        await ctx.store.fail(
          ref,
          {
            code,
            detail: `${zh}（已尝试 ${attempts} 次，${code}）/ ${en} (tried ${attempts} times, ${code})`,
          },
          now(),
        ),
      );
      return;
    }
    ctx.log?.({ msg: 'batch row will be tried again', level: 'warn', batch: ref.batchId, row: ref.row, code });
    throw e;
  }
}
