/**
 * Follow-up and plans through the registry, with the dates moved on: a follow-up refers to the
 * previous letter from the registry's records; an accepted plan suspends the policy, a missed
 * instalment (past its grace) resumes it, a payment on time keeps it suspended.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { recommendWithRegistry } from '../../src/history/contract-history.js';
import type { LetterRecord } from '../../src/letters/letter-store.js';
import { addDays } from '../../src/pipeline/schema/dates.js';
import { dated, restated } from '../helpers.js';
import { readPdf } from '../pipeline/pdf/extract.js';
import { CapturedSms } from '../support/sms.js';

const sms = new CapturedSms();
const reg = openRegistry({
  db: join(mkdtempSync(join(tmpdir(), 'hanjian-plans-')), 'h.db'),
  publicBaseUrl: 'https://v.test',
  sms,
});
/** Accepts with the one-time code sent for the option, on `today`. */
async function accept(letter: LetterRecord, terms: number, today: string) {
  const now = new Date(`${today}T10:00:00+08:00`);
  await reg.debtors.sendPlanCode(letter, { terms }, { today, now });
  return reg.debtors.acceptPlan(letter, { terms, smsCode: sms.last() }, { today, now });
}
afterAll(() => reg.close());
const CONTRACT = 'FOLLOW-001';
const onContract = (x: Record<string, any>, day: string) => {
  x.account.contractNo = CONTRACT;
  x.issueDate = day;
  return restated(x, day);
};

describe('follow-up letters and plans through the registry', () => {
  let demandId = '';
  let reminderNo = '';

  it("a follow-up refers to the previous letter with the registry's facts, never typed in", async () => {
    const reminder = await reg.issue(onContract(dated('reminder'), '2026-12-01'), { today: '2026-12-01' });
    reminderNo = reminder.record.number;
    await reg.stores.plans.saveSettings({
      orgId: 'default',
      terms: [3, 6],
      firstDueDays: 15,
      minInstalment: 0,
      graceDays: 10,
      updatedAt: '2026-12-01T00:00:00Z',
      updatedBy: 'test',
    });
    const demand = await reg.issue(
      { ...onContract(dated('demand'), '2026-12-15'), template: 'demand@3' },
      { today: '2026-12-15' },
    );
    demandId = demand.record.id;
    const text = (await readPdf(demand.pdf)).lines.map((l) => l.text.replace(/\s+/g, '')).join('');
    expect(text).toContain(`本公司已于2026年12月1日向您发出${reminderNo}还款提醒函，您至今仍未足额支付。`);
    expect(text).toContain('附件：分期还款方案');
    expect(reg.letters.inputOf(demand.record)).toMatchObject({
      previous: { kind: 'reminder', number: reminderNo, issueDate: '2026-12-01', sender: 'self' },
      plans: { terms: [3, 6], firstDueDays: 15 },
    });
    // A version that does not print them is issued as before, without either.
    const older = await reg.issue(
      { ...onContract(dated('reminder'), '2026-12-16'), template: 'reminder@2' },
      { today: '2026-12-16' },
    );
    expect(reg.letters.inputOf(older.record)).not.toHaveProperty('previous');
  });

  it('acceptance suspends the policy; a missed instalment past its grace resumes it; a payment on time keeps it suspended', async () => {
    const letter = (await reg.letters.byId(demandId))!;
    const { plan, confirmation } = await accept(letter, 3, '2026-12-17');
    expect(confirmation.record).toMatchObject({
      kind: 'plan-confirmation',
      template: 'plan-confirmation@1',
      issueDate: '2026-12-17',
    });
    expect((await reg.letters.verify(confirmation.record.number, confirmation.record.verifyCode)).valid).toBe(true);
    // Its own series (issue 28 §3): 确字, starting at 1, not the next number after the demand and the reminder.
    expect(confirmation.record.number).toBe('（2026）确字第0001号');
    expect(reminderNo).toMatch(/^（2026）函字第\d{4}号$/);
    const other = dated('reminder', '2026-12-18');
    other.account.contractNo = 'SERIES-002'; // another contract: this one's history stays as the next steps expect
    const next = await reg.issue(other, { today: '2026-12-18' });
    expect(next.record.number).toBe('（2026）函字第0004号'); // two reminders and the demand before it; the confirmation took none
    expect((await reg.audit.rows({ subject: demandId })).map((r) => r.action)).toContain('event.plan-accepted');
    const [first, second] = plan.instalments;

    const account = { ...dated('demand').account, contractNo: CONTRACT };
    const recOn = async (day: string) => {
      const r = await recommendWithRegistry(
        reg.history,
        'default',
        { account, debt: dated('demand').debt, asOf: day },
        { today: day },
      );
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return r.value;
    };
    expect(await recOn('2026-12-20')).toMatchObject({ kind: null });
    expect((await recOn(addDays(first!.dueDate, 10))).kind).toBe(null); // still within the grace
    const resumed = await recOn(addDays(first!.dueDate, 11));
    expect(resumed.kind).not.toBe(null);
    expect(resumed.reasons[0]).toContain('instalment 1');
    expect(resumed.reasons[0]).toContain('2026-12-17 接受的还款计划（分3期');

    // The first instalment paid on its due date: the plan is current again until the second is missed.
    await reg.delivery.record(
      demandId,
      { type: 'paid', at: `${first!.dueDate}T10:00:00+08:00`, amount: (first!.amountFen / 100).toFixed(2) },
      { actor: 'test', now: new Date(`${first!.dueDate}T18:00:00+08:00`) },
    );
    expect((await recOn(addDays(first!.dueDate, 11))).kind).toBe(null);
    expect((await recOn(addDays(second!.dueDate, 11))).reasons[0]).toContain('instalment 2');
  });

  it('an offer is accepted once, within its period, and not on a void letter', async () => {
    const letter = (await reg.letters.byId(demandId))!;
    await expect(reg.debtors.acceptPlan(letter, { terms: 6 }, { today: '2026-12-17' })).rejects.toMatchObject({
      code: 'PLAN_ALREADY_ACCEPTED',
    });
    // No code is sent for an offer that was accepted already.
    await expect(reg.debtors.sendPlanCode(letter, { terms: 6 }, { today: '2026-12-17' })).rejects.toMatchObject({
      code: 'PLAN_ALREADY_ACCEPTED',
    });
    const other = await reg.issue(
      {
        ...onContract(dated('demand'), '2026-12-18'),
        template: 'demand@3',
        account: { ...dated('demand').account, contractNo: 'FOLLOW-002' },
      },
      { today: '2026-12-18' },
    );
    await expect(reg.debtors.acceptPlan(other.record, { terms: 3 }, { today: '2027-01-30' })).rejects.toMatchObject({
      code: 'PLAN_OFFER_EXPIRED',
    });
    await expect(reg.debtors.sendPlanCode(other.record, { terms: 3 }, { today: '2027-01-30' })).rejects.toMatchObject({
      code: 'PLAN_OFFER_EXPIRED',
    });
    await expect(reg.debtors.acceptPlan(other.record, { terms: 4 }, { today: '2026-12-19' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await reg.letters.void(other.record.id, { actor: 'test', reason: '测试作废', today: '2026-12-19' });
    await expect(
      reg.debtors.acceptPlan((await reg.letters.byId(other.record.id))!, { terms: 3 }, { today: '2026-12-19' }),
    ).rejects.toMatchObject({ code: 'LETTER_VOID' });
  });
});
