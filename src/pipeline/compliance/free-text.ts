/**
 * Payment only through the creditor's own channels (letters.md), over the whole text of the
 * letter (issue 32): neither the template's wording nor a free-text field (a note, a product, an
 * address, a bank's name) may carry a link or an account- or phone-like number other than the
 * letter's own. Why here and not in the conduct
 * rules: the rules read sentences and cannot tell the creditor's account number or phone from
 * anyone else's; the data can. The letter's own link — the verification URL and its QR code —
 * is printed by the layout outside the text, so no text of a letter needs one; an online
 * payment channel's description is the creditor's own channel and may name its website.
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import { stringFields } from '../schema/fields-with.js';
import type { LetterData } from '../schema/validate.js';
import { foldDigits } from './fold.js';

/** A link: a scheme, www., or a host name under a common top-level domain; or an e-mail address. */
const LINK =
  /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s，。；、）)]+|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|top|xyz|info|cc|io|me|vip|app|link|site|online|shop|club|co|biz|wang|ink|icu)(?![a-z0-9])(?:\/[^\s，。；、）)]*)?|[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/giu;
/** Eight or more digits, spaces and dashes allowed between them: a bank card, an account, a phone. */
const LONG_NUMBER = /(?<!\d)\d(?:[\s\-－—]*\d){7,}(?!\d)/gu;
/** An 18-character ID number is reported as unmasked personal data (guard.ts), not twice. */
const ID_NUMBER = /^[1-9]\d{16}[\dX]$/;

interface FreeText {
  path: string;
  value: string;
  /** An online payment channel's description may name the creditor's website. */
  linksAllowed: boolean;
}

/** The fields whose wording the sender types (names are checked as names, numbers by their formats). */
function freeTextFields(data: LetterData): FreeText[] {
  const out: FreeText[] = [];
  const add = (path: string, value: string | undefined, linksAllowed = false) => {
    if (value) out.push({ path, value, linksAllowed });
  };
  add('relief.note', data.relief?.note);
  add('account.product', data.account.product);
  add('creditor.address', data.creditor.address);
  add('debtor.address', data.debtor.address);
  add('lawFirm.address', data.lawFirm?.address);
  data.creditor.paymentChannels.forEach((c, i) => {
    if (c.type === 'bank') add(`creditor.paymentChannels.${i}.bank`, c.bank);
    else add(`creditor.paymentChannels.${i}.description`, c.description, true);
  });
  return out;
}

/** Every digit run of eight or more in a value, as the scan reads it (spaces and dashes inside a run allowed). */
const runsOf = (s: string): string[] => [...foldDigits(s).matchAll(LONG_NUMBER)].map(([run]) => run.replace(/\D/g, ''));

/**
 * The letter's own numbers: every number in its structured fields — accounts, phones, licence and
 * credit codes, contract, engagement, letter and plan numbers — whole (its digits) and run by run
 * (91110108 of the credit code 91110108MA01ABCD2H). Free-text fields are not structured and give
 * none. The debtor's ID and phone are among them: printed in full they are reported as unmasked.
 */
function ownNumbers(data: LetterData, free: Set<string>, extra: string[]): Set<string> {
  const own = new Set<string>();
  for (const { path, value } of stringFields(data)) {
    if (free.has(path) || !/[\d\uff10-\uff19〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖]/u.test(value)) continue;
    const digits = foldDigits(value).replace(/\D/g, '');
    if (digits.length >= 8) own.add(digits);
    for (const run of runsOf(value)) own.add(run);
  }
  for (const value of extra) for (const run of runsOf(value)) own.add(run);
  return own;
}

/** 6222…3445: enough to find it in the note, not the whole number of someone else's card. */
const masked = (digits: string) => `${digits.slice(0, 4)}…${digits.slice(-4)}`;

/**
 * Payment only through the letter's own channels, over the whole text of the letter (issue 32):
 * what a free-text field adds is named by its field, anything else is the template's wording and
 * is named by `templateFile` and the line of the text. Numbers are read after foldDigits, so
 * Chinese numerals and full-width digits spell the same account. `ownExtra`: numbers printed
 * from outside the input (the letter number the registry assigns).
 */
export function checkFreeText(data: LetterData, text: string, templateFile?: string, ownExtra: string[] = []): Issue[] {
  const free = freeTextFields(data);
  const printed = free.filter((f) => text.includes(f.value)).map((f) => ({ ...f, folded: foldDigits(f.value) }));
  const out: Issue[] = [];
  const reported = new Set<string>();
  let own: Set<string> | undefined; // made only for a letter with a long number in it
  const where = (fields: typeof printed, line: number) =>
    fields.length
      ? fields.map((f) => f.path).join(', ')
      : templateFile
        ? `${templateFile} (text:${line})`
        : `text:${line}`;
  const report = (path: string, key: string, issue: () => Issue) => {
    if (reported.has(`${path}\u0000${key}`)) return;
    reported.add(`${path}\u0000${key}`);
    out.push(issue());
  };
  text.split('\n').forEach((raw, i) => {
    const line = foldDigits(raw);
    // Every link has a dot (or an @); most lines have none, and skip the long pattern.
    if (/[.@]/.test(line)) {
      for (const [link] of line.matchAll(LINK)) {
        const fields = printed.filter((f) => f.folded.includes(link));
        // An online payment channel's description is the creditor's own channel and may name its website.
        if (fields.some((f) => f.linksAllowed)) continue;
        const path = where(fields, i + 1);
        report(path, link, () =>
          fields.length
            ? makeIssue(
                path,
                'COMPLIANCE_PAYMENT_CHANNEL',
                `自由文本中不得出现网址或链接：“${link}”（函件只载明本函核验地址，还款仅限官方还款渠道）`,
                `free text may carry no link: "${link}" (a letter shows only its own verification address; payment only through the official channels) [payment-diversion]`,
              )
            : makeIssue(
                path,
                'COMPLIANCE_PAYMENT_CHANNEL',
                `模板文字中不得出现网址或链接：“${link}”（函件只载明本函核验地址，还款仅限官方还款渠道）`,
                `the template's wording may carry no link: "${link}" (payment only through the letter's own channels) [payment-diversion]`,
              ),
        );
      }
    }
    for (const m of line.matchAll(LONG_NUMBER)) {
      const digits = m[0].replace(/\D/g, '');
      own ??= ownNumbers(data, new Set(free.map((f) => f.path)), ownExtra);
      if (own.has(digits) || ID_NUMBER.test(digits)) continue;
      const fields = printed.filter((f) => runsOf(f.value).includes(digits));
      const path = where(fields, i + 1);
      report(path, digits, () =>
        fields.length
          ? makeIssue(
              path,
              'COMPLIANCE_PAYMENT_CHANNEL',
              `自由文本中出现不属于本函官方还款渠道或联系电话的号码：${masked(digits)}（${digits.length} 位；疑似他人账户、卡号或手机号）`,
              `free text shows a number that is none of the letter's own payment channels or phones: ${masked(digits)} (${digits.length} digits; an account, card or phone of someone else?) [payment-diversion]`,
            )
          : // The template's own wording is the firm's, not personal data: quoted as written, so it can be found in letter.hbs.
            makeIssue(
              path,
              'COMPLIANCE_PAYMENT_CHANNEL',
              `模板文字中出现不属于本函官方还款渠道或联系电话的号码“${rawRun(raw, digits) ?? masked(digits)}”：${masked(digits)}（${digits.length} 位；还款仅限本函所列的债权人官方渠道）`,
              `the template's wording shows a number that is none of the letter's own payment channels or phones: ${masked(digits)} (${digits.length} digits; payment only through the creditor's channels in the letter) [payment-diversion]`,
            ),
      );
    }
  });
  return out;
}

/** The run of `raw` (one line, unfolded) that spells `digits`, as written — for finding it in the template. */
function rawRun(raw: string, digits: string): string | null {
  // Folding keeps each character one character, except the rare ones NFKC expands; then there is no quote.
  const folded = foldDigits(raw);
  if (folded.length !== raw.length) return null;
  for (const m of folded.matchAll(LONG_NUMBER)) {
    if (m[0].replace(/\D/g, '') === digits) return raw.slice(m.index, m.index + m[0].length);
  }
  return null;
}
