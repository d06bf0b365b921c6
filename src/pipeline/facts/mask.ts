/** Masking of personal data (letters.md): only the creditor's own accounts are shown in full. */
function keepEnds(s: string, head: number, tail: number): string {
  const chars = [...s];
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(-tail).join('');
}

/** 11010519491231002X → 110105********002X */
export const maskIdNumber = (id: string): string => keepEnds(id, 6, 4);
/** 13800138000 → 138****8000 */
export const maskMobile = (phone: string): string => keepEnds(phone, 3, 4);
/** Third-party bank cards: first 6 and last 4. */
export const maskBankAccount = (no: string): string => keepEnds(no, 6, 4);
/** For public verification: 张三 → 张*, 阿依古丽·买买提 → 阿******提. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}
