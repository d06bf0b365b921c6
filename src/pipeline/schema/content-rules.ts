/**
 * Cross-field rules about what a letter claims (issue 14), kept apart from rules.ts so each
 * can grow on its own: the letter number must be the sender's own and never look like a court
 * case number; the engagement precedes the letter; clause ids are not repeated.
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import type { ParsedLetter } from './letter.js';

/**
 * Court case numbers (案号, 最高人民法院关于人民法院案件案号的若干规定): （2026）京0105民初12345号 —
 * a year, a court code, a case-type word and a number with no 第. Letter numbers always say 第.
 */
const COURT_CASE =
  /[（(]\d{4}[）)][^第]*?(?:民|刑|行|执|赔|破|知|财|商|司|认|监|审|保|督|特)(?:初|终|再|申|抗|监|提|执|保|恢|异|复|特|督|撤|他|辖|清|催|破|字)?\d+号/u;
const AUTHORITY = /法院|检察院|公安|派出所|仲裁委|执行局|司法局|政府/u;
/** Words that make a number a law firm's (律函、律师函、律所) on a creditor's own letter. */
const LAW_FIRM_WORDS = /律函|律师|律所/u;
/** formats.md: （{year}）{letterPrefix}第{seq}号. */
const LAWYER_LETTER_NO = /^（(\d{4})）(.+)第(\d{1,6})号$/u;

export function checkLetterNo(v: ParsedLetter, issueDate: string): Issue[] {
  const no = v.letterNo;
  if (!no) return [];
  const out: Issue[] = [];
  const add = (code: string, zh: string, en: string) => out.push(makeIssue('letterNo', code, zh, en));
  if (COURT_CASE.test(no) || AUTHORITY.test(no)) {
    add(
      'LETTER_NO_COURT_LIKE',
      `函号“${no}”形似法院案号或国家机关文号，不能用于催收函件`,
      `letter number "${no}" looks like a court case number or an authority's reference and must not be used on a collection letter`,
    );
    return out;
  }
  const year = /[（(](\d{4})[）)]/u.exec(no)?.[1];
  if (year && year !== issueDate.slice(0, 4)) {
    add(
      'LETTER_NO_YEAR',
      `函号年份 ${year} 与发函日 ${issueDate} 不符`,
      `letter number year ${year} does not match issueDate ${issueDate}`,
    );
  }
  if (v.kind === 'lawyer-letter') {
    const m = LAWYER_LETTER_NO.exec(no);
    if (!m) {
      add(
        'LETTER_NO_FORMAT',
        `律师函函号应为“（年份）本所前缀第编号号”，如（2026）京某律函字第0128号`,
        'a lawyer-letter number must read （year）<firm prefix>第<seq>号, e.g. （2026）京某律函字第0128号',
      );
    } else if (v.lawFirm && m[2] !== v.lawFirm.letterPrefix) {
      add(
        'LETTER_NO_PREFIX',
        `函号前缀“${m[2]}”不是本所的前缀“${v.lawFirm.letterPrefix}”`,
        `letter number prefix "${m[2]}" is not this firm's prefix "${v.lawFirm.letterPrefix}"`,
      );
    }
  } else {
    if (LAW_FIRM_WORDS.test(no)) {
      add(
        'LETTER_NO_PREFIX',
        `债权人自己的函件不能使用律师事务所的函号“${no}”`,
        `a creditor's own letter must not carry a law firm's number "${no}"`,
      );
    } else if (v.creditor.letterPrefix && !no.includes(v.creditor.letterPrefix)) {
      add(
        'LETTER_NO_PREFIX',
        `函号“${no}”不含债权人的函号前缀“${v.creditor.letterPrefix}”`,
        `letter number "${no}" does not carry the creditor's prefix "${v.creditor.letterPrefix}"`,
      );
    }
  }
  return out;
}

export function checkContentRules(v: ParsedLetter, issueDate: string): Issue[] {
  const out = checkLetterNo(v, issueDate);
  if (v.engagement) {
    if (v.kind !== 'lawyer-letter')
      out.push(
        makeIssue(
          'engagement',
          'NOT_ALLOWED',
          '只有律师函可以提供委托信息',
          'engagement is only allowed for a lawyer-letter',
        ),
      );
    if (v.engagement.date > issueDate)
      out.push(
        makeIssue(
          'engagement.date',
          'DATE_ORDER',
          '委托日期不能晚于发函日',
          'the engagement date must not be after issueDate',
        ),
      );
  }
  const seen = new Set<string>();
  v.clauses?.forEach((id, i) => {
    if (seen.has(id))
      out.push(makeIssue(`clauses.${i}`, 'CLAUSE_DUPLICATE', `条款“${id}”重复`, `clause "${id}" is listed twice`));
    seen.add(id);
  });
  return out;
}
