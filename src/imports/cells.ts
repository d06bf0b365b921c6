/**
 * One cell's text to the value the letter input expects, the way spreadsheets hold it: Excel
 * dates as serial numbers or 2025/6/1 or 2025年6月1日, money with thousands separators or a
 * ¥ sign, rates as 18% or 0.18, numbers with binary noise (12426.000000000002).
 */
import type { CellKind } from './columns.js';

/**
 * Full-width digits, letters and signs (１２０００．００, ＢＴ２０２５) as the half-width ones a letter
 * prints: Chinese input methods type them, and a reader sees the same number. The ideographic
 * space becomes a space.
 */
export function foldFullWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export type CellRead = { ok: true; value: unknown } | { ok: false; zh: string };

/** Excel's day 0 is 1899-12-30 (after its 1900 leap-year bug); serials from 1990 to 2100. */
function serialToIso(n: number): string | null {
  if (!Number.isInteger(n) || n < 32_874 || n > 73_415) return null;
  return new Date(Date.UTC(1899, 11, 30) + n * 86_400_000).toISOString().slice(0, 10);
}

function readDate(s: string): CellRead {
  const t = s.trim();
  if (/^\d+(\.0+)?$/.test(t)) {
    const iso = serialToIso(Math.trunc(Number(t)));
    return iso ? { ok: true, value: iso } : { ok: false, zh: `“${t}”不是日期` };
  }
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?$/.exec(t);
  if (!m) return { ok: false, zh: `“${t}”不是日期，请写成 2025-06-01` };
  return { ok: true, value: `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` };
}

/** A decimal string with at most `places` decimals, rounding away binary noise but never real precision. */
function decimal(t: string, places: number): string | null {
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  const [, frac = ''] = t.split('.');
  if (frac.length <= places) return t;
  // Noise looks like …000000000002 or …999999999998 after the places that matter.
  if (!/^(\d*?)(0{6,}\d{0,3}|9{6,}\d{0,3})$/.test(frac)) return null;
  const n = Number(t);
  return n.toFixed(places);
}

function readMoney(s: string): CellRead {
  const t = s
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/[,，]/g, '')
    .replace(/元$/, '');
  if (t.startsWith('-')) return { ok: false, zh: '金额不能为负数' };
  const d = decimal(t, 2);
  return d === null ? { ok: false, zh: `“${s.trim()}”不是金额，请写成 12000.00` } : { ok: true, value: d };
}

function readRate(s: string): CellRead {
  const t = s.trim();
  const pct = /^(\d+(?:\.\d+)?)\s*[%％]$/.exec(t);
  if (pct) {
    // 18% → 0.18 by moving the decimal point, not by a float division.
    const [int, frac = ''] = pct[1]!.split('.');
    const digits = (int!.padStart(3, '0') + frac).replace(/^0+(?=\d)/, '');
    const whole = digits.length > frac.length + 2 ? digits.slice(0, digits.length - frac.length - 2) : '0';
    const rest = digits.slice(-(frac.length + 2)).padStart(frac.length + 2, '0');
    return { ok: true, value: `${whole}.${rest}`.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') };
  }
  const d = decimal(t, 8);
  return d === null ? { ok: false, zh: `“${t}”不是利率，请写成 0.18 或 18%` } : { ok: true, value: d };
}

/** Two amounts as read ("360.00", "6.31") added exactly, in fen: "366.31". */
export function addAmounts(a: string, b: string): string {
  const fen = (x: string) => {
    const [whole, frac = ''] = x.split('.');
    return BigInt(whole!) * 100n + BigInt(`${frac}00`.slice(0, 2));
  };
  const sum = fen(a) + fen(b);
  return `${sum / 100n}.${String(sum % 100n).padStart(2, '0')}`;
}

export function readCell(kind: CellKind, raw: string): CellRead {
  switch (kind) {
    case 'text':
      return { ok: true, value: raw.trim().replace(/\s+/g, ' ') };
    // Numbers typed into Excel lose leading zeros and come back as 1.3800138E10: an ID must be text.
    case 'id': {
      const t = raw.trim();
      return /e\+?\d+$/i.test(t)
        ? { ok: false, zh: '被 Excel 当作数字显示为科学计数法，请将该列设为“文本”格式后重新填写' }
        : { ok: true, value: t };
    }
    case 'postcode': {
      const t = raw.trim();
      if (/^[0-9]{6}$/.test(t)) return { ok: true, value: t };
      // Five digits may be 010010 after Excel dropped its zero — or a digit lost in typing: never guessed.
      return {
        ok: false,
        zh: /^[0-9]{5}$/.test(t)
          ? `“${t}”只有 5 位：邮政编码为 6 位数字（以 0 开头的邮编请将该列设为“文本”格式后重新填写）`
          : `“${t}”不是邮政编码，应为 6 位数字`,
      };
    }
    case 'date':
      return readDate(raw);
    case 'money':
      return readMoney(raw);
    case 'rate':
      return readRate(raw);
    // Delivery of an earlier letter: 是 → delivered; 否 or 不详 → not known to be delivered (it does not count as a step).
    case 'yesno': {
      const t = raw.trim().toLowerCase();
      if (['是', '已送达', '送达', 'y', 'yes', '1', 'true'].includes(t)) return { ok: true, value: 'delivered' };
      if (['否', '未送达', '不详', '未知', 'n', 'no', '0', 'false'].includes(t)) return { ok: true, value: 'unknown' };
      return { ok: false, zh: `“${raw.trim()}”应为“是”或“否”` };
    }
    case 'contract': {
      const t = raw.trim().replace(/合同$/, '');
      if (['借款', '贷款', '借贷', 'loan'].includes(t)) return { ok: true, value: 'loan' };
      if (['分期付款买卖', '分期买卖', '分期付款', 'instalment-sale'].includes(t))
        return { ok: true, value: 'instalment-sale' };
      return { ok: false, zh: `“${raw.trim()}”应为“借款”或“分期付款买卖”` };
    }
    case 'count': {
      const t = raw.trim();
      return /^\d{1,3}$/.test(t) ? { ok: true, value: Number(t) } : { ok: false, zh: `“${t}”应为 0–366 的整数` };
    }
  }
}
