/**
 * Senders of one-time codes by text message (the interface is debtors/sms-sender.ts): the
 * file and log senders for development and tests (dev-senders.ts), Aliyun SMS (aliyun.ts).
 */
import type { SmsMessage } from '../debtors/sms-sender.js';

export type { SmsMessage, SmsSender } from '../debtors/sms-sender.js';
export { smsUnavailable } from '../debtors/sms-sender.js';

/** The text of the message where the sender writes it out itself (a provider sends its approved template). */
export function smsText(m: Pick<SmsMessage, 'code' | 'minutes'>): string {
  return `您正在确认分期还款方案，验证码 ${m.code}，${m.minutes} 分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。`;
}
