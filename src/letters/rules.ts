/**
 * The rules of issuing a final letter, each decided here once and called by everyone who
 * issues or prepares to issue — the letters part itself, the lawyer's review (requests/), the
 * HTTP route, the CLI and the workspace — so that a request is refused for the same reason,
 * with the same code, as the issue it would become.
 */
import type { Org } from '../orgs/model.js';
import { DEFAULT_ORG } from '../orgs/model.js';
import type { LetterData } from '../pipeline/schema/validate.js';
import { HanjianError } from '../shared/errors.js';
import type { LetterRecord } from './letter-store.js';

/**
 * Whether a letter of this kind, from this organisation, is issued only on a reviewer's approval:
 * a lawyer's letter always (a legal act of a named lawyer), and a creditor's own letters when
 * the creditor reviews them (its setting). A confirmation of an accepted plan never is.
 */
export function reviewRequired(kind: string, org: Pick<Org, 'reviewOwnLetters'> | null): boolean {
  if (kind === 'lawyer-letter') return true;
  return kind !== 'plan-confirmation' && !!org?.reviewOwnLetters;
}

/** The answer to issuing, directly, a letter that needs review: where it goes instead. */
export function reviewRequiredError(kind: string): HanjianError {
  return kind === 'lawyer-letter'
    ? new HanjianError({
        code: 'REVIEW_REQUIRED',
        category: 'forbidden',
        path: 'kind',
        zh: '律师函须经承办律师审核批准后出具：请通过 POST /v1/letter-requests 提交申请',
        en: "a lawyer's letter is issued only after the lawyer approves it: request it with POST /v1/letter-requests",
      })
    : new HanjianError({
        code: 'REVIEW_REQUIRED',
        category: 'forbidden',
        path: 'kind',
        zh: '本机构已开启函件审核：请通过 POST /v1/letter-requests 提交',
        en: 'this organisation reviews its letters before issuing: use POST /v1/letter-requests',
      });
}

/** A final letter is dated the day it is issued (Asia/Shanghai): a request naming another date is refused when made. */
export function assertDatedToday(issueDate: unknown, today: string, path = 'issueDate'): void {
  if (issueDate === undefined || issueDate === today) return;
  throw new HanjianError({
    code: 'ISSUE_DATE_NOT_TODAY',
    category: 'invalid_input',
    path,
    zh: `正式函件的发函日期须为今天（${today}）`,
    en: `a final letter is dated the day it is issued (${today})`,
  });
}

/** One letter of a kind per contract per day: a second is a mistake or a retry without its idempotency key. */
export function assertNotIssuedToday(
  issued: Pick<LetterRecord, 'kind' | 'issueDate' | 'number' | 'id'>[],
  kind: string,
  date: string,
  path = 'account.contractNo',
): void {
  const same = issued.find((r) => r.kind === kind && r.issueDate === date);
  if (!same) return;
  throw new HanjianError({
    code: 'ALREADY_ISSUED',
    category: 'conflict',
    path,
    zh: `该合同今天已出具同类函件 ${same.number}（/v1/letters/${same.id}）`,
    en: `a ${kind} for this contract was already issued today: ${same.number} (/v1/letters/${same.id})`,
  });
}

/** The sender printed on a letter: the firm for a lawyer's letter, otherwise the creditor. */
export function senderName(data: Pick<LetterData, 'kind' | 'lawFirm' | 'creditor'>): string {
  return data.kind === 'lawyer-letter' && data.lawFirm ? data.lawFirm.name : data.creditor.name;
}

/**
 * An organisation issues only in its own name: a creditor under its name and credit code, a
 * firm its lawyer's letters under its name. `fields` are what the caller sent (a request's
 * letter before the engagement fills in the firm), `path` the field to name.
 */
export function assertOwnSender(
  org: Org,
  fields: { kind: unknown; lawFirm?: { name?: unknown } | null; creditor?: { name?: unknown; creditCode?: unknown } },
  path = '',
): void {
  if (org.id === DEFAULT_ORG) return; // the simple single-creditor setup: no organisation record to match
  const at = (p: string) => (path ? `${path}.${p}` : p);
  const mismatch = (p: string, zh: string, en: string) =>
    new HanjianError({ code: 'SENDER_MISMATCH', category: 'forbidden', path: at(p), zh, en });
  if (fields.kind === 'lawyer-letter' && fields.lawFirm) {
    if (org.kind !== 'law-firm' || fields.lawFirm.name !== org.name)
      throw mismatch(
        'lawFirm.name',
        '律师函只能以本所名义出具',
        "a lawyer's letter is issued only in the firm's own name",
      );
    return;
  }
  const c = fields.creditor ?? {};
  if (org.kind !== 'creditor' || c.name !== org.name || c.creditCode !== org.creditCode)
    throw mismatch(
      'creditor',
      `只能以本机构（${org.name}）的名称和统一社会信用代码出具函件`,
      `letters are issued only under the organisation's own name and credit code (${org.name})`,
    );
}

/**
 * A letter whose 附件 list names the 授权委托书 is issued only with it (issue 28 §2): refused when
 * the engagement holds no stored mandate (one recorded by its sha256 only, before mandates were
 * kept) — when requested and again when approved. `sha256`: the mandate the letter recorded.
 */
export function mandateRequiredError(path = 'engagement', sha256?: string | null): HanjianError {
  return new HanjianError({
    code: 'MANDATE_REQUIRED',
    category: 'conflict',
    path,
    zh: sha256
      ? `函件记录的授权委托书（sha256 ${sha256.slice(0, 12)}…）不在本所与委托人的委托中：函件附件列有授权委托书，不能在没有它的情况下出具`
      : '函件附件列有授权委托书，但该委托没有存储授权委托书文件：请存入登记时的已签署授权委托书（hanjian engagements mandate），或以新的委托书重新登记委托，再提交发函申请',
    en: sha256
      ? `the mandate the letter records (sha256 ${sha256.slice(0, 12)}…) is not held by an engagement between the firm and the client: a letter that lists the mandate is not issued without it`
      : 'the letter lists the 授权委托书 (mandate) as an attachment, but the engagement holds no stored mandate file: store the signed mandate it recorded (hanjian engagements mandate), or record the engagement again with a new one, then request the letter',
  });
}
