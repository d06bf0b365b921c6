/**
 * One letter's page (/app/letters/:id): its state and history, and what the firm records next —
 * dispatch, delivery, refusal or return (with a tracking number), a payment, the resolution of a
 * debtor's dispute — and its evidence package. Everything goes through the parts the API uses:
 * delivery.record (which decides what may follow what), debtors.resolve, and the court package of history/evidence.ts.
 *
 * Who may do what: anyone of the issuing organisation records delivery and payments (the
 * assistant's daily work; the delivery part refuses other organisations); a dispute is
 * resolved by a lawyer or an administrator of the creditor (the debtors part checks the
 * creditor).
 */
import type { Router } from 'express';
import { fileNameOf } from '../delivery/evidence-package.js';
import { CHANNEL_LABELS, EVENT_LABELS } from '../delivery/labels.js';
import { beijingMoment, CHANNELS, type LetterEvent, mayFollow } from '../delivery/lifecycle.js';
import { letterStatuses } from '../history/letter-status.js';
import { fenToYuan } from '../pipeline/index.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { isHanjianError } from '../shared/errors.js';
import { field, page, param, type WebDeps, webError, webUser } from './context.js';
import { attachment } from './import-routes.js';
import { chineseOnly } from './text.js';

const KINDS: Record<string, string> = { reminder: '还款提醒函', demand: '逾期催告函', 'lawyer-letter': '律师函' };
const FIELD_NAMES: Record<string, string> = {
  at: '时间',
  trackingNo: '运单号',
  channel: '方式',
  amount: '金额',
  note: '备注',
  type: '事项',
};
const RECORDABLE = ['dispatched', 'delivered', 'refused', 'returned', 'paid'] as const;

function describe(e: LetterEvent): string {
  const d = e.details;
  const parts: string[] = [];
  if (typeof d.channel === 'string') parts.push(CHANNEL_LABELS[d.channel] ?? d.channel);
  if (typeof d.trackingNo === 'string') parts.push(`运单号 ${d.trackingNo}`);
  if (typeof d.address === 'string') parts.push(`寄往 ${d.address}`);
  if (typeof d.amount === 'string') parts.push(`${d.amount} 元${d.overpayment ? '（多付）' : ''}`);
  if (e.type === 'plan-accepted' && typeof d.terms === 'number') parts.push(`分 ${d.terms} 期`);
  if (typeof d.note === 'string') parts.push(d.note);
  return parts.join('，');
}

export function letterPageRoutes(r: Router, deps: WebDeps, h: RouteHelpers): void {
  const { parts } = deps;

  r.get(
    '/letters/:id',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const letter = await parts.letters.get(param(req, 'id'), me.org.id);
      const st = (await letterStatuses(parts.history, [letter])).get(letter.id)!;
      const issuer = letter.orgId === me.org.id;
      const creditor = letter.clientOrgId === me.org.id;
      const disputes =
        creditor || issuer
          ? (await parts.debtors.list(me.caller)).filter(
              (d) => d.letterId === letter.id || (!!letter.contractNo && d.contractNo === letter.contractNo),
            )
          : [];
      const may = (t: (typeof RECORDABLE)[number]) => issuer && mayFollow(st.delivery, t);
      const now = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16);
      page(res, 'letter', letter.number, {
        nav: 'letters',
        done: typeof req.query.done === 'string' ? req.query.done.slice(0, 40) : '',
        letter: {
          id: letter.id,
          number: letter.number,
          kind: KINDS[letter.kind] ?? letter.kind,
          contractNo: letter.contractNo,
          debtor: letter.debtorMasked,
          total: fenToYuan(letter.totalFen),
          issueDate: letter.issueDate,
          verifyCode: letter.verifyCode,
          voidReason: letter.voidReason,
          voidedOn: letter.voidedOn,
        },
        state: st.status,
        stateLabel: st.label,
        paid: fenToYuan(st.paidFen),
        outstanding: fenToYuan(st.outstandingFen),
        events: st.events.map((e) => ({
          iso: e.at,
          label: EVENT_LABELS[e.type] ?? e.type,
          type: e.type,
          what: describe(e),
        })),
        issuer,
        now,
        can: {
          dispatch: may('dispatched'),
          arrive: may('delivered') || may('refused') || may('returned'),
          pay: may('paid'),
          resolve: creditor && me.user.role !== 'assistant',
        },
        channels: CHANNELS.map((c) => ({ key: c, label: CHANNEL_LABELS[c] ?? c })),
        disputes: disputes.map((d) => ({
          id: d.id,
          kind: d.type === 'dispute' ? '异议' : '困难帮扶申请',
          text: d.text,
          contact: d.contact,
          open: d.status === 'open',
          filedAt: d.createdAt,
          resolvedAt: d.resolvedAt ?? '',
          note: d.resolutionNote,
        })),
      });
    }),
  );

  r.post(
    '/letters/:id/events',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const type = field(req, 'type', 20);
      if (!(RECORDABLE as readonly string[]).includes(type)) throw webError(422, '请选择要记录的事项。');
      const at = beijingMoment(field(req, 'at', 40));
      if (!at) throw webError(422, '请填写时间（北京时间）。');
      const body: Record<string, unknown> = { type, at };
      if (type === 'dispatched') {
        body.channel = field(req, 'channel', 20) || 'ems';
        const tracking = field(req, 'trackingNo', 41).replace(/\s+/g, '');
        if (tracking) body.trackingNo = tracking;
      } else if (type === 'paid') {
        body.amount = field(req, 'amount', 20);
        if (field(req, 'overpayment', 5) === 'on') body.overpayment = true;
      } else {
        const note = field(req, 'note', 201);
        if (note) body.note = note;
      }
      const id = param(req, 'id');
      try {
        await parts.delivery.record(id, body, { orgId: me.org.id, actor: me.caller.keyId });
      } catch (e) {
        // The part's refusal, worded for the form: the field's name in Chinese, no English half.
        if (isHanjianError(e) && e.category === 'invalid_input' && e.issues.length)
          throw webError(
            422,
            e.issues
              .map(
                (i) =>
                  `${FIELD_NAMES[i.path] ?? i.path}：${chineseOnly(i.message.slice(i.path ? i.path.length + 2 : 0))}`,
              )
              .join('；'),
          );
        throw e;
      }
      res.redirect(303, `/app/letters/${encodeURIComponent(id)}?done=${encodeURIComponent(EVENT_LABELS[type]!)}`);
    }),
  );

  r.post(
    '/letters/:id/responses/:rid/resolve',
    h.wrap(async (req, res) => {
      const me = webUser(res);
      if (me.user.role === 'assistant') throw webError(403, '只有律师或管理员可以处理异议。');
      const id = param(req, 'id');
      await parts.debtors.resolve(param(req, 'rid'), me.caller, field(req, 'note', 501));
      res.redirect(303, `/app/letters/${encodeURIComponent(id)}?done=${encodeURIComponent('异议处理')}`);
    }),
  );

  r.get(
    '/letters/:id/evidence.zip',
    h.wrap(async (req, res) => {
      const { record, zip } = await parts.evidence.forLetter(param(req, 'id'), webUser(res).org.id);
      res
        .set('Content-Disposition', attachment(`证据-${fileNameOf(record.number)}.zip`, `evidence-${record.id}.zip`))
        .type('application/zip')
        .send(zip);
    }),
  );
}
