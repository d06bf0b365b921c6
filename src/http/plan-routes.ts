/** The creditor's side of repayment plans: its plan settings, and the plans debtors accepted with their confirmation letters. */
import type express from 'express';
import type { Response } from 'express';
import type { Caller } from '../orgs/model.js';
import { fenToYuan } from '../pipeline/index.js';
import type { PlanSettings } from '../plans/plan-store.js';
import type { Plans } from '../plans/plans.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';

const callerOf = (res: Response) => res.locals.caller as Caller;
/** Money on the wire is yuan as a decimal string, as in letters. */
const settingsView = (s: PlanSettings) => ({
  terms: s.terms,
  firstDueDays: s.firstDueDays,
  minInstalment: fenToYuan(s.minInstalment),
  graceDays: s.graceDays,
  interest: s.interest ?? 'stops',
  annualRateBp: s.interest === 'continues' ? (s.annualRateBp ?? null) : null,
  updatedAt: s.updatedAt,
  updatedBy: s.updatedBy,
});

export function planRoutes({ plans }: { plans: Plans }) {
  return (app: express.Express, h: RouteHelpers): void => {
    app.get(
      '/v1/plan-settings',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (_req, res) => {
        const s = await plans.settings(callerOf(res).orgId);
        res.json({ settings: s ? settingsView(s) : null });
      }),
    );
    app.put(
      '/v1/plan-settings',
      ...h.requireScope('admin'),
      h.limit,
      ...h.jsonBody,
      h.wrap(async (req, res) => {
        res.json({ settings: settingsView(await plans.saveSettings(callerOf(res), req.body)) });
      }),
    );
    app.delete(
      '/v1/plan-settings',
      ...h.requireScope('admin'),
      h.limit,
      h.wrap(async (_req, res) => {
        await plans.deleteSettings(callerOf(res));
        res.status(204).end();
      }),
    );
    app.get(
      '/v1/plans',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (_req, res) => {
        const list = await plans.list(callerOf(res));
        res.json({
          plans: list.map((p) => ({
            id: p.id,
            letterId: p.letterId,
            contractNo: p.contractNo,
            terms: p.terms,
            total: fenToYuan(p.totalFen),
            cost: fenToYuan(p.costFen),
            annualRateBp: p.annualRateBp,
            graceDays: p.graceDays,
            acceptedOn: p.acceptedOn,
            instalments: p.instalments.map((i) => ({
              dueDate: i.dueDate,
              amount: fenToYuan(i.amountFen),
              interest: fenToYuan(i.interestFen ?? 0),
            })),
            confirmation: p.confirmation,
          })),
        });
      }),
    );
  };
}
