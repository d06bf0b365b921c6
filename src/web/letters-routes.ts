/**
 * Issued letters: search (number, contract, masked debtor, dates, status), the PDF, void with
 * a reason, and an import batch's letters as one ZIP (the PDFs and an index workbook).
 */

import type { Router } from 'express';
import { zipSync } from 'fflate';
import { isLetterStatus, LETTER_STATUS_LABELS, LETTER_STATUSES, letterStatuses } from '../history/letter-status.js';
import { writeXlsx } from '../imports/index.js';
import type { LetterRecord } from '../letters/letter-store.js';
import { fenToYuan, summarize } from '../pipeline/index.js';
import { isRealDate } from '../pipeline/schema/dates.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { field, page, param, type WebDeps, webError, webUser } from './context.js';
import { attachment } from './import-routes.js';

const KINDS: Record<string, string> = { reminder: '还款提醒函', demand: '逾期催告函', 'lawyer-letter': '律师函' };

export function lettersRoutes(r: Router, deps: WebDeps, h: RouteHelpers): void {
  const { parts, store } = deps;
  const issued = parts.letters;

  r.get(
    '/letters',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const q = req.query as Record<string, unknown>;
      const s = (k: string, max = 60) => (typeof q[k] === 'string' ? (q[k] as string).trim().slice(0, max) : '');
      const filter = {
        q: s('q'),
        status: s('status'),
        state: s('state'),
        from: s('from'),
        to: s('to'),
        batch: s('batch'),
      };
      if (filter.status && filter.status !== 'issued' && filter.status !== 'void') filter.status = '';
      if (filter.state && !isLetterStatus(filter.state)) filter.state = '';
      const problems = (['from', 'to'] as const)
        .filter((k) => filter[k] && !isRealDate(filter[k]))
        .map((k) => `${k === 'from' ? '起始' : '截止'}日期应为有效日期 YYYY-MM-DD`);
      let letters: LetterRecord[];
      if (filter.batch) {
        letters = await lettersOfBatch(filter.batch, res);
      } else {
        // The registry filters status and dates; the free-text search (number, contract, masked debtor) runs over the newest 500.
        letters = await issued.list({
          orgId: me.org.id,
          status: (filter.status || undefined) as 'issued' | 'void' | undefined,
          from: isRealDate(filter.from) ? filter.from : undefined,
          to: isRealDate(filter.to) ? filter.to : undefined,
          limit: 500,
        });
      }
      const needle = filter.q.toLowerCase();
      const found = letters.filter(
        (l) => !needle || [l.number, l.contractNo ?? '', l.debtorMasked].some((x) => x.toLowerCase().includes(needle)),
      );
      // Each letter's state (delivery, payments, plan, dispute) from the one rule; counts over the search before the state filter.
      const states = await letterStatuses(parts.history, found);
      const counts = new Map<string, number>();
      for (const v of states.values()) counts.set(v.status, (counts.get(v.status) ?? 0) + 1);
      const shown = filter.state ? found.filter((l) => states.get(l.id)?.status === filter.state) : found;
      const link = (state: string) => {
        const p = new URLSearchParams();
        for (const [k, v] of Object.entries({ ...filter, state })) if (v) p.set(k, v);
        return `/app/letters?${p}`;
      };
      const stateCounts = [
        { key: '', label: '全部', count: found.length, href: link(''), current: !filter.state },
        ...LETTER_STATUSES.map((k) => ({
          key: k,
          label: LETTER_STATUS_LABELS[k],
          count: counts.get(k) ?? 0,
          href: link(k),
          current: filter.state === k,
        })),
      ];
      page(res, 'letters', '函件', {
        nav: 'letters',
        filter,
        problems,
        done: s('done', 80),
        failed: Number(s('failed', 6)) || 0,
        letters: shown.slice(0, 200).map((l) => ({
          id: l.id,
          number: l.number,
          kind: KINDS[l.kind] ?? l.kind,
          contractNo: l.contractNo,
          debtor: l.debtorMasked,
          total: fenToYuan(l.totalFen),
          issueDate: l.issueDate,
          status: l.status,
          state: states.get(l.id)?.status,
          stateLabel: states.get(l.id)?.label,
          paid: states.get(l.id)?.paidFen ? fenToYuan(states.get(l.id)!.paidFen) : '',
          voidedOn: l.voidedOn,
          voidReason: l.voidReason,
          ownLetter: l.orgId === me.org.id,
        })),
        count: shown.length,
        stateCounts,
        states: LETTER_STATUSES.map((k) => ({ key: k, label: LETTER_STATUS_LABELS[k], current: filter.state === k })),
        canVoid: me.caller.scopes?.has('void'),
      });
    }),
  );

  r.get(
    '/letters/:id/pdf',
    h.wrap(async (req, res) => {
      const { record, pdf } = await issued.pdf(param(req, 'id'), webUser(res).org.id);
      res.set('Content-Disposition', `inline; filename="${record.id}.pdf"`).type('application/pdf').send(pdf);
    }),
  );

  r.post(
    '/letters/:id/void',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      if (!me.caller.scopes?.has('void')) throw webError(403, '只有律师或管理员可以作废函件。');
      const reason = field(req, 'reason', 501);
      if ([...reason].length < 2) throw webError(422, '作废须说明理由（至少 2 个字）。');
      // The API refuses a longer reason; the page must not keep a cut one in the audit trail either.
      if ([...reason].length > 500) throw webError(422, '作废理由不能超过 500 字。');
      const record = await issued.void(param(req, 'id'), { orgId: me.org.id, actor: me.caller.keyId, reason });
      res.redirect(303, `/app/letters?q=${encodeURIComponent(record.number)}`);
    }),
  );

  /** The issued letters of an import batch the user's organisation is a party to. */
  async function lettersOfBatch(batchId: string, res: Parameters<typeof webUser>[0]): Promise<LetterRecord[]> {
    const me = webUser(res);
    const b = await store.batch(batchId);
    const eng = b?.engagementId ? await parts.orgs.engagement(b.engagementId) : null;
    if (!b || (b.orgId !== me.org.id && eng?.firmOrgId !== me.org.id && eng?.creditorOrgId !== me.org.id))
      throw webError(404, '没有这个导入批次。');
    const out: LetterRecord[] = [];
    for (const { requestId } of await store.requestsOf(batchId)) {
      const view = await parts.requests.get(requestId, me.caller);
      if (view.letter) out.push(await issued.get(view.letter.id, me.org.id));
    }
    // A creditor's own letters of the import, issued by its background task (import-own.ts).
    const seen = new Set(out.map((l) => l.id));
    for (const t of await deps.tasks.bySubject(batchId)) {
      if (t.kind !== 'issue' || t.orgId !== me.org.id) continue;
      for (const i of await deps.tasks.items(t.id))
        if (i.letterId && !seen.has(i.letterId)) {
          seen.add(i.letterId);
          out.push(await issued.get(i.letterId, me.org.id));
        }
    }
    return out;
  }

  r.get(
    '/batches/:id/letters.zip',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const letters = await lettersOfBatch(param(req, 'id'), res);
      if (!letters.length) throw webError(404, '该批次还没有已出具的函件。');
      const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
      // A fixed time in the archive: the same letters give the same ZIP.
      const mtime = new Date('2026-01-01T00:00:00Z');
      for (const l of letters) {
        const { pdf } = await issued.pdf(l.id, me.org.id);
        files[`${fileSafe(l.number)}.pdf`] = [new Uint8Array(pdf), { mtime }];
      }
      const index = writeXlsx({
        name: '函件清单',
        header: ['函号', '合同编号', '债务人', '金额合计（元）', '履行期限', '核验码', '状态'],
        rows: letters.map((l) => [
          l.number,
          l.contractNo ?? '',
          l.debtorMasked,
          fenToYuan(l.totalFen),
          deadlineOf(l, issued),
          l.verifyCode,
          l.status === 'void' ? '已作废' : '有效',
        ]),
        widths: [30, 18, 10, 14, 12, 14, 8],
      });
      files['函件清单.xlsx'] = [index, { mtime }];
      res
        .set('Content-Disposition', attachment(`函件-${param(req, 'id').slice(0, 8)}.zip`, 'letters.zip'))
        .type('application/zip')
        .send(Buffer.from(zipSync(files, { level: 0 })));
    }),
  );
}

/** 第0001号 in a file name: brackets and the like are fine, separators are not. */
const fileSafe = (s: string) => s.replace(/[\\/:*?"<>|]/g, '_');

/** The deadline printed in the letter, recomputed from its stored input (null once purged). */
function deadlineOf(l: LetterRecord, letters: WebDeps['parts']['letters']): string {
  if (!l.inputJson) return '';
  try {
    const input = letters.inputOf(l) as { demand?: { days?: number } };
    return input.demand?.days ? deadlineFor(input) : '';
  } catch {
    return '';
  }
}
function deadlineFor(input: unknown): string {
  return summarize(input).deadline ?? '';
}
