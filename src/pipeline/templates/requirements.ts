/**
 * What a template version demands of its input beyond the input contract: fields it needs
 * (manifest `requires`), the free text it allows (manifest `freeText`; none in lawyer's
 * letters from version 2) and the clauses it offers. Each problem is an issue naming the field.
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import { addresseeOf, isPosted, postcodeConflict } from '../facts/envelope.js';
import { codePointLength } from '../schema/text.js';
import type { LetterData } from '../schema/validate.js';
import type { TemplateVersion } from './catalog.js';
import { checkClauses, valueAt } from './clauses.js';

export function checkTemplateInput(t: TemplateVersion, data: LetterData): Issue[] {
  const out: Issue[] = [];
  for (const path of t.manifest.requires) {
    if (valueAt(data, path) === undefined) {
      out.push(makeIssue(path, 'REQUIRED', `模板 ${t.id} 需要该字段`, `template ${t.id} requires this field`));
    }
  }
  if (t.manifest.prints.includes('window')) out.push(...windowIssues(t, data));
  const note = data.relief?.note;
  if (note !== undefined && t.manifest.freeText) {
    const max = t.manifest.freeText['relief.note'];
    if (max === undefined) {
      out.push(
        makeIssue(
          'relief.note',
          'FREE_TEXT_NOT_ALLOWED',
          `模板 ${t.id} 不接受自由文本：请从条款库中选择条款（clauses）`,
          `template ${t.id} accepts no free text: choose approved clauses from its library (clauses)`,
        ),
      );
    } else if (codePointLength(note) > max) {
      out.push(
        makeIssue(
          'relief.note',
          'OUT_OF_RANGE',
          `长度不能大于 ${max}（模板 ${t.id}）`,
          `length must be at most ${max} (template ${t.id})`,
        ),
      );
    }
  }
  // A version that would not print them must not silently drop an offer or a reference.
  for (const part of ['plans', 'previous'] as const) {
    if (data[part] !== undefined && !t.manifest.prints.includes(part)) {
      out.push(
        makeIssue(
          part,
          'NOT_PRINTED',
          `模板 ${t.id} 不打印该内容，请使用较新的版本`,
          `template ${t.id} does not print ${part}: use a newer version`,
        ),
      );
    }
  }
  // A version that does not state a plan's cost says the plan costs nothing: it must not carry one that does.
  if (!t.manifest.prints.includes('plan-cost')) {
    if (data.plans?.interest === 'continues')
      out.push(
        makeIssue(
          'plans.interest',
          'NOT_PRINTED',
          `模板 ${t.id} 不列明分期方案的成本（写明“不另收取利息”），不能用于分期期间继续计息的方案，请使用较新的版本`,
          `template ${t.id} states that a plan costs nothing: it cannot offer a plan under which interest continues; use a newer version`,
        ),
      );
    if (data.plan?.cost)
      out.push(
        makeIssue(
          'plan.cost',
          'NOT_PRINTED',
          `模板 ${t.id} 不列明还款计划的成本，请使用较新的版本`,
          `template ${t.id} does not state a plan's cost: use a newer version`,
        ),
      );
  }
  // Acceleration stated as a plan term needs a version that prints it (issue 28 §3); an older one would drop the term.
  if (data.plans?.acceleration === true && !t.manifest.states.includes('plan-terms'))
    out.push(
      makeIssue(
        'plans.acceleration',
        'NOT_PRINTED',
        `模板 ${t.id} 不写明方案的提前到期条款，请使用较新的版本`,
        `template ${t.id} does not state a plan's acceleration term: use a newer version`,
      ),
    );
  out.push(...checkClauses(t.clauses, t.id, data.clauses, data));
  return out;
}

/**
 * A version that prints the envelope window (issue 29): a letter posted by EMS or registered mail
 * needs an address that is more than a postcode, and a postcode given beside the address must be
 * the one written in it.
 */
function windowIssues(t: TemplateVersion, data: LetterData): Issue[] {
  const out: Issue[] = [];
  if (data.delivery !== undefined && isPosted(data.delivery) && !addresseeOf(data.debtor))
    out.push(
      makeIssue(
        'debtor.address',
        'REQUIRED',
        `模板 ${t.id} 邮寄送达，需要收件地址（印在信封窗口处；只有邮编不算地址）`,
        `template ${t.id} is posted: it needs the postal address, printed for the envelope window (a postcode alone is no address)`,
      ),
    );
  const written = postcodeConflict(data.debtor);
  if (written)
    out.push(
      makeIssue(
        'debtor.postcode',
        'POSTCODE_MISMATCH',
        `与地址中写的邮编 ${written} 不一致，请改正其中之一`,
        `differs from the postcode ${written} written in the address: correct one of them`,
      ),
    );
  return out;
}
