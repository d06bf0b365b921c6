/**
 * Full-width digits, Latin letters, underscore and hyphen (０-９, Ａ-Ｚ, ａ-ｚ, ＿, －) folded to ASCII, so '６２２２' and
 * 'Ａlipay' meet the same rules as '6222' and 'Alipay'. One UTF-16 unit for one: positions and
 * lengths are unchanged, and a folded match is found again in the folded field it came from.
 * Punctuation is left alone: the conduct rules read full-width commas and colons as clause ends.
 */
const FOLDED = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF3F\uFF0D]/g;

export function foldWidth(s: string): string {
  return s.replace(FOLDED, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Chinese numerals that stand for one digit each; positional ones (十百千万, 拾佰仟) are not digits. */
const NUMERALS: Record<string, string> = {
  〇: '0',
  零: '0',
  一: '1',
  壹: '1',
  幺: '1',
  二: '2',
  两: '2',
  兩: '2',
  贰: '2',
  貳: '2',
  三: '3',
  叁: '3',
  参: '3',
  參: '3',
  四: '4',
  肆: '4',
  五: '5',
  伍: '5',
  六: '6',
  陆: '6',
  陸: '6',
  七: '7',
  柒: '7',
  八: '8',
  捌: '8',
  九: '9',
  玖: '9',
};
const NUMERAL = new RegExp(`[${Object.keys(NUMERALS).join('')}]`, 'gu');

/**
 * Digits as the payment scan reads them (issue 32): NFKC first (full-width ６, circled ①,
 * mathematical 𝟔 and full-width letters and dots of a link read as ASCII), then each Chinese
 * numeral as its digit, so "六二一七零零…" and "陆贰壹柒〇〇…" are the account number they spell.
 * For the payment scan only: the conduct rules read 一 as a word (一切手段, 逐一), and lengths change.
 */
export function foldDigits(s: string): string {
  return s.normalize('NFKC').replace(NUMERAL, (c) => NUMERALS[c]!);
}
