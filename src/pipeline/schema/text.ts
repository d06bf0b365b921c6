/** Rules for names and free text. Lengths count code points, never UTF-16 units. */

export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Control, format (zero-width, bidi), separators other than space, private use, unassigned, lone surrogates. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u;
export function hasInvisible(s: string): boolean {
  return INVISIBLE.test(s);
}

/** Person names: Han of any extension (incl. 〇), middle dot, Latin letters, and the spaces/hyphens of foreign names. */
// A space belongs between Latin words (John Smith), never beside a Han character (王 小明 is a typing slip, printed as such).
export const PERSON_NAME =
  /^(?!.*(?:\p{Script=Han} | \p{Script=Han}))[\p{Script=Han}·A-Za-z][\p{Script=Han}·A-Za-z .'-]*$/u;
/** Organisation names additionally allow digits and brackets, e.g. 某某（北京）科技有限公司. */
export const ORG_NAME = /^[\p{Script=Han}·A-Za-z0-9（）() &.-]+$/u;
