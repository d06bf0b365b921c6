/**
 * One-time codes in tests: a sender that keeps what it was asked to send (for registries opened
 * in the test), and the file sender's outbox read back (for a running service).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SmsMessage, type SmsSender, smsUnavailable } from '../../src/debtors/sms-sender.js';
import { OUTBOX_FILE, type OutboxEntry } from '../../src/sms/dev-senders.js';

export class CapturedSms implements SmsSender {
  readonly name = 'test';
  readonly label = '测试短信发送器';
  readonly real = false;
  readonly sent: (SmsMessage & { messageId: string })[] = [];
  /** Set to make the next sends fail as a provider would. */
  failing = false;

  async send(m: SmsMessage): Promise<{ messageId: string }> {
    if (this.failing) throw smsUnavailable('the test sender is failing');
    const messageId = `test-${this.sent.length + 1}`;
    this.sent.push({ ...m, messageId });
    return { messageId };
  }

  /** The code of the last message sent. */
  last(): string {
    const m = this.sent.at(-1);
    if (!m) throw new Error('no code was sent');
    return m.code;
  }
}

/** The messages the file sender wrote in `dir` (a test server's folder), oldest first. */
export function outbox(dir: string): OutboxEntry[] {
  const file = join(dir, OUTBOX_FILE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as OutboxEntry);
}

/** The code of the last message the file sender wrote in `dir`. */
export function lastCode(dir: string): string {
  const m = outbox(dir).at(-1);
  if (!m) throw new Error(`no code in ${join(dir, OUTBOX_FILE)}`);
  return m.code;
}
