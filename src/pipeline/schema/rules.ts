/**
 * Rules that span fields or need "today". They run on whatever fields parsed, even when
 * others did not, so that one bad date does not hide a wrong ID check digit or a total that
 * does not add up: every independent problem is reported in one pass.
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import { addDays, daysBetween } from './dates.js';
import { checkResidentId } from './ids.js';
import { KIND_FIELD_MESSAGES, KIND_FIELDS } from './kinds.js';
import type { LetterKind, ParsedLetter } from './letter.js';

type DebtItem = 'principal' | 'interest' | 'overdueInterest' | 'penalty' | 'fees' | 'paid' | 'total';

/** The fields the rules read; each is undefined when it is missing or failed its own check. */
export interface RuleFields {
  kind?: LetterKind;
  template?: string;
  issueDate?: string;
  asOf?: string;
  idNumber?: string;
  contractDate?: string;
  dueDate?: string;
  /** Presence only: their contents are checked by the schema. */
  has: { lawFirm: boolean; lawyers: boolean; demand: boolean; plans: boolean; previous: boolean; plan: boolean };
  debt: Partial<Record<DebtItem, number>>;
}

export function fieldsOfParsed(v: ParsedLetter, issueDate: string, asOf: string): RuleFields {
  return {
    kind: v.kind,
    template: v.template,
    issueDate,
    asOf,
    idNumber: v.debtor.idNumber,
    contractDate: v.account.contractDate,
    dueDate: v.account.dueDate,
    has: {
      lawFirm: !!v.lawFirm,
      lawyers: !!v.lawyers,
      demand: !!v.demand,
      plans: !!v.plans,
      previous: !!v.previous,
      plan: !!v.plan,
    },
    debt: v.debt,
  };
}

export function checkLetterRules(v: RuleFields, today: string): Issue[] {
  const out: Issue[] = [];
  const add = (path: string, code: string, zh: string, en: string) => out.push(makeIssue(path, code, zh, en));
  const { issueDate, asOf, contractDate, dueDate } = v;

  if (v.idNumber !== undefined) {
    const id = checkResidentId(v.idNumber, today);
    if (!id.ok) add('debtor.idNumber', id.code, id.zh, id.en);
  }

  if (v.kind && v.template && !v.template.replace(/^firm:/, '').startsWith(`${v.kind}@`)) {
    add(
      'template',
      'TEMPLATE_KIND_MISMATCH',
      `模板 ${v.template} 与函件种类 ${v.kind} 不一致`,
      `template ${v.template} does not match kind ${v.kind}`,
    );
  }

  // Which optional fields the kind requires or refuses: one table (kinds.ts), shared with the published schemas.
  if (v.kind) {
    const kindFields = KIND_FIELDS[v.kind];
    for (const f of kindFields.required)
      if (!v.has[f]) add(KIND_FIELD_MESSAGES[f].path, 'REQUIRED', ...KIND_FIELD_MESSAGES[f].required);
    for (const f of kindFields.refused) if (v.has[f]) add(f, 'NOT_ALLOWED', ...KIND_FIELD_MESSAGES[f].refused);
  }

  // Dates: contractDate ≤ dueDate ≤ asOf ≤ issueDate, nothing more than a year ahead of today.
  if (contractDate && dueDate && contractDate > dueDate)
    add('account.dueDate', 'DATE_ORDER', '到期日不能早于合同签订日', 'dueDate must not be before contractDate');
  if (dueDate && asOf && dueDate > asOf)
    add('asOf', 'DATE_ORDER', '计算日（asOf）不能早于到期日', 'asOf must not be before account.dueDate');
  if (asOf && issueDate && asOf > issueDate)
    add('asOf', 'DATE_ORDER', '计算日（asOf）不能晚于发函日', 'asOf must not be after issueDate');
  if (v.kind && v.kind !== 'reminder' && dueDate && asOf && daysBetween(dueDate, asOf) < 1) {
    add(
      'account.dueDate',
      'NOT_OVERDUE',
      '催告函和律师函要求至少逾期 1 天',
      'a demand or lawyer-letter needs at least one day overdue',
    );
  }
  const limit = addDays(today, 366);
  for (const [path, d] of [
    ['issueDate', issueDate],
    ['asOf', asOf],
    ['account.contractDate', contractDate],
    ['account.dueDate', dueDate],
  ] as const) {
    if (d && d > limit)
      add(path, 'DATE_TOO_FAR', `日期 ${d} 晚于一年之后`, `date ${d} is more than a year in the future`);
  }
  if (contractDate && contractDate > today)
    add('account.contractDate', 'DATE_IN_FUTURE', '合同签订日不能晚于今天', 'contractDate must not be in the future');

  checkMoney(v.debt, add);
  return out;
}

/** Paid never exceeds what was owed; a given total must equal the itemised sum. Needs every item that sums. */
function checkMoney(d: RuleFields['debt'], add: (path: string, code: string, zh: string, en: string) => void): void {
  const { principal, interest, overdueInterest, penalty, fees, paid, total } = d;
  if (
    principal === undefined ||
    interest === undefined ||
    overdueInterest === undefined ||
    penalty === undefined ||
    fees === undefined ||
    paid === undefined
  )
    return;
  const owed = principal + interest + overdueInterest + penalty + fees;
  if (paid > owed) add('debt.paid', 'PAID_EXCEEDS_OWED', '已还金额超过应还合计', 'paid exceeds the amount owed');
  if (total !== undefined && total !== owed - paid) {
    add(
      'debt.total',
      'TOTAL_MISMATCH',
      `合计 ${fmt(total)} 元与分项之和 ${fmt(owed - paid)} 元不符（本金+利息+逾期利息+违约金+费用−已还）`,
      `total ${fmt(total)} does not equal the itemised sum ${fmt(owed - paid)} (principal+interest+overdueInterest+penalty+fees−paid)`,
    );
  }
  if (owed - paid <= 0) add('debt', 'NOTHING_OWED', '欠款合计为零，无需发函', 'nothing is owed; no letter is needed');
}

function fmt(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
