/**
 * Impossible history is refused before it reaches the court evidence: a time ahead of the clock,
 * before the letter's issue date or before the delivery event it follows, and a payment above the
 * outstanding amount unless the caller says it was an overpayment.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/app/library.js';
import { fenToYuan } from '../../src/pipeline/facts/format.js';
import { specimenSeals } from '../../src/pipeline/seals.js';
import { dated, TODAY } from '../helpers.js';

const open = () =>
  openRegistry({
    db: join(mkdtempSync(join(tmpdir(), 'hanjian-times-')), 'h.db'),
    publicBaseUrl: 'https://v.test',
    renderOptions: { seals: specimenSeals },
  });
/** The registry's clock in these tests: the day after the letter was issued (TODAY), 10:00 in Beijing. */
const NOW = new Date('2026-11-29T10:00:00+08:00');

describe('the times and amounts of events', () => {
  it('refuses a time ahead of the clock (beyond 5 minutes), before the issue date, or before the previous delivery event — naming at and the state', async () => {
    const reg = open();
    const { record } = await reg.issue(dated('demand'), { today: TODAY });
    const ev = (body: unknown) => reg.delivery.record(record.id, body, { actor: 'test', now: NOW });

    // The review's case: dispatched "on 2026-12-01" recorded on 2026-11-29.
    await expect(ev({ type: 'dispatched', at: '2026-12-01T09:00:00+08:00', channel: 'ems' })).rejects.toMatchObject({
      code: 'EVENT_IN_FUTURE',
      path: 'at',
      category: 'invalid_input',
      message: expect.stringContaining('已出具（issued）'),
    });
    await expect(ev({ type: 'dispatched', at: '2026-11-29T10:06:00+08:00', channel: 'ems' })).rejects.toMatchObject({
      code: 'EVENT_IN_FUTURE',
    });
    await expect(ev({ type: 'dispatched', at: '2026-11-27T23:59:00+08:00', channel: 'ems' })).rejects.toMatchObject({
      code: 'EVENT_OUT_OF_ORDER',
      path: 'at',
      category: 'conflict',
      message: expect.stringContaining(TODAY),
    });
    // The issue date is a Beijing day: 2026-11-27T16:30Z is 00:30 on the 28th there.
    await ev({ type: 'dispatched', at: '2026-11-27T16:30:00Z', channel: 'ems' });
    // Delivered before its dispatch.
    await expect(ev({ type: 'delivered', at: '2026-11-28T00:10:00+08:00' })).rejects.toMatchObject({
      code: 'EVENT_OUT_OF_ORDER',
      path: 'at',
      message: expect.stringContaining('已寄出（dispatched）'),
    });
    // A caller's clock a little fast is allowed.
    await ev({ type: 'delivered', at: '2026-11-29T10:04:00+08:00' });
    expect((await reg.delivery.events(record.id)).events.map((e) => e.type)).toEqual(['dispatched', 'delivered']);
    await reg.close();
  });

  it('refuses a payment above the outstanding amount unless overpayment: true, which is recorded; payments are not ordered against the mail', async () => {
    const reg = open();
    const { record } = await reg.issue(dated('demand'), { today: TODAY });
    const ev = (body: unknown) => reg.delivery.record(record.id, body, { actor: 'test', now: NOW });
    await ev({ type: 'dispatched', at: '2026-11-29T09:00:00+08:00', channel: 'ems' });

    const huge = ev({ type: 'paid', at: '2026-11-29T09:30:00+08:00', amount: '99999999.00' });
    await expect(huge).rejects.toMatchObject({
      code: 'AMOUNT_ABOVE_OUTSTANDING',
      path: 'amount',
      category: 'conflict',
    });
    await expect(huge).rejects.toThrow(`尚欠金额 ${fenToYuan(record.totalFen)} 元`);
    // Paid the day before the dispatch was recorded for: accepted (a transfer is entered late), but not before the issue date.
    const most = record.totalFen - 10000;
    await ev({ type: 'paid', at: '2026-11-28T20:00:00+08:00', amount: fenToYuan(most) });
    await expect(ev({ type: 'paid', at: '2026-11-27T20:00:00+08:00', amount: '1.00' })).rejects.toMatchObject({
      code: 'EVENT_OUT_OF_ORDER',
      path: 'at',
    });
    // 100.00 outstanding now.
    await expect(ev({ type: 'paid', at: '2026-11-29T09:40:00+08:00', amount: '100.01' })).rejects.toMatchObject({
      code: 'AMOUNT_ABOVE_OUTSTANDING',
      message: expect.stringContaining('尚欠金额 100.00 元'),
    });
    const exact = await ev({ type: 'paid', at: '2026-11-29T09:40:00+08:00', amount: '60.00', overpayment: true });
    expect(exact.details).toEqual({ amount: '60.00', amountFen: 6000 }); // within the outstanding: no flag kept
    const over = await ev({ type: 'paid', at: '2026-11-29T09:50:00+08:00', amount: '50.00', overpayment: true });
    expect(over.details).toEqual({ amount: '50.00', amountFen: 5000, overpayment: true });
    await expect(ev({ type: 'paid', at: '2026-11-29T09:55:00+08:00', amount: '0.01' })).rejects.toMatchObject({
      code: 'AMOUNT_ABOVE_OUTSTANDING',
      message: expect.stringContaining('尚欠金额 0.00 元'),
    });
    await reg.close();
  });

  it("answers a malformed event in Chinese and English, never with zod's own English", async () => {
    const reg = open();
    const { record } = await reg.issue(dated('demand'), { today: TODAY });
    const ev = (body: unknown) => reg.delivery.record(record.id, body, { actor: 'test', now: NOW });
    const issuesOf = async (body: unknown) =>
      ((await ev(body).catch((e: unknown) => e)) as { issues: { path: string; message: string }[] }).issues;
    expect(await issuesOf({ type: 'posted', at: '2026-11-29T09:00:00+08:00' })).toEqual([
      expect.objectContaining({
        path: 'type',
        message: expect.stringMatching(
          /^type: 事件类型无效，可选：dispatched、delivered、returned、refused、paid \/ unknown event type/,
        ),
      }),
    ]);
    expect(await issuesOf({ at: '2026-11-29T09:00:00+08:00' })).toEqual([
      expect.objectContaining({ path: 'type', message: expect.stringContaining('缺少事件类型') }),
    ]);
    const note = await issuesOf({ type: 'delivered', at: 'tomorrow', note: '很'.repeat(201), extra: 1 });
    expect(note.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        'at: 应为带时区的 ISO 8601 时间，如 2026-12-01T09:00:00+08:00 / an ISO 8601 time with its offset, e.g. 2026-12-01T09:00:00+08:00',
        'note: 长度不能大于 200 / length must be at most 200',
        'extra: 未知字段“extra”（请检查拼写） / unknown field "extra" (check the spelling)',
      ]),
    );
    const channel = await issuesOf({
      type: 'dispatched',
      at: '2026-11-29T09:00:00+08:00',
      channel: 'pigeon',
      trackingNo: '运单',
    });
    expect(channel.map((i) => i.path).sort()).toEqual(['channel', 'trackingNo']);
    for (const i of [...note, ...channel])
      expect(i.message, i.message).not.toMatch(/Invalid|Too big|expected string|received/);
    await reg.close();
  });
});
