/**
 * The one-time code that proves who accepted a repayment plan (issue 28 §4): six digits sent
 * by text message to the phone on the contract (the letter's debtor.phone), valid for
 * PLAN_CODE.minutes, bound to the offer it was sent for (the letter and the chosen option,
 * by hash), at most PLAN_CODE.maxAttempts wrong entries, and sends limited per letter (one a
 * minute, PLAN_CODE.perHour an hour, PLAN_CODE.perDay a day). Only an HMAC of the code is
 * stored, under a key derived from the data key; a newer code replaces the older one.
 */
import { createHash, createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Audit } from '../audit/audit.js';
import type { LetterRecord } from '../letters/letter-store.js';
import { maskMobile } from '../pipeline/facts/mask.js';
import { HanjianError } from '../shared/errors.js';
import type { Vault } from '../shared/vault.js';
import type { PlanCodeRow, PlanCodeStore } from './plan-code-store.js';
import type { SmsSender } from './sms-sender.js';

export const PLAN_CODE = {
  minutes: 10,
  maxAttempts: 5,
  resendSeconds: 60,
  perHour: 5,
  perDay: 10,
} as const;

/** The label the code key is derived from the data key under. */
export const PLAN_CODE_KEY_LABEL = 'hanjian plan codes v1';

/** What the debtor is told once a code is on its way. */
export interface CodeSent {
  id: string;
  terms: number;
  /** The number it went to, masked. */
  to: string;
  sentAt: string;
  expiresAt: string;
  /** The earliest moment another code may be asked for. */
  resendAt: string;
}

const fail = (code: string, status: 'forbidden' | 'conflict' | 'internal', zh: string, en: string) =>
  new HanjianError({ code, category: status, zh, en, path: 'smsCode' });

const iso = (ms: number) => new Date(ms).toISOString();

export class PlanCodes {
  private key: Buffer | null;

  constructor(
    private store: PlanCodeStore,
    private sender: SmsSender | null,
    vault: Vault,
    private audit: Audit,
  ) {
    this.key = vault.derive ? vault.derive(PLAN_CODE_KEY_LABEL) : null;
  }

  /** Whether codes can be sent at all (a sender is configured). */
  get available(): boolean {
    return this.sender !== null;
  }

  private hash(id: string, code: string): string {
    const text = `${id}:${code}`;
    return this.key
      ? createHmac('sha256', this.key).update(text).digest('hex')
      : createHash('sha256').update(text).digest('hex');
  }

  /**
   * Sends a new code for the chosen option to `phone`. The row is written (and the limits
   * counted under the letter's lock) before the message goes out, so that a slow provider
   * holds no transaction; a failed send is kept as failed and still counts against the limits.
   */
  async send(
    letter: LetterRecord,
    offer: { sha256: string; terms: number },
    phone: string,
    now: Date = new Date(),
  ): Promise<CodeSent> {
    const sender = this.sender;
    if (!sender)
      throw new HanjianError({
        code: 'SMS_UNAVAILABLE',
        category: 'internal',
        zh: '本服务未配置短信发送，暂不能在线确认方案，请通过债权人官方渠道联系',
        en: 'no SMS sender is configured (sms): plans cannot be accepted online',
      });
    const t = now.getTime();
    const started = Date.now();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const row: PlanCodeRow = {
      id: randomUUID(),
      letterId: letter.id,
      offerSha256: offer.sha256,
      terms: offer.terms,
      codeHash: '',
      sender: sender.name,
      toMasked: maskMobile(phone),
      messageId: null,
      status: 'sending',
      createdAt: iso(t),
      sentAt: null,
      expiresAt: iso(t + PLAN_CODE.minutes * 60_000),
      attempts: 0,
      usedAt: null,
    };
    row.codeHash = this.hash(row.id, code);
    await this.store.transaction(async () => {
      const recent = await this.store.recentLocked(letter.id, iso(t - 86_400_000));
      const last = recent[0];
      if (last && Date.parse(last.createdAt) > t - PLAN_CODE.resendSeconds * 1000)
        throw new HanjianError({
          code: 'PLAN_CODE_TOO_SOON',
          category: 'conflict',
          path: 'terms',
          zh: `验证码已发送，请 ${PLAN_CODE.resendSeconds} 秒后再重新获取`,
          en: `a code was sent less than ${PLAN_CODE.resendSeconds} seconds ago: wait before asking again`,
        });
      const lastHour = recent.filter((r) => Date.parse(r.createdAt) > t - 3_600_000).length;
      if (lastHour >= PLAN_CODE.perHour || recent.length >= PLAN_CODE.perDay)
        throw new HanjianError({
          code: 'PLAN_CODE_TOO_MANY',
          category: 'conflict',
          path: 'terms',
          zh: `获取验证码次数过多（每小时最多 ${PLAN_CODE.perHour} 次、每天最多 ${PLAN_CODE.perDay} 次），请稍后再试`,
          en: `too many codes for this letter (at most ${PLAN_CODE.perHour} an hour and ${PLAN_CODE.perDay} a day)`,
        });
      await this.store.insert(row);
    });
    let messageId: string;
    try {
      ({ messageId } = await sender.send({ to: phone, code, minutes: PLAN_CODE.minutes }));
    } catch (e) {
      await this.store.markFailed(row.id);
      throw e;
    }
    // On the same clock as `now` (a test's or the request's), however long the provider took.
    const sentAt = iso(t + (Date.now() - started));
    await this.store.transaction(async () => {
      await this.store.markSent(row.id, sentAt, messageId);
      await this.audit.append({
        orgId: letter.clientOrgId,
        actor: 'debtor',
        action: 'debtor.plan-code',
        subject: letter.id,
        details: { number: letter.number, terms: offer.terms, to: row.toMasked, sender: sender.name, messageId },
      });
    });
    return {
      id: row.id,
      terms: offer.terms,
      to: row.toMasked,
      sentAt,
      expiresAt: row.expiresAt,
      resendAt: iso(t + PLAN_CODE.resendSeconds * 1000),
    };
  }

