/** Identifier checks from shared/domain/formats.md (GB 11643, GB 32100 and friends). */
import { isRealDate } from './dates.js';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export type IdCheck = { ok: true } | { ok: false; code: string; zh: string; en: string };

/** Resident ID: shape, real birth date not after `today`, and the check character. */
export function checkResidentId(id: string, today: string): IdCheck {
  if (!/^[0-9]{17}[0-9X]$/.test(id)) {
    return {
      ok: false,
      code: 'ID_FORMAT',
      zh: '身份证号应为 18 位，末位为数字或大写 X',
      en: 'ID number must be 18 characters, the last a digit or upper-case X',
    };
  }
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDate(birth) || birth > today) {
    return {
      ok: false,
      code: 'ID_BIRTHDATE',
      zh: `身份证号中的出生日期无效：${birth}`,
      en: `ID number has an invalid birth date: ${birth}`,
    };
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== id[17]) {
    return { ok: false, code: 'ID_CHECKSUM', zh: '身份证号校验位错误', en: 'ID number check digit is wrong' };
  }
  return { ok: true };
}

/** 17th digit odd = male, even = female (GB 11643 sequence code). */
export function sexFromResidentId(id: string): 'male' | 'female' {
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}

const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function checkCreditCode(code: string): IdCheck {
  if (code.length !== 18 || [...code].some((c) => !CODE_ALPHABET.includes(c))) {
    return {
      ok: false,
      code: 'CREDIT_CODE_FORMAT',
      zh: '统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）',
      en: 'unified social credit code must be 18 digits or capitals (no I, O, S, V, Z)',
    };
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CODE_ALPHABET.indexOf(code[i]!) * CODE_WEIGHTS[i]!;
  const check = CODE_ALPHABET[(31 - (sum % 31)) % 31];
  if (check !== code[17]) {
    return {
      ok: false,
      code: 'CREDIT_CODE_CHECKSUM',
      zh: '统一社会信用代码校验位错误',
      en: 'unified social credit code check character is wrong',
    };
  }
  return { ok: true };
}

export const MOBILE = /^1[3-9][0-9]{9}$/;
/** Organisations may give a landline (with area code, optional extension) or a 400/800 number. */
export const ORG_PHONE =
  /^(?:1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-?[0-9]{7,8}(?:-[0-9]{1,6})?|[48]00-?[0-9]{3}-?[0-9]{4}|95[0-9]{3,6})$/;
export const LAWYER_CERT = /^[0-9]{17}$/;

export function checkFirmLicense(value: string): IdCheck {
  if (/^[0-9]{17}$/.test(value)) return { ok: true };
  if (value.startsWith('31')) return checkCreditCode(value);
  return {
    ok: false,
    code: 'FIRM_LICENSE_FORMAT',
    zh: '律师事务所执业许可证号应为 17 位数字，或以 31 开头的统一社会信用代码',
    en: 'law firm licence must be 17 digits or a credit code starting with 31',
  };
}

export const BANK_ACCOUNT = /^[0-9]{8,30}$/;
