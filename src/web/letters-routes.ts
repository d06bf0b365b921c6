/**
 * Issued letters: search (number, contract, masked debtor, dates, status), the PDF, void with
 * a reason, and an import batch's letters as one ZIP (the PDFs and an index workbook).
 */

import type { Router } from 'express';
import express from 'express';
import { zipSync } from 'fflate';
import { MAILING_HEADER, mailingList, mailingSheetRows, printFile } from '../delivery/posting.js';
import { readTrackingRows } from '../delivery/tracking.js';
import { isLetterStatus, LETTER_STATUS_LABELS, LETTER_STATUSES, letterStatuses } from '../history/letter-status.js';
import { DEFAULT_LIMITS, readTableInWorker, writeXlsx } from '../imports/index.js';
import type { LetterRecord } from '../letters/letter-store.js';
import { fenToYuan, kindTitle, summarize, templatePrintsWindow } from '../pipeline/index.js';
import { WINDOW_ENVELOPE } from '../pipeline/layout/window.js';
import { isRealDate } from '../pipeline/schema/dates.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { field, page, param, type WebDeps, webError, webUser } from './context.js';
import { attachment } from './import-routes.js';
import { parseMultipart } from './multipart.js';
import { sameToken } from './session.js';

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
        envelope: filter.batch ? envelopeAdvice(found) : null,
        problems,
        done: s('done', 80),
        tracked:
          q.tracked !== undefined
            ? { recorded: Number(s('tracked', 6)) || 0, unchanged: Number(s('unchanged', 6)) || 0 }
            : null,
        failed: Number(s('failed', 6)) || 0,
        letters: shown.slice(0, 200).map((l) => ({
          id: l.id,
          number: l.number,
          kind: kindTitle(l.kind),
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
    for (const t of await deps.jobs.workspaceBatches(batchId)) {
      if (t.mode !== 'issue' || t.orgId !== me.org.id) continue;
      for (const i of await deps.jobs.allRows(t.id))
        if (i.letterId && !seen.has(i.letterId)) {
          seen.add(i.letterId);
          out.push(await issued.get(i.letterId, me.org.id));
        }
    }
    return out;
  }

  /** Which envelope the batch's letters go in: only letters of a window version fit a window envelope. */
  function envelopeAdvice(letters: LetterRecord[]) {
    const live = letters.filter((l) => l.status !== 'void');
    const prints = live.map((l) => templatePrintsWindow(l.template));
    return {
      size: WINDOW_ENVELOPE.zh,
      windowed: prints.filter((p) => p === true).length,
      plain: prints.filter((p) => p === false).length,
      unknown: prints.filter((p) => p === null).length,
    };
  }

  /** The batch's live letters in posting order: the mailing list and the print file follow the same one. */
  async function posting(req: Parameters<typeof param>[0], res: Parameters<typeof webUser>[0]) {
    const letters = await lettersOfBatch(param(req, 'id'), res);
    const list = mailingList(letters, (l) => issued.inputOf(l));
    if (!list.rows.length) throw webError(404, '该批次还没有可交寄的函件。');
    return list;
  }

  r.get(
    '/batches/:id/mailing-list.xlsx',
    h.wrap(async (req, res) => {
      const { rows } = await posting(req, res);
      const xlsx = writeXlsx({
        name: '交寄清单',
        header: [...MAILING_HEADER],
        rows: mailingSheetRows(rows),
        widths: [6, 12, 48, 9, 14, 12, 30],
      });
      res
        .set('Content-Disposition', attachment(`交寄清单-${param(req, 'id').slice(0, 8)}.xlsx`, 'mailing-list.xlsx'))
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(Buffer.from(xlsx));
    }),
  );

  r.get(
    '/batches/:id/print.pdf',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const { rows } = await posting(req, res);
      const pdfs: Uint8Array[] = [];
      for (const row of rows) pdfs.push(new Uint8Array((await issued.pdf(row.letterId, me.org.id)).pdf));
      const { pdf } = await printFile(pdfs);
      res
        .set('Content-Disposition', attachment(`打印文件-${param(req, 'id').slice(0, 8)}.pdf`, 'print.pdf'))
        .type('application/pdf')
        .send(Buffer.from(pdf));
    }),
  );

  const upload = express.raw({ type: 'multipart/form-data', limit: DEFAULT_LIMITS.maxFileBytes + 64 * 1024 });
  r.post(
    '/letters/tracking',
    upload,
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const mp = Buffer.isBuffer(req.body) ? parseMultipart(req.body, req.get('content-type') ?? '') : null;
      if (!mp || !sameToken(mp.fields._csrf, me.csrf))
        throw webError(403, '表单缺少有效的安全令牌（CSRF），请返回页面刷新后重试。');
      const back = (mp.fields.batch ?? '').slice(0, 80);
      if (!mp.file?.bytes.length) throw webError(422, '请选择运单表（XLSX 或 CSV）。');
      let table: Awaited<ReturnType<typeof readTableInWorker>>;
      try {
        table = await readTableInWorker(mp.file.bytes);
      } catch (e) {
        throw webError(422, `运单表：${(e as { zh?: string }).zh ?? '无法读取该文件。'}`);
      }
      const read = readTrackingRows(table.rows);
      if (read.headerProblem)
        throw webError(422, `运单表${read.headerProblem}表头应有 函号、运单号，可有 交寄日期、投递结果、结果日期。`);
      const done = await parts.delivery.importTracking(
        read.rows,
        { orgId: me.org.id, actor: me.caller.keyId },
        read.problems,
      );
      if (done.failures.length)
        return page(
          res,
          'tracking-result',
          '运单导入未完成',
          {
            nav: 'letters',
            failures: done.failures,
            rows: read.rows.length + read.problems.length,
            batch: back,
          },
          422,
        );
      const q = new URLSearchParams({ tracked: `${done.recorded}`, unchanged: `${done.skipped}` });
      if (back) q.set('batch', back);
      res.redirect(303, `/app/letters?${q}`);
    }),
  );

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
