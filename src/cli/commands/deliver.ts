/**
 * hanjian deliver, hanjian payments and hanjian letters: a letter's life after it is issued,
 * from the terminal — dispatch (with a tracking number), delivery, refusal, return, payments —
 * through the same delivery part the API and the workspace use, and each letter's state from
 * the one rule (delivery/letter-state.ts via history/letter-status.ts).
 */
import { parseArgs } from 'node:util';
import { openRegistry, type Registry } from '../../app/library.js';
import { CHANNEL_LABELS, EVENT_LABELS } from '../../delivery/labels.js';
import { beijingMoment } from '../../delivery/lifecycle.js';
import { isLetterStatus, LETTER_STATUS_LABELS, LETTER_STATUSES, letterStatuses } from '../../history/letter-status.js';
import type { LetterRecord } from '../../letters/letter-store.js';
import { fenToYuan } from '../../pipeline/index.js';
import { HanjianError } from '../../shared/errors.js';
import { UsageError } from '../exit.js';
import type { Out } from '../io.js';
import { terminal } from '../terminal.js';
import { orgId } from './admin.js';

export const DELIVER_HELP = `hanjian deliver <number> dispatched|delivered|refused|returned --org ORG [--tracking NO] [--channel CH] [--at TIME] [--note TEXT] [--json]

Records what happened to an issued letter (送达): 交寄 (dispatched, with the carrier's tracking
number), 妥投 (delivered), 拒收 (refused) or 退回 (returned). Only the issuing organisation
records; what may follow what is the registry's rule (a returned or refused letter may be sent
again; nothing follows a void one). Prints the letter's state afterwards.
  --org ORG        the issuing organisation (id or name)
  --tracking NO    the tracking number (运单号), 4–40 letters, digits or hyphens (dispatched only)
  --channel CH     ems (default), registered-mail, email, sms-link, in-app (dispatched only)
  --at TIME        when, Beijing time: "2026-12-07 09:30", a date (noon), or ISO 8601 with its
                   offset; default now
  --note TEXT      a note of up to 200 characters (delivered, refused, returned)
  --db FILE        the registry database (default HANJIAN_DB, else ./data/hanjian.db)
Example:
  hanjian deliver "（2026）京某律函字第0128号" dispatched --org 北京某某律师事务所 --tracking EA123456789CN`;

export const PAYMENTS_HELP = `hanjian payments add <number> --amount YUAN --org ORG [--at TIME] [--overpayment] [--json]
hanjian payments list <number> --org ORG [--json]

Records a payment against an issued letter (还款), in yuan with at most two decimals, or lists
the payments recorded. A payment above what is still owed is refused unless --overpayment says
the debtor really paid more. Once the whole amount is paid the letter's state is 已付款.
  --at TIME        when the money arrived, Beijing time (as for hanjian deliver); default now
Example:
  hanjian payments add "（2026）京某律函字第0128号" --amount 1200.00 --org 北京某某律师事务所 --at 2026-12-07`;

export const LETTERS_HELP = `hanjian letters list --org ORG [--state STATE] [--json]

Lists the organisation's newest 500 letters with their state and the count per state:
${LETTER_STATUSES.map((s) => `${s} (${LETTER_STATUS_LABELS[s]})`).join(', ')}.
  --state STATE    only letters in this state
Example:
  hanjian letters list --org 北京某某律师事务所 --state refused`;

const COMMON = {
  db: { type: 'string' },
  org: { type: 'string' },
  at: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const KINDS = ['dispatched', 'delivered', 'refused', 'returned'] as const;

async function letterOf(r: Registry, org: string, number: string): Promise<LetterRecord> {
  const hit = (await r.letters.byNumber(number.trim())).find((l) => l.orgId === org || l.clientOrgId === org);
  if (!hit)
    throw new HanjianError({
      code: 'LETTER_NOT_FOUND',
      category: 'not_found',
      zh: '本机构没有这个函号的函件',
      en: 'this organisation has no letter with that number',
    });
  return hit;
}

async function stateLine(r: Registry, letter: LetterRecord) {
  const st = (await letterStatuses(r.history, [letter])).get(letter.id)!;
  return st;
}

export async function runDeliver(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...COMMON,
      tracking: { type: 'string' },
      channel: { type: 'string' },
      note: { type: 'string' },
    },
  });
  if (values.help) return out.help(DELIVER_HELP);
  const [number, type] = positionals;
  if (positionals.length !== 2 || !(KINDS as readonly string[]).includes(type ?? ''))
    throw new UsageError(`deliver takes a letter number and one of ${KINDS.join(', ')}`);
  if (type !== 'dispatched' && (values.tracking || values.channel))
    throw new UsageError('--tracking and --channel go with dispatched');
  if (type === 'dispatched' && values.note) throw new UsageError('--note goes with delivered, refused or returned');
  const registry = openRegistry({ env: terminal().env, db: values.db });
  try {
    const org = await orgId(registry, values.org);
    const letter = await letterOf(registry, org, number!);
    const body: Record<string, unknown> = { type, at: values.at ? beijingMoment(values.at) : new Date().toISOString() };
    if (type === 'dispatched') {
      body.channel = values.channel ?? 'ems';
      if (values.tracking) body.trackingNo = values.tracking.trim();
    } else if (values.note) body.note = values.note;
    const e = await registry.delivery.record(letter.id, body, { orgId: org, actor: 'cli' });
    const st = await stateLine(registry, letter);
    if (values.json) return out.json({ event: e, number: letter.number, state: st.status, stateLabel: st.label });
    const how =
      type === 'dispatched'
        ? `（${CHANNEL_LABELS[body.channel as string] ?? body.channel}${body.trackingNo ? `，运单号 ${body.trackingNo}` : ''}）`
        : '';
    out.line(`已记录${EVENT_LABELS[type!]}${how}：${letter.number}，${e.at}`);
    out.line(`状态 / state: ${st.label}（${st.status}）`);
    return 0;
  } finally {
    await registry.close();
  }
}

