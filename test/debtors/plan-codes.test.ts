/**
 * The one-time code that proves who accepted a plan (issue 28 §4), through the registry: sent
 * only for an option that could be accepted and only to the phone on the contract, six digits,
 * kept as an HMAC, valid ten minutes, five wrong entries at most, bound to the option it was
 * sent for, replaced by a newer one, used once; sends limited per letter; the acceptance record
 * encrypted; a failing provider refused as SMS_UNAVAILABLE.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../../src/app/library.js';
import { PLAN_CODE } from '../../src/debtors/plan-codes.js';
import type { LetterRecord } from '../../src/letters/letter-store.js';
import { dated, restated, TODAY } from '../helpers.js';
import { CapturedSms } from '../support/sms.js';

const sms = new CapturedSms();
let reg: Registry;
const T0 = Date.parse('2026-11-29T10:00:00+08:00');
const at = (seconds: number) => ({ today: '2026-11-29', now: new Date(T0 + seconds * 1000) });
const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
let n = 0;

async function offerLetter(change: (x: Record<string, any>) => void = () => {}): Promise<LetterRecord> {
  const x = dated('demand');
  x.account.contractNo = `CODE-${++n}`;
  change(x);
  return (await reg.issue(restated({ ...x, template: 'demand@3' }, TODAY), { today: TODAY })).record;
}

beforeAll(async () => {
  reg = openRegistry({
    db: join(mkdtempSync(join(tmpdir(), 'hanjian-codes-')), 'h.db'),
    publicBaseUrl: 'https://v.test',
    sms,
  });
  await reg.stores.plans.saveSettings({
    orgId: 'default',
    terms: [3, 6],
    firstDueDays: 15,
    minInstalment: 0,
    graceDays: 10,
    updatedAt: '2026-11-28T00:00:00Z',
    updatedBy: 'test',
  });
});
afterAll(() => reg.close());

describe('a plan acceptance code', () => {
  it('is required: a plan is refused without one, with a wrong one, after its ten minutes and once used', async () => {
    const letter = await offerLetter();
    await expect(reg.debtors.acceptPlan(letter, { terms: 3 }, at(0))).rejects.toMatchObject({
      code: 'PLAN_CODE_REQUIRED',
    });
    await expect(reg.debtors.acceptPlan(letter, { terms: 3, smsCode: '123456' }, at(0))).rejects.toMatchObject({
      code: 'PLAN_CODE_REQUIRED', // none was sent
    });
    const sent = await reg.debtors.sendPlanCode(letter, { terms: 3 }, at(0));
    expect(sent).toMatchObject({ terms: 3, to: '136****5432' });
    expect(Date.parse(sent.expiresAt) - (T0 + 0)).toBe(PLAN_CODE.minutes * 60_000);
    expect(sms.sent.at(-1)).toMatchObject({ to: '13698765432', minutes: 10 });
    const code = sms.last();
    expect(code).toMatch(/^\d{6}$/);

    // Kept only as an HMAC: neither the code nor the full number is in the row.
    const row = await reg.stores.db.get<Record<string, unknown>>('SELECT * FROM plan_codes WHERE id = ?', [sent.id]);
    expect(JSON.stringify(row)).not.toContain(code);
    expect(JSON.stringify(row)).not.toContain('13698765432');
    expect(row).toMatchObject({ status: 'sent', to_masked: '136****5432', sender: 'test', message_id: 'test-1' });

    await expect(reg.debtors.acceptPlan(letter, { terms: 3, smsCode: 'abc' }, at(10))).rejects.toMatchObject({
      code: 'PLAN_CODE_INVALID',
    });
    await expect(reg.debtors.acceptPlan(letter, { terms: 3, smsCode: wrongOf(code) }, at(20))).rejects.toMatchObject({
      code: 'PLAN_CODE_INVALID',
      zh: '验证码不正确，还可再试 3 次',
    });
    // Past its ten minutes, the right code no longer works.
    await expect(
      reg.debtors.acceptPlan(letter, { terms: 3, smsCode: code }, at(PLAN_CODE.minutes * 60 + 1)),
    ).rejects.toMatchObject({ code: 'PLAN_CODE_EXPIRED' });
    // Within them it does, and the plan is recorded with who accepted.
    const { plan } = await reg.debtors.acceptPlan(
      letter,
      { terms: 3, smsCode: code },
      { ...at(60), ip: '198.51.100.4', userAgent: 'TestBrowser/1.0' },
    );
    expect(plan.acceptedAt).toBe(new Date(T0 + 60_000).toISOString());
    expect(await reg.debtors.acceptanceOf(plan)).toMatchObject({
      ip: '198.51.100.4',
      userAgent: 'TestBrowser/1.0',
      sms: { codeId: sent.id, sender: 'test', to: '136****5432', messageId: 'test-1', wrongAttempts: 2 },
    });
    // The record is encrypted at rest.
    const encrypted = (await reg.stores.db.get<{ acceptance_encrypted: string }>(
      'SELECT acceptance_encrypted FROM repayment_plans WHERE id = ?',
      [plan.id],
    ))!.acceptance_encrypted;
    expect(encrypted).toMatch(/^enc1:/);
    expect(encrypted).not.toContain('198.51.100.4');
    expect((await reg.stores.db.get('SELECT status FROM plan_codes WHERE id = ?', [sent.id]))!.status).toBe('used');
    // The audit trail has the send, with the masked number and never the code.
    const audit = (await reg.audit.rows({ subject: letter.id })).filter((r) => r.action === 'debtor.plan-code');
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).toContain('136****5432');
    expect(JSON.stringify(audit[0])).not.toContain(code);
  });

  it('locks after five wrong entries; a newer code replaces the older; a code for one option does not accept another', async () => {
    const letter = await offerLetter();
    await reg.debtors.sendPlanCode(letter, { terms: 3 }, at(0));
    const first = sms.last();
    for (let i = 1; i <= PLAN_CODE.maxAttempts; i++)
      await expect(reg.debtors.acceptPlan(letter, { terms: 3, smsCode: wrongOf(first) }, at(i))).rejects.toMatchObject({
        code: 'PLAN_CODE_INVALID',
      });
    await expect(reg.debtors.acceptPlan(letter, { terms: 3, smsCode: first }, at(10))).rejects.toMatchObject({
      code: 'PLAN_CODE_LOCKED',
    });
    // A new code (after a minute), for the other option: the old one is gone, and it accepts only its own option.
    await reg.debtors.sendPlanCode(letter, { terms: 6 }, at(61));
    const second = sms.last();
    await expect(reg.debtors.acceptPlan(letter, { terms: 3, smsCode: second }, at(70))).rejects.toMatchObject({
      code: 'PLAN_CODE_MISMATCH',
    });
    if (second !== first)
      await expect(reg.debtors.acceptPlan(letter, { terms: 6, smsCode: first }, at(71))).rejects.toMatchObject({
        code: 'PLAN_CODE_INVALID',
      });
    const { plan } = await reg.debtors.acceptPlan(letter, { terms: 6, smsCode: second }, at(80));
    expect(plan.terms).toBe(6);
    // The same choice again returns the same plan (nothing new is accepted, so no code is needed).
    expect((await reg.debtors.acceptPlan(letter, { terms: 6 }, at(90))).plan.id).toBe(plan.id);
  });

  it('is sent at most once a minute and five times an hour per letter', async () => {
    const letter = await offerLetter();
    await reg.debtors.sendPlanCode(letter, { terms: 3 }, at(0));
    await expect(reg.debtors.sendPlanCode(letter, { terms: 3 }, at(30))).rejects.toMatchObject({
      code: 'PLAN_CODE_TOO_SOON',
    });
    for (let i = 1; i < PLAN_CODE.perHour; i++) await reg.debtors.sendPlanCode(letter, { terms: 3 }, at(i * 61));
    await expect(reg.debtors.sendPlanCode(letter, { terms: 3 }, at(PLAN_CODE.perHour * 61))).rejects.toMatchObject({
      code: 'PLAN_CODE_TOO_MANY',
    });
    // An hour after the first, one more may go.
    await reg.debtors.sendPlanCode(letter, { terms: 3 }, at(3_601));
  });

  it('is not sent where it could not be used: no phone on file, a void letter, an open dispute, no sender, a failing provider', async () => {
    const noPhone = await offerLetter((x) => delete x.debtor.phone);
    expect(reg.debtors.phoneOnFile(noPhone)).toBeNull();
    await expect(reg.debtors.sendPlanCode(noPhone, { terms: 3 }, at(0))).rejects.toMatchObject({
      code: 'PLAN_PHONE_MISSING',
    });
    await expect(reg.debtors.acceptPlan(noPhone, { terms: 3, smsCode: '123456' }, at(0))).rejects.toMatchObject({
      code: 'PLAN_PHONE_MISSING',
    });

    const disputed = await offerLetter();
    await reg.debtors.file(disputed, { type: 'dispute', text: '金额不对' });
    await expect(reg.debtors.sendPlanCode(disputed, { terms: 3 }, at(0))).rejects.toMatchObject({
      code: 'DISPUTE_OPEN',
    });

    const letter = await offerLetter();
    const before = sms.sent.length;
    sms.failing = true;
    try {
      await expect(reg.debtors.sendPlanCode(letter, { terms: 3 }, at(0))).rejects.toMatchObject({
        code: 'SMS_UNAVAILABLE',
      });
    } finally {
      sms.failing = false;
    }
    expect(sms.sent.length).toBe(before);
    expect(
      (await reg.stores.db.all('SELECT status FROM plan_codes WHERE letter_id = ?', [letter.id])).map((r) => r.status),
    ).toEqual(['failed']);

    await reg.letters.void(letter.id, { actor: 'test', reason: '测试作废', today: TODAY });
    await expect(
      reg.debtors.sendPlanCode((await reg.letters.byId(letter.id))!, { terms: 3 }, at(120)),
    ).rejects.toMatchObject({ code: 'LETTER_VOID' });

    // A registry with no sender (production without one configured): no code, and the reason.
    const bare = openRegistry({ db: reg.stores.location, publicBaseUrl: 'https://v.test', sms: null });
    try {
      const other = await offerLetter();
      await expect(bare.debtors.sendPlanCode(other, { terms: 3 }, at(0))).rejects.toMatchObject({
        code: 'SMS_UNAVAILABLE',
      });
      expect(bare.debtors.codesAvailable).toBe(false);
    } finally {
      await bare.close();
    }
  });
});
