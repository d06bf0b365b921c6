/**
 * The compliance guard: runs on every letter after its text exists and before any PDF.
 * Forbidden content (a data file), required content per kind, charges and a repayment plan's
 * own cost against the legal caps, personal data (the debtor is the only addressee; identifiers
 * only masked), and payment only through the letter's own channels (free-text.ts).
 */
import { HanjianError, type Issue, makeIssue } from '../../shared/errors.js';
import type { LetterFacts, Warning } from '../facts/derive.js';
import type { Figures } from '../facts/interest.js';
import type { LetterDocument } from '../markup/model.js';
import { stringFieldsWhere } from '../schema/fields-with.js';
import type { LetterData } from '../schema/validate.js';
import { checkCharges } from './charges.js';
import { findConduct } from './conduct.js';
import { type ConductRules, getConductRules } from './conduct-rules.js';
import { foldWidth } from './fold.js';
import { checkFreeText } from './free-text.js';
import { checkPlanCost, printedOptions } from './plan-cost-cap.js';
import { getRates, type RateTable } from './rules.js';
import { saleDamagesWarnings } from './sale-damages.js';

export interface ComplianceOptions {
  /** What a charge over the legal cap does: reject the letter (default) or print a warning on the result. */
  chargesOverCap?: 'error' | 'warn';
  /** The conduct rules (rules/compliance.json by default). */
  conduct?: ConductRules;
  rates?: RateTable;
}

export interface GuardInput {
  data: LetterData;
  facts: LetterFacts;
  document: LetterDocument;
  text: string;
  templateFile: string;
}

/**
 * Forbidden conduct (rules/compliance.json). Each hit names the category, the words, the line
 * of the letter text and where they came from: the input field that holds them, or else the
 * template (`templateFile`). A match is of the folded text (fold.ts), so fields are folded to find it.
 */
export function checkForbidden(
  text: string,
  rules: ConductRules,
  source: { data?: unknown; templateFile?: string } = {},
): Issue[] {
  return findConduct(text, rules).map((h) => {
    const fields = source.data ? stringFieldsWhere(source.data, (s) => foldWidth(s).includes(h.match)) : [];
    const at = fields.length
      ? fields.join(', ')
      : source.templateFile
        ? `${source.templateFile} (text:${h.line})`
        : `text:${h.line}`;
    return makeIssue(
      at,
      'COMPLIANCE_FORBIDDEN',
      `${h.zh}：“${h.match}”（第 ${h.line} 行：${h.sentence}）`,
      `${h.en}: "${h.match}" (line ${h.line}: ${h.sentence}) [rule ${h.category}, rules v${rules.version}]`,
    );
  });
}

/** The parties' names, with where each came from: printed where the template puts them, they are identity, not wording. */
function partyNames(data: LetterData): [string, string][] {
  return [
    ['debtor.name', data.debtor.name],
    ['creditor.name', data.creditor.name],
    ...(data.lawFirm ? [['lawFirm.name', data.lawFirm.name] as [string, string]] : []),
    ...(data.lawyers ?? []).map((l, i) => [`lawyers.${i}.name`, l.name] as [string, string]),
  ];
}

/** Addresses, products and banks are printed as given; a road called 到家路 or a product called 借呗 is not conduct. */
function identityValues(data: LetterData): string[] {
  return [
    data.creditor.address,
    data.lawFirm?.address,
    data.debtor.address,
    data.account.product,
    ...data.creditor.paymentChannels.map((c) => (c.type === 'bank' ? c.bank : undefined)),
  ].filter((s): s is string => !!s);
}

/**
 * Forbidden conduct in a letter: party names, addresses, products and banks are masked first
 * (a debtor may really be called 王八), then each name is checked on its own — words inside a
 * longer name ("老赖张三") are caught, a name that merely coincides with a word is not.
 */
