/**
 * The pipeline up to the document model: validate → facts → template → markup → model.
 * Pure: the same input, "today", template catalog and calendar always give the same model.
 */
import { createHash } from 'node:crypto';
import { HanjianError, invalidInput, makeIssue } from '../shared/errors.js';
import { type ComplianceOptions, runGuard } from './compliance/guard.js';
import type { Calendar } from './facts/calendar.js';
import { deriveFacts, type LetterFacts, type Warning } from './facts/derive.js';
import { figuresOf, reconcileFigures } from './facts/reconcile.js';
import type { LetterDocument } from './markup/model.js';
import { parseMarkup } from './markup/parse.js';
import { documentToText } from './markup/text.js';
import { getPolicy, type Policy } from './policy/policy.js';
import { type LetterData, validateLetter } from './schema/validate.js';
import { type Catalog, getCatalog, type TemplateVersion } from './templates/catalog.js';
import { renderClauses } from './templates/clauses.js';
import { type BranchFlip, renderMarkup } from './templates/render.js';
import { checkTemplateInput } from './templates/requirements.js';
import { resolveTemplate } from './templates/resolve.js';

export interface ComposeOptions {
  today?: string;
  catalog?: Catalog;
  calendar?: Calendar;
  /** Letter number to print, overriding the input's (the registry assigns it). */
  letterNo?: string;
  /** Preview: a placeholder number when none is known. */
  preview?: boolean;
  compliance?: ComplianceOptions;
  /** The policy whose minimum demand period final letters must respect (rules/policy.json by default). */
  policy?: Policy;
  /**
   * A letter being issued now (the registry's issue path, `hanjian render`): what new letters
   * must meet is refused instead of warned — interest or overdue interest that does not follow
   * from the terms beyond rounding (unless `debt.basis` is `ledger`), instalments or payments
   * that do not add up, a contract type left out. Not for re-rendering a letter issued before.
   */
  issue?: boolean;
  /** Render one {{#if}}/{{#unless}}/{{#each}} of the template the other way round (catalogs: lint and diff every branch). */
  flipBranch?: BranchFlip;
}

export interface ComposedLetter {
  data: LetterData;
  template: TemplateVersion;
  facts: LetterFacts & { clauses: { id: string; title: string; text: string }[] };
  markup: string;
  document: LetterDocument;
  text: string;
  warnings: Warning[];
  /** sha256 of the normalised input (canonical JSON), recorded in the PDF and the registry. */
  inputSha256: string;
}

export const PREVIEW_LETTER_NO = '（预览件，正式编号待出具时分配）';