export async function runPayments(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...COMMON, amount: { type: 'string' }, overpayment: { type: 'boolean' } },
  });
  if (values.help) return out.help(PAYMENTS_HELP);
  const [sub, number] = positionals;
  if (positionals.length !== 2 || (sub !== 'add' && sub !== 'list'))
    throw new UsageError('payments add|list takes one letter number');
  if (sub === 'add' && !values.amount) throw new UsageError('--amount is required (yuan, e.g. 1200.00)');
  const registry = openRegistry({ env: terminal().env, db: values.db });
  try {
    const org = await orgId(registry, values.org);
    const letter = await letterOf(registry, org, number!);
    if (sub === 'add') {
      const e = await registry.delivery.record(
        letter.id,
        {
          type: 'paid',
          at: values.at ? beijingMoment(values.at) : new Date().toISOString(),
          amount: values.amount,
          ...(values.overpayment ? { overpayment: true } : {}),
        },
        { orgId: org, actor: 'cli' },
      );
      const st = await stateLine(registry, letter);
      if (values.json)
        return out.json({
          event: e,
          number: letter.number,
          state: st.status,
          paid: fenToYuan(st.paidFen),
          outstanding: fenToYuan(st.outstandingFen),
        });
      out.line(`已记录还款 ${e.details.amount} 元：${letter.number}，${e.at}`);
      out.line(
        `已还 ${fenToYuan(st.paidFen)} 元，尚欠 ${fenToYuan(st.outstandingFen)} 元；状态 / state: ${st.label}（${st.status}）`,
      );
      return 0;
    }
    const st = await stateLine(registry, letter);
    const paid = st.events.filter((e) => e.type === 'paid');
    if (values.json)
      return out.json({
        number: letter.number,
        payments: paid.map((e) => ({ at: e.at, amount: e.details.amount, amountFen: e.details.amountFen })),
        paid: fenToYuan(st.paidFen),
        outstanding: fenToYuan(st.outstandingFen),
        state: st.status,
      });
    for (const e of paid) out.line(`${e.at}  ${String(e.details.amount).padStart(12)} 元`);
    out.line(`已还 ${fenToYuan(st.paidFen)} 元，尚欠 ${fenToYuan(st.outstandingFen)} 元；状态：${st.label}`);
    return 0;
  } finally {
    await registry.close();
  }
}

export async function runLetters(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...COMMON, state: { type: 'string' } },
  });
  if (values.help) return out.help(LETTERS_HELP);
  if (positionals.length !== 1 || positionals[0] !== 'list') throw new UsageError('letters takes list');
  if (values.state !== undefined && !isLetterStatus(values.state))
    throw new UsageError(`--state is one of ${LETTER_STATUSES.join(', ')}`);
  const registry = openRegistry({ env: terminal().env, db: values.db });
  try {
    const org = await orgId(registry, values.org);
    const all = await registry.letters.list({ orgId: org, limit: 500 });
    const states = await letterStatuses(registry.history, all);
    const counts = Object.fromEntries(LETTER_STATUSES.map((s) => [s, 0])) as Record<string, number>;
    for (const v of states.values()) counts[v.status]! += 1;
    const shown = all.filter((l) => !values.state || states.get(l.id)!.status === values.state);
    if (values.json)
      return out.json({
        counts,
        letters: shown.map((l) => ({
          id: l.id,
          number: l.number,
          issueDate: l.issueDate,
          total: fenToYuan(l.totalFen),
          state: states.get(l.id)!.status,
          paid: fenToYuan(states.get(l.id)!.paidFen),
        })),
      });
    for (const l of shown)
      out.line(`${l.number}  ${l.issueDate}  ${fenToYuan(l.totalFen).padStart(12)} 元  ${states.get(l.id)!.label}`);
    out.line(
      LETTER_STATUSES.filter((s) => counts[s])
        .map((s) => `${LETTER_STATUS_LABELS[s]} ${counts[s]}`)
        .join('，') || '没有函件',
    );
    return 0;
  } finally {
    await registry.close();
  }
}