export function checkConduct(g: GuardInput, rules: ConductRules): Issue[] {
  const names = partyNames(g.data);
  let masked = g.text;
  const identity = [...names.map(([, n]) => n), ...identityValues(g.data)].sort((a, b) => b.length - a.length);
  for (const value of identity) masked = masked.split(value).join('某某');
  const out = checkForbidden(masked, rules, { data: g.data, templateFile: g.templateFile });
  for (const [path, name] of names) {
    for (const h of findConduct(name, rules)) {
      if (h.match !== name)
        out.push(
          makeIssue(
            path,
            'COMPLIANCE_FORBIDDEN',
            `${h.zh}：“${h.match}”（名称：${name}）`,
            `${h.en}: "${h.match}" (name: ${name}) [rule ${h.category}, rules v${rules.version}]`,
          ),
        );
    }
  }
  return out;
}

export function checkRequired(g: GuardInput): Issue[] {
  const { data, facts, text } = g;
  const flat = text.replace(/\s+/g, '');
  const out: Issue[] = [];
  const need = (ok: boolean, what: string, whatEn: string) => {
    if (!ok)
      out.push(
        makeIssue(
          g.templateFile,
          'COMPLIANCE_REQUIRED_MISSING',
          `函件缺少必备内容：${what}`,
          `the letter lacks a required element: ${whatEn}`,
        ),
      );
  };
  need(flat.includes(data.creditor.name), '债权人全称', "the creditor's full name");
  need(flat.includes(data.creditor.phone), '联系电话', 'a contact phone number');
  need(
    facts.creditor.channels.some((c) => flat.includes(c.isBank ? c.accountNo! : c.description!.replace(/\s+/g, ''))),
    '官方还款渠道',
    'an official payment channel',
  );
  need(/异议/.test(flat), '异议渠道', 'how to object to the amount');
  need(flat.includes(facts.debt.total.figures), '欠款合计（数字）', 'the total in figures');
  need(
    flat.includes(`人民币${facts.debt.total.capitals}`),
    '欠款合计（人民币大写）',
    'the total in capitals after 人民币',
  );
  if (data.kind === 'demand' || data.kind === 'lawyer-letter')
    need(!!facts.deadline && flat.includes(facts.deadline.text), '付款期限', 'the payment deadline');
  // A plan confirmation has no deadline: its schedule takes the place of one.
  if (data.kind === 'plan-confirmation')
    need(
      !!facts.plan && flat.includes(facts.plan.firstDue.text) && flat.includes(facts.plan.lastDue.text),
      '还款计划的各期还款日',
      "the plan's due dates",
    );
  if (data.kind === 'lawyer-letter') {
    need(
      !!data.lawFirm && /接受.{0,80}委托/.test(flat) && flat.includes(data.lawFirm.name),
      '律师事务所接受委托的声明',
      "the law firm's mandate statement",
    );
    for (const l of data.lawyers ?? []) need(flat.includes(l.name), `承办律师 ${l.name}`, `lawyer ${l.name}`);
  }
  return out;
}

