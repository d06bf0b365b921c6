/**
 * Payment only through the creditor's own channels (letters.md), for the words the data adds:
 * a free-text field (a note, a product, an address, a bank's name) must carry no link and no
 * account- or phone-like number other than the letter's own. Why here and not in the conduct
 * rules: the rules read sentences and cannot tell the creditor's account number or phone from
 * anyone else's; the data can. The letter's own link — the verification URL and its QR code —
 * is printed by the layout outside the text, so no text of a letter needs one; an online
 * payment channel's description is the creditor's own channel and may name its website.
 */
import { type Issue, makeIssue } from '../../shared/errors.js';
import type { LetterData } from '../schema/validate.js';

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

/** NFKC: full-width letters, digits and punctuation (ｗｗｗ．ｘ．ｃｏｍ, ６２２２) read as ASCII. Free text only: the conduct rules need the full-width commas. */
const plain = (s: string) => s.normalize('NFKC');
const digitsOf = (s: string) => plain(s).replace(/\D/g, '');

/** The letter's own numbers: its accounts, phones and references. The debtor's are reported as unmasked, not here. */
function ownNumbers(data: LetterData): Set<string> {
  const own = [
    data.creditor.phone,
    data.relief?.hardshipPhone,
    data.lawFirm?.phone,
    data.lawFirm?.licenseNo,
    ...(data.lawyers ?? []).flatMap((l) => [l.phone, l.licenseNo]),
    ...data.creditor.paymentChannels.map((c) => (c.type === 'bank' ? c.accountNo : undefined)),
    data.account.contractNo,
    data.letterNo,
    data.previous?.number,
    data.plan?.offer.number,
    data.debtor.idNumber,
    data.debtor.phone,
  ];
  return new Set(
    own
      .filter((s): s is string => !!s)
      .map(digitsOf)
      .filter((d) => d.length >= 8),
  );
}

/** 6222…3445: enough to find it in the note, not the whole number of someone else's card. */
const masked = (digits: string) => `${digits.slice(0, 4)}…${digits.slice(-4)}`;

export function checkFreeText(data: LetterData, text: string): Issue[] {
  const out: Issue[] = [];
  let own: Set<string> | undefined; // made only for a letter whose free text has a long number
  for (const f of freeTextFields(data)) {
    // A field the template does not print says nothing to the debtor.
    if (!text.includes(f.value)) continue;
    const value = plain(f.value);
    // Every link has a dot (or an @); most free text has none, and skips the long pattern.
    if (!f.linksAllowed && /[.@]/.test(value)) {
      for (const [link] of value.matchAll(LINK)) {
        out.push(
          makeIssue(
            f.path,
            'COMPLIANCE_PAYMENT_CHANNEL',
            `自由文本中不得出现网址或链接：“${link}”（函件只载明本函核验地址，还款仅限官方还款渠道）`,
            `free text may carry no link: "${link}" (a letter shows only its own verification address; payment only through the official channels) [payment-diversion]`,
          ),
        );
      }
    }
    for (const [run] of value.matchAll(LONG_NUMBER)) {
      const digits = run.replace(/\D/g, '');
      own ??= ownNumbers(data);
      if (own.has(digits) || ID_NUMBER.test(digits)) continue;
      out.push(
        makeIssue(
          f.path,
          'COMPLIANCE_PAYMENT_CHANNEL',
          `自由文本中出现不属于本函官方还款渠道或联系电话的号码：${masked(digits)}（${digits.length} 位；疑似他人账户、卡号或手机号）`,
          `free text shows a number that is none of the letter's own payment channels or phones: ${masked(digits)} (${digits.length} digits; an account, card or phone of someone else?) [payment-diversion]`,
        ),
      );
    }
  }
  return out;
}
