/**
 * RMB amounts in capitals (人民币大写), per shared/domain/formats.md.
 * Convention chosen where two forms are accepted: a zero in the 万/亿 digit is written 零
 * when a lower digit follows (壹拾万零柒仟元), and a zero 元 digit before 角 is not
 * (…元伍角叁分). 整 follows 元 only; never after 角 or 分.
 */
const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

export function fenToCapitals(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new RangeError(`amount in fen must be a non-negative integer: ${fen}`);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  if (fen === 0) return '零元整';

  let out = '';
  if (yuan > 0) {
    const digits = String(yuan);
    let zeroPending = false;
    let groupHasDigit = false;
    for (let i = 0; i < digits.length; i++) {
      const d = Number(digits[i]);
      const pos = digits.length - 1 - i;
      if (d === 0) {
        if (out) zeroPending = true;
      } else {
        if (zeroPending) out += '零';
        out += DIGITS[d]! + SMALL_UNITS[pos % 4]!;
        zeroPending = false;
        groupHasDigit = true;
      }
      if (pos % 4 === 0 && pos > 0) {
        if (groupHasDigit) out += BIG_UNITS[pos / 4]!;
        groupHasDigit = false;
      }
    }
    out += '元';
  }
  if (jiao === 0 && cents === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]!}角`;
  if (cents > 0) out += `${(jiao === 0 && yuan > 0 ? '零' : '') + DIGITS[cents]!}分`;
  return out;
}