export function checkPersonalData(g: GuardInput): Issue[] {
  const { data, document, text } = g;
  const out: Issue[] = [];
  const addressees = document.blocks.filter((b) => b.type === 'addressee');
  if (addressees.length !== 1 || !addressees[0]!.text.includes(data.debtor.name)) {
    out.push(
      makeIssue(
        g.templateFile,
        'COMPLIANCE_ADDRESSEE',
        '函件只能写给债务人本人（需且仅需一个称呼行，包含债务人姓名）',
        "the letter must be addressed to the debtor alone (exactly one addressee line, with the debtor's name)",
      ),
    );
  }
  const leaks: [string, string, string][] = [[data.debtor.idNumber, 'debtor.idNumber', '身份证号']];
  if (data.debtor.phone) leaks.push([data.debtor.phone, 'debtor.phone', '手机号']);
  for (const [value, path, what] of leaks) {
    if (text.includes(value))
      out.push(
        makeIssue(
          path,
          'COMPLIANCE_UNMASKED',
          `函件中出现未打码的${what}`,
          `the letter shows an unmasked ${path.split('.')[1]}`,
        ),
      );
  }
  // Any other full 18-character ID number in the text.
  for (const m of text.matchAll(/(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9X](?![0-9A-Za-z])/g)) {
    if (!data.creditor.paymentChannels.some((c) => c.type === 'bank' && c.accountNo.includes(m[0]))) {
      out.push(
        makeIssue(
          'text',
          'COMPLIANCE_UNMASKED',
          `函件中出现疑似完整身份证号：${m[0].slice(0, 6)}…`,
          `the letter shows what looks like a full ID number: ${m[0].slice(0, 6)}…`,
        ),
      );
    }
  }
  // Payment only to the creditor's own accounts (letters.md: never a personal account).
  data.creditor.paymentChannels.forEach((c, i) => {
    if (c.type === 'bank' && c.accountName !== data.creditor.name) {
      out.push(
        makeIssue(
          `creditor.paymentChannels.${i}.accountName`,
          'COMPLIANCE_PAYMENT_CHANNEL',
          '还款账户户名必须是债权人本身（官方渠道）',
          "a bank payment channel must be in the creditor's own name (official channel)",
        ),
      );
    }
  });
  return out;
}

/**
 * A contract with an arbitration clause is enforced by 申请仲裁 before the body it names, not in
 * court (仲裁法 第五条: a valid arbitration agreement excludes the courts): a letter for it that
 * speaks of 诉讼 or 起诉 misstates the debtor's position. 诉讼时效 (the limitation period, which
 * arbitration follows, 仲裁法 第七十四条) is not a threat of litigation and is not refused.
 */
function checkForum(g: GuardInput) {
  const dispute = g.data.account.disputeResolution;
  if (dispute?.type !== 'arbitration') return [];
  const hits = [...g.text.matchAll(/[^。；\n]*?(诉讼(?!时效)|起诉|应诉)[^。；\n]*/g)];
  return hits
    .slice(0, 3)
    .map((m) =>
      makeIssue(
        'account.disputeResolution',
        'COMPLIANCE_FORUM',
        `合同约定仲裁（${dispute.body}），函件不得称诉讼或起诉：“${m[0].trim().slice(0, 60)}”`,
        `the contract provides for arbitration (${dispute.body}): the letter must not speak of litigation: "${m[0].trim().slice(0, 60)}"`,
      ),
    );
}

/** Throws COMPLIANCE (listing every finding) or returns warnings for over-cap charges when so configured. */
export function runGuard(g: GuardInput, options: ComplianceOptions = {}, figures?: Figures): Warning[] {
  const rates = options.rates ?? getRates();
  const charges = checkCharges(g.data, rates, figures);
  const errors = [
    ...checkConduct(g, options.conduct ?? getConductRules()),
    ...checkRequired(g),
    ...checkPersonalData(g),
    ...checkForum(g),
    // The whole text, template wording included (issue 32); the number the registry assigns is the letter's own.
    ...checkFreeText(g.data, g.text, g.templateFile, g.facts.letterNo ? [g.facts.letterNo] : []),
    ...(options.chargesOverCap === 'warn' ? charges.filter((c) => c.code !== 'CHARGE_OVER_CAP') : charges),
    // Never a warning only: a plan offered or confirmed above the cap is a new agreement on unlawful terms.
    ...checkPlanCost(g.data, printedOptions(g.facts.plans), rates),
  ];
  if (errors.length) {
    throw new HanjianError({
      code: 'COMPLIANCE',
      category: 'compliance',
      zh: `函件未通过合规检查（${errors.length} 项）`,
      en: `the letter failed the compliance guard (${errors.length} finding(s))`,
      issues: errors,
    });
  }
  return [
    ...(options.chargesOverCap === 'warn'
      ? charges.filter((c) => c.code === 'CHARGE_OVER_CAP').map((c) => ({ code: c.code, message: c.message }))
      : []),
    ...saleDamagesWarnings(g.data, rates),
  ];
}
