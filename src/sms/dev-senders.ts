/**
 * Senders for development and tests: no message leaves the machine. The file sender appends one
 * JSON line per message to `sms-outbox.jsonl` in its folder (beside a SQLite registry by
 * default); the log sender writes the same entry to the service's log. Either holds the code
 * and the masked number only — never the full number or a name.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { maskMobile } from '../pipeline/facts/mask.js';
import type { Logger } from '../shared/log.js';
import { type SmsMessage, type SmsSender, smsText, smsUnavailable } from './sender.js';

export const OUTBOX_FILE = 'sms-outbox.jsonl';

export interface OutboxEntry {
  messageId: string;
  at: string;
  to: string;
  code: string;
  text: string;
}

const entryOf = (m: SmsMessage): OutboxEntry => ({
  messageId: `dev-${randomUUID()}`,
  at: new Date().toISOString(),
  to: maskMobile(m.to),
  code: m.code,
  text: smsText(m),
});

export class FileSmsSender implements SmsSender {
  readonly name = 'file';
  readonly label = '开发用短信发件箱（未实际发送）';
  readonly real = false;
  readonly file: string;

  constructor(dir: string) {
    this.file = join(dir, OUTBOX_FILE);
  }

  async send(m: SmsMessage): Promise<{ messageId: string }> {
    const entry = entryOf(m);
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    } catch (e) {
      throw smsUnavailable(`the outbox ${this.file} cannot be written (${(e as NodeJS.ErrnoException).code})`, e);
    }
    return { messageId: entry.messageId };
  }
}

export class LogSmsSender implements SmsSender {
  readonly name = 'log';
  readonly label = '开发用日志（未实际发送）';
  readonly real = false;

  constructor(private log: Logger) {}

  async send(m: SmsMessage): Promise<{ messageId: string }> {
    const { messageId, to, code } = entryOf(m);
    this.log({ msg: 'one-time code (log sender: nothing was sent)', level: 'warn', messageId, to, code });
    return { messageId };
  }
}
