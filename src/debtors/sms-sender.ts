/**
 * What the plan acceptance needs to reach a debtor's phone: a sender of one-time codes by text
 * message (短信). The acceptance keeps what the sender answers (its name, the provider's
 * message id) in its record. Implementations live in sms/ (a file or log sender for
 * development and tests, real providers such as Aliyun SMS); the app picks one from its
 * configuration.
 */
import { HanjianError } from '../shared/errors.js';

export interface SmsMessage {
  /** An 11-digit mainland mobile number, as the letter's input holds it. */
  to: string;
  /** The one-time code: six digits. */
  code: string;
  /** How long the code is valid, for the text. */
  minutes: number;
}

export interface SmsSender {
  /** Recorded with every code it sent: `file`, `log`, `aliyun`. */
  readonly name: string;
  /** What the court copy calls it (Chinese). */
  readonly label: string;
  /** Whether a message really reaches a phone (false: the file and log senders, for development). */
  readonly real: boolean;
  /** Delivers the code; resolves with the provider's message id, or throws SMS_UNAVAILABLE. */
  send(m: SmsMessage): Promise<{ messageId: string }>;
}

export function smsUnavailable(en: string, cause?: unknown): HanjianError {
  return new HanjianError({
    code: 'SMS_UNAVAILABLE',
    category: 'internal',
    zh: '短信验证码暂时无法发送，请稍后再试，或通过债权人官方渠道联系',
    en: `the one-time code could not be sent: ${en}`,
    cause,
  });
}
