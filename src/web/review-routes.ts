/**
 * The review queue: pending requests by client and import batch; one request's draft beside
 * its facts; approve or reject one, or a whole batch once the lawyer has opened at least one
 * of its drafts. A draft counts as opened when its PDF was fetched to be shown (in the review
 * page's viewer or a window of its own), not when the page around it was: that is recorded
 * (review_opens and the audit trail), and a batch decision names the drafts that were opened.
 * Approving a batch states how many letters and what total, asks for the lawyer's password
 * again, and is checked against both on the server (requests/batch-review.ts); it runs as a
 * workspace batch of mode `approve` (jobs/batches/workspace.ts), its progress at /app/tasks/:id.
 */
import type { Request, Response, Router } from 'express';
import type { Caller } from '../orgs/model.js';
import { fenToFigures, fenToYuan, previewLetter, summarize, validate } from '../pipeline/index.js';
import { batchToDecide, rejectBatch, totalFenOf } from '../requests/batch-review.js';
import type { RequestView } from '../requests/requests.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { field, page, param, type WebDeps, webError, webUser } from './context.js';
import { approvingNow } from './task-routes.js';
import { chineseOnly } from './text.js';

const ITEMS: [string, string][] = [
  ['principal', '本金'],
  ['interest', '利息'],
  ['overdueInterest', '逾期利息'],
  ['penalty', '违约金'],
  ['fees', '费用'],
  ['paid', '已还款'],
];

/**
 * Whether a request for a draft's PDF is the browser showing it: the review page's viewer
 * (<object>, <embed>, <iframe>) or a window of its own; not a prefetch, a script's fetch or a
 * download. A client that sends no Sec-Fetch-Dest (an older browser) is taken at its word.
 */
function displayed(req: Request): boolean {
  if (/prefetch|prerender/i.test(req.get('sec-purpose') ?? req.get('purpose') ?? '')) return false;
  const dest = req.get('sec-fetch-dest');
  return dest === undefined || ['object', 'embed', 'iframe', 'document'].includes(dest);
}

