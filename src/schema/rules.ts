/** Rules that span fields or need "today": the second pass after the shape is known to be right. */
import { makeIssue, type Issue } from '../errors.js';
import { addDays, daysBetween } from './dates.js';
import { checkResidentId } from './ids.js';
import { KIND_FIELD_MESSAGES, KIND_FIELDS } from './kinds.js';
import type { ParsedLetter } from './letter.js';

export function checkLetterRules(v: ParsedLetter, issueDate: string, asOf: string, today: string): Issue[] {
  const out: Issue[] = [];
  const add = (path: string, code: string, zh: string, en: string) => out.push(makeIssue(path, code, zh, en));

  const id = checkResidentId(v.debtor.idNumber, today);
  if (!id.ok) add('debtor.idNumber', id.code, id.zh, id.en);

  if (v.template && !v.template.startsWith(`${v.kind}@`)) {
    add('template', 'TEMPLATE_KIND_MISMATCH', `模板 ${v.template} 与函件种类 ${v.kind} 不一致`, `template ${v.template} does not match kind ${v.kind}`);
  }

  const kindFields = KIND_FIELDS[v.kind];
  for (const f of kindFields.required) if (v[f] === undefined) add(KIND_FIELD_MESSAGES[f].path, 'REQUIRED', ...KIND_FIELD_MESSAGES[f].required);
  for (const f of kindFields.refused) if (v[f] !== undefined) add(f, 'NOT_ALLOWED', ...KIND_FIELD_MESSAGES[f].refused);

  // Dates: contractDate ≤ dueDate ≤ asOf ≤ issueDate, nothing more than a year ahead of today.
  const a = v.account;
  if (a.contractDate > a.dueDate) add('account.dueDate', 'DATE_ORDER', '到期日不能早于合同签订日', 'dueDate must not be before contractDate');
  if (a.dueDate > asOf) add('asOf', 'DATE_ORDER', '计算日（asOf）不能早于到期日', 'asOf must not be before account.dueDate');
  if (asOf > issueDate) add('asOf', 'DATE_ORDER', '计算日（asOf）不能晚于发函日', 'asOf must not be after issueDate');
  if (v.kind !== 'reminder' && daysBetween(a.dueDate, asOf) < 1) {
    add('account.dueDate', 'NOT_OVERDUE', '催告函和律师函要求至少逾期 1 天', 'a demand or lawyer-letter needs at least one day overdue');
  }
  const limit = addDays(today, 366);
  for (const [path, d] of [['issueDate', issueDate], ['asOf', asOf], ['account.contractDate', a.contractDate], ['account.dueDate', a.dueDate]] as const) {
    if (d > limit) add(path, 'DATE_TOO_FAR', `日期 ${d} 晚于一年之后`, `date ${d} is more than a year in the future`);
  }
  if (a.contractDate > today) add('account.contractDate', 'DATE_IN_FUTURE', '合同签订日不能晚于今天', 'contractDate must not be in the future');

  // Money: paid never exceeds what was owed; a given total must equal the itemised sum.
  const d = v.debt;
  const owed = d.principal + d.interest + d.overdueInterest + d.penalty + d.fees;
  if (d.paid > owed) add('debt.paid', 'PAID_EXCEEDS_OWED', '已还金额超过应还合计', 'paid exceeds the amount owed');
  if (d.total !== undefined && d.total !== owed - d.paid) {
    add('debt.total', 'TOTAL_MISMATCH',
      `合计 ${fmt(d.total)} 元与分项之和 ${fmt(owed - d.paid)} 元不符（本金+利息+逾期利息+违约金+费用−已还）`,
      `total ${fmt(d.total)} does not equal the itemised sum ${fmt(owed - d.paid)} (principal+interest+overdueInterest+penalty+fees−paid)`);
  }
  if (owed - d.paid <= 0) add('debt', 'NOTHING_OWED', '欠款合计为零，无需发函', 'nothing is owed; no letter is needed');
  return out;
}

function fmt(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
