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