export function reviewRoutes(r: Router, deps: WebDeps, h: RouteHelpers): void {
  const { parts, store, jobs } = deps;
  const workflow = parts.requests;
  const orgName = async (id: string) => {
    try {
      return (await parts.orgs.org(id)).name;
    } catch {
      return '—';
    }
  };
  const needReviewer = (res: Response) => {
    if (!webUser(res).caller.scopes?.has('review')) throw webError(403, '只有律师可以审核函件。');
  };

  /** Records that this lawyer opened this draft: once per lawyer and request, in the audit trail too. */
  const opened = async (res: Response, requestId: string) => {
    const me = webUser(res);
    if (await store.markOpened(requestId, me.user.id, new Date().toISOString())) {
      await parts.audit.append({
        orgId: me.org.id,
        actor: me.caller.keyId,
        action: 'request.open-draft',
        subject: requestId,
        details: { user: me.user.id },
      });
    }
  };

  r.get(
    '/review',
    h.wrap(async (_req, res) => {
      const me = webUser(res);
      const pending = await workflow.list(me.caller, 'pending_review');
      const batchOf = await store.batchOf(pending.map((p) => p.id));
      const seen = await store.openedBy(
        me.user.id,
        pending.map((p) => p.id),
      );
      const groups = new Map<
        string,
        {
          key: string;
          batchId: string | null;
          client: string;
          fileName: string;
          createdAt: string;
          items: (RequestView & { rowNo: number | null; opened: boolean })[];
        }
      >();
      for (const p of pending) {
        const b = batchOf.get(p.id);
        const key = b?.batchId ?? `single:${p.engagement ?? p.kind}`;
        if (!groups.has(key)) {
          const batch = b ? await store.batch(b.batchId) : null;
          const eng = p.engagement ? await parts.orgs.engagement(p.engagement) : null;
          groups.set(key, {
            key,
            batchId: b?.batchId ?? null,
            client: await orgName(eng?.creditorOrgId ?? ''),
            fileName: batch?.fileName ?? '单独申请',
            createdAt: batch?.createdAt ?? p.createdAt,
            items: [],
          });
        }
        groups.get(key)!.items.push({
          ...p,
          policyReasons: p.policyReasons.map(chineseOnly),
          rowNo: b?.rowNo ?? null,
          opened: seen.has(p.id),
        });
      }
      const approving = new Map<string, string>();
      for (const g of groups.values()) {
        const t = g.batchId ? await approvingNow(jobs, g.batchId, me.org.id) : undefined;
        if (t) approving.set(g.key, t.id);
      }
      const list = [...groups.values()].map((g) => ({
        ...g,
        task: approving.get(g.key) ?? null,
        count: g.items.length,
        totalFen: totalFenOf(g.items),
        totalLabel: fenToFigures(totalFenOf(g.items)),
        openedCount: g.items.filter((i) => i.opened).length,
        items: g.items.sort((a, b) => (a.rowNo ?? 0) - (b.rowNo ?? 0)),
      }));
      page(res, 'review', '待审核', {
        nav: 'review',
        groups: list,
        total: pending.length,
        canReview: me.caller.scopes?.has('review'),
      });
    }),
  );

  r.get(
    '/review/:id',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const id = param(req, 'id');
      const view = await workflow.get(id, me.caller);
      const draft = await workflow.draft(id, me.caller);
      const v = validate(draft);
      const summary = summarize(draft, { compliance: { chargesOverCap: deps.chargesOverCap ?? 'error' } });
      const debt = v.ok ? (v.value.debt as unknown as Record<string, number>) : {};
      const items = ITEMS.filter(([k]) => debt[k]).map(([k, label]) => ({
        label,
        amount: fenToYuan(debt[k]!),
        minus: k === 'paid',
      }));
      const account = (draft.account ?? {}) as Record<string, string>;
      const b = (await store.batchOf([id])).get(id);
      const eng = view.engagement ? await parts.orgs.engagement(view.engagement) : null;
      page(res, 'review-detail', `审核 · ${view.contractNo}`, {
        nav: 'review',
        view: { ...view, policyReasons: view.policyReasons.map(chineseOnly) },
        summary,
        items,
        account,
        batchId: b?.batchId ?? null,
        rowNo: b?.rowNo ?? null,
        lawyer: ((draft.lawyers as { name: string }[] | undefined) ?? [])[0]?.name,
        client: await orgName(eng?.creditorOrgId ?? ''),
        mandate: eng?.mandateFile ? (eng.mandateFile.type === 'application/pdf' ? 'PDF' : '图片') : null,
        done: typeof req.query.done === 'string' ? req.query.done.slice(0, 80) : null,
        pending: view.status === 'pending_review',
        canReview: me.caller.scopes?.has('review'),
        warnings: summary.warnings.map((w) => chineseOnly(w.message)),
      });
    }),
  );

  // The engagement's 授权委托书 beside the draft: shown to whoever may see the request (its own organisation or the firm).
  r.get(
    '/review/:id/mandate',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const view = await workflow.get(param(req, 'id'), me.caller);
      const eng = view.engagement ? await parts.orgs.engagement(view.engagement) : null;
      const mandate = eng ? await parts.mandates.of(eng) : null;
      if (!mandate) throw webError(404, '该委托未存授权委托书原件。');
      res
        .set({
          'Content-Disposition': `inline; filename="mandate.${mandate.type === 'application/pdf' ? 'pdf' : mandate.type === 'image/png' ? 'png' : 'jpg'}"`,
          'Cache-Control': 'private, no-store',
          'X-Content-Type-Options': 'nosniff',
        })
        .type(mandate.type)
        .send(mandate.bytes);
    }),
  );

  r.get(
    '/review/:id/draft.pdf',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const id = param(req, 'id');
      const draft = await workflow.draft(id, me.caller);
      const pdf = await previewLetter(draft);
      if (me.caller.scopes?.has('review') && displayed(req)) await opened(res, id);
      res.set('Content-Disposition', 'inline; filename="draft.pdf"').type('application/pdf').send(Buffer.from(pdf.pdf));
    }),
  );

  r.post(
    '/review/:id/approve',
    h.wrap(async (req, res) => {
      needReviewer(res);
      const me = webUser(res);
      const id = param(req, 'id');
      const issued = await workflow.approve(id, me.caller);
      const next = await nextPending(id, webUser(res).caller);
      res.redirect(
        303,
        next
          ? `/app/review/${next}?done=${encodeURIComponent(issued.record.number)}`
          : `/app/letters?done=${encodeURIComponent(issued.record.number)}`,
      );
    }),
  );

  r.post(
    '/review/:id/reject',
    h.wrap(async (req, res) => {
      needReviewer(res);
      const id = param(req, 'id');
      // The reason is checked by Requests.reject (rejectionReason): a 422 page with its words.
      await workflow.reject(id, webUser(res).caller, field(req, 'reason'));
      const next = await nextPending(id, webUser(res).caller);
      res.redirect(303, next ? `/app/review/${next}` : '/app/review');
    }),
  );

  /** The next pending request of the same batch, so a lawyer can work through it in order. */
  async function nextPending(id: string, caller: Caller): Promise<string | null> {
    const b = (await store.batchOf([id])).get(id);
    if (!b) return null;
    for (const x of await store.requestsOf(b.batchId)) {
      if (x.rowNo > b.rowNo && (await workflow.get(x.requestId, caller)).status === 'pending_review')
        return x.requestId;
    }
    return null;
  }

  r.post(
    '/review/batch/:batchId/:decision',
    h.wrap(async (req, res) => {
      needReviewer(res);
      const me = webUser(res);
      const batchId = param(req, 'batchId');
      const decision = param(req, 'decision');
      if (decision !== 'approve' && decision !== 'reject') throw webError(404, '没有这个页面。');
      if (decision === 'approve') {
        const running = await approvingNow(jobs, batchId, me.org.id);
        if (running) return res.redirect(303, `/app/tasks/${running.id}`);
      }
      const filed = (await store.requestsOf(batchId)).map((x) => x.requestId);
      const { pending, opened, totalFen, reason } = await batchToDecide(
        workflow,
        me.caller,
        filed,
        (ids) => store.openedBy(me.user.id, ids),
        {
          decision,
          reason: field(req, 'reason'),
          confirmed: { count: field(req, 'count', 10), totalFen: field(req, 'totalFen', 20) },
        },
      );
      const ids = pending.map((p) => p.id);
      if (decision === 'approve') {
        // The lawyer's password again: one click issues every letter of the batch in their name.
        const raw = (req.body as Record<string, unknown> | undefined)?.password;
        const checked = deps.sessions.confirmPassword(req, me.user, typeof raw === 'string' ? raw.slice(0, 200) : '');
        if (typeof checked === 'number') {
          res.set('Retry-After', String(checked));
          throw webError(429, `密码尝试过于频繁，请 ${checked} 秒后再试。`);
        }
        if (checked === 'wrong') throw webError(403, '密码不正确，本批次未出具。请返回审核页重新输入您的登录密码。');
        // Rendering and issuing hundreds of letters is a background task: the answer is its progress page, at once.
        // The audit row is written now, naming the drafts this lawyer opened before deciding.
        const task = await jobs.createForWorkspace(
          { orgId: me.org.id, userId: me.user.id },
          { mode: 'approve', subject: batchId, rows: ids.map((requestId, i) => ({ row: i + 1, requestId })) },
        );
        await parts.audit.append({
          orgId: me.org.id,
          actor: me.caller.keyId,
          action: 'requests.approve-batch',
          subject: batchId,
          details: { user: me.user.id, task: task.id, opened, pending: ids.length, totalFen },
        });
        return res.redirect(303, `/app/tasks/${task.id}`);
      }
      // A rejection issues nothing: it is quick enough to do here.
      const { decided, failed } = await rejectBatch(workflow, me.caller, ids, reason!);
      await parts.audit.append({
        orgId: me.org.id,
        actor: me.caller.keyId,
        action: 'requests.reject-batch',
        subject: batchId,
        details: { user: me.user.id, decided, failed, opened, pending: ids.length },
      });
      res.redirect(303, '/app/review');
    }),
  );
}