export function composeLetter(input: unknown, options: ComposeOptions = {}): ComposedLetter {
  const validated = validateLetter(input, { today: options.today });
  if (!validated.ok) throw invalidInput(validated.issues);
  const data = validated.value;
  const catalog = options.catalog ?? getCatalog();
  const template = resolveTemplate(catalog, data.kind, data.issueDate, data.template);
  // A firm's draft wording has not been released by its lawyer: it may be previewed, never rendered as a final letter.
  if (template.firm?.status === 'draft' && !options.preview) throw templateDraftError(template.id);
  const templateIssues = checkTemplateInput(template, data);
  const minDays = (options.policy ?? getPolicy()).minDemandDays;
  const shortPeriod =
    data.demand && data.demand.days < minDays
      ? makeIssue(
          'demand.days',
          'DEMAND_PERIOD_TOO_SHORT',
          `付款期限 ${data.demand.days} 日短于策略规定的最短期限 ${minDays} 日（正式函件）`,
          `a final letter's demand period of ${data.demand.days} days is shorter than the policy minimum of ${minDays} days`,
        )
      : null;
  // A preview may show a short period (with a warning); a final letter may not.
  if (shortPeriod && !options.preview) templateIssues.push(shortPeriod);
  const figures = figuresOf(data);
  const findings = [...reconcileFigures(data, figures), ...contractTypeFindings(data)];
  // At issue, figures that do not reconcile are refused unless the input states another basis.
  const refused =
    options.issue && !options.preview
      ? findings.filter((f) => !(f.code === 'FIGURES_MISMATCH' && data.debt.basis === 'ledger'))
      : [];
  templateIssues.push(...refused);
  if (templateIssues.length) throw invalidInput(templateIssues);

  let letterNo = options.letterNo ?? data.letterNo ?? null;
  if (!letterNo && options.preview) letterNo = PREVIEW_LETTER_NO;
  if (!letterNo && data.kind === 'lawyer-letter') {
    throw new HanjianError({
      code: 'LETTER_NO_REQUIRED',
      category: 'invalid_input',
      path: 'letterNo',
      zh: '律师函必须有函号：请提供 letterNo，或通过登记簿出具（issue）由系统分配',
      en: 'a lawyer-letter needs a letter number: give letterNo, or issue it through the registry',
    });
  }
  const derived = deriveFacts(data, { letterNo, calendar: options.calendar, figures, template: template.manifest });
  const warnings = derived.warnings;
  if (shortPeriod) warnings.push({ code: shortPeriod.code, message: shortPeriod.message });
  for (const f of findings) if (!refused.includes(f)) warnings.push({ code: f.code, message: f.message });
  // Clauses see the raw facts: the letter's view, clause texts included, is escaped once in renderMarkup.
  const facts = { ...derived.facts, clauses: renderClauses(template.clauses, data.clauses, derived.facts) };
  const markup = renderMarkup(template, facts, options.flipBranch);
  const document = parseMarkup(markup, { file: template.file, templateSource: template.source });
  const text = documentToText(document);
  const windowBlock = document.blocks.find((b) => b.type === 'window');
  // A version older than the window block (pinned, or a firm's own) prints no addressee block: say the postcode went unused.
  if (data.debtor.postcode && facts.envelope && !windowBlock)
    warnings.push({
      code: 'POSTCODE_NOT_PRINTED',
      message: `模板 ${template.id} 不打印信封窗口地址栏：debtor.postcode 未印在函件上，请用普通信封并手写邮编，或改用带地址栏的版本 / template ${template.id} prints no envelope window block: debtor.postcode is not printed; use a plain envelope and write the postcode, or a version with the block`,
    });
  if (windowBlock && !windowBlock.postcode)
    warnings.push({
      code: 'ENVELOPE_NO_POSTCODE',
      message:
        '信封窗口处没有收件人邮编：请填写 debtor.postcode 或在地址中写明邮编 / the envelope window shows no postcode: give debtor.postcode or write it in the address',
    });
  // The guard sees the final text: nothing a template or the data adds escapes it.
  warnings.push(...runGuard({ data, facts, document, text, templateFile: template.file }, options.compliance, figures));
  return { data, template, facts, markup, document, text, warnings, inputSha256: sha256Json(data) };
}

/** No silent default: a letter without a contract type is read as a loan, and says so. */
function contractTypeFindings(data: LetterData) {
  return data.account.contractType === undefined
    ? [
        makeIssue(
          'account.contractType',
          'CONTRACT_TYPE_REQUIRED',
          '未写明合同类型（loan 借款 / instalment-sale 分期付款买卖），函件按借款合同引用法条',
          'no contract type (loan / instalment-sale): the letter cites the articles for a loan',
        ),
      ]
    : [];
}

export function templateDraftError(id: string): HanjianError {
  return new HanjianError({
    code: 'TEMPLATE_DRAFT',
    category: 'conflict',
    path: 'template',
    zh: `模板 ${id} 仍是草稿，只能预览：须由本机构律师发布（hanjian templates release）后才能出具`,
    en: `template ${id} is a draft and can only be previewed: a lawyer of the organisation must release it (hanjian templates release) before letters are issued with it`,
  });
}

/**
 * Canonical JSON (sorted keys) so that key order in the request never changes the hash. The
 * bytes are those of the first version (registry records and PDFs carry this hash): keys in
 * UTF-16 code-unit order, undefined members left out, values as JSON.stringify writes them.
 * Built into one string: the version with entries, filters and joins was a fifth of composing
 * a letter (issue 16).
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  writeCanonical(value, out);
  return out.join('');
}

function writeCanonical(value: unknown, out: string[]): void {
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i) out.push(',');
      writeCanonical(value[i], out);
    }
    out.push(']');
  } else if (value && typeof value === 'object') {
    out.push('{');
    let first = true;
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      out.push(first ? '' : ',', JSON.stringify(key), ':');
      first = false;
      writeCanonical(v, out);
    }
    out.push('}');
  } else {
    out.push(JSON.stringify(value));
  }
}

export function sha256Json(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
