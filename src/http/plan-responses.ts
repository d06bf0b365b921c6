/** The response shapes of the repayment plan routes (published in the OpenAPI document). */
import { z } from 'zod';

const yuan = z
  .string()
  .regex(/^\d+\.\d{2}$/)
  .meta({ description: 'yuan as a decimal string, "2911.33"' });
const settings = z.object({
  terms: z.array(z.number().int()).meta({ description: 'monthly instalments per option, ascending' }),
  firstDueDays: z.number().int().meta({
    description:
      "the first instalment falls due this many days after the letter's issue date; later ones on the same day of the following months; rest days move to the next working day",
  }),
  minInstalment: yuan.meta({ description: 'options whose regular instalment is below this are not offered' }),
  graceDays: z.number().int().meta({ description: 'a missed instalment resumes escalation only after this many days' }),
  interest: z.enum(['stops', 'continues']).meta({
    description: 'whether interest keeps running under a plan (stops: the plan costs nothing beyond the total)',
  }),
  annualRateBp: z.number().int().nullable().meta({
    description: "the plan's annual interest rate in basis points on the unpaid principal; null when interest stops",
  }),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export const PLAN_RESPONSE_SCHEMAS = {
  PlanSettings: z.object({ settings: settings.nullable() }),
  PlanList: z.object({
    plans: z.array(
      z.object({
        id: z.string(),
        letterId: z.string().meta({ description: 'the letter whose offer was accepted' }),
        contractNo: z.string(),
        terms: z.number().int(),
        total: yuan.meta({ description: "what the instalments add up to: the debt's total plus the plan's cost" }),
        cost: yuan.meta({ description: "the plan's own cost (its interest); 0.00 when interest stops under it" }),
        annualRateBp: z
          .number()
          .int()
          .nullable()
          .meta({ description: "the plan's annual rate in basis points; null when interest stops" }),
        graceDays: z.number().int(),
        acceptedOn: z.string().meta({ format: 'date' }),
        instalments: z.array(
          z.object({
            dueDate: z.string().meta({ format: 'date' }),
            amount: yuan,
            interest: yuan.meta({ description: 'the part of the amount that is interest' }),
          }),
        ),
        confirmation: z
          .object({ id: z.string(), number: z.string(), pdf: z.string() })
          .nullable()
          .meta({ description: 'the 还款计划确认函 issued for it' }),
      }),
    ),
  }),
};