  /**
   * The letter's current code, checked against what the debtor typed for the offer they
   * accept: refused with PLAN_CODE_REQUIRED (none given or none sent), PLAN_CODE_EXPIRED
   * (past its time, or already used), PLAN_CODE_LOCKED (too many wrong entries),
   * PLAN_CODE_MISMATCH (sent for another option) or PLAN_CODE_INVALID (wrong; counted).
   * Does not use it up: the caller does that with `use`, in the acceptance's transaction.
   */
  async check(
    letter: LetterRecord,
    offer: { sha256: string; terms: number },
    typed: unknown,
    now: Date = new Date(),
  ): Promise<PlanCodeRow> {
    const given = typeof typed === 'string' ? typed.trim() : typeof typed === 'number' ? String(typed) : '';
    if (!given)
      throw fail(
        'PLAN_CODE_REQUIRED',
        'forbidden',
        '接受方案须填写发送到合同预留手机号的短信验证码，请先获取验证码',
        'accepting a plan needs the one-time code sent to the phone on the contract: ask for one first',
      );
    const row = await this.store.latestSent(letter.id);
    if (!row)
      throw fail(
        'PLAN_CODE_REQUIRED',
        'forbidden',
        '尚未向合同预留手机号发送验证码，请先获取验证码',
        'no one-time code was sent for this letter: ask for one first',
      );
    if (row.status === 'used' || Date.parse(row.expiresAt) <= now.getTime())
      throw fail(
        'PLAN_CODE_EXPIRED',
        'forbidden',
        '验证码已失效，请重新获取',
        'the one-time code has expired or was used: ask for a new one',
      );
    if (row.attempts >= PLAN_CODE.maxAttempts)
      throw fail(
        'PLAN_CODE_LOCKED',
        'forbidden',
        '验证码输错次数过多，已失效，请重新获取',
        `the one-time code was entered wrongly ${PLAN_CODE.maxAttempts} times and no longer works: ask for a new one`,
      );
    if (row.offerSha256 !== offer.sha256)
      throw fail(
        'PLAN_CODE_MISMATCH',
        'forbidden',
        `该验证码是为分 ${row.terms} 期方案发送的，请为所选方案重新获取验证码`,
        `the code was sent for the ${row.terms}-instalment option: ask for a code for the option chosen`,
      );
    const expected = Buffer.from(row.codeHash, 'hex');
    const actual = Buffer.from(/^\d{6}$/.test(given) ? this.hash(row.id, given) : '', 'hex');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      const attempts = await this.store.addAttempt(row.id);
      const left = PLAN_CODE.maxAttempts - attempts;
      throw fail(
        'PLAN_CODE_INVALID',
        'forbidden',
        left > 0 ? `验证码不正确，还可再试 ${left} 次` : '验证码不正确，输错次数已达上限，请重新获取',
        left > 0
          ? `the one-time code is wrong (${left} more tries)`
          : 'the one-time code is wrong and no longer works: ask for a new one',
      );
    }
    return row;
  }

  /** Uses the checked code up (inside the acceptance's transaction); PLAN_CODE_EXPIRED if another request used it first. */
  async use(row: PlanCodeRow, now: Date = new Date()): Promise<void> {
    if (!(await this.store.use(row.id, now.toISOString(), PLAN_CODE.maxAttempts)))
      throw fail(
        'PLAN_CODE_EXPIRED',
        'forbidden',
        '验证码已失效，请重新获取',
        'the one-time code has expired or was used: ask for a new one',
      );
  }

  /** The sender's label for the court copy, by its name. */
  labelOf(name: string): string {
    if (this.sender?.name === name) return this.sender.label;
    return SENDER_LABELS[name] ?? name;
  }
}

const SENDER_LABELS: Record<string, string> = {
  file: '开发用短信发件箱（未实际发送）',
  log: '开发用日志（未实际发送）',
  aliyun: '阿里云短信服务',
};
