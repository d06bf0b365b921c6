/**
 * The fields the cross-field rules need, each parsed on its own from raw input that failed
 * the schema as a whole: a field that parses is checked, one that does not is already
 * reported by the schema and skipped here.
 */
import type { z } from 'zod';
import { accountSchema, debtorSchema, debtSchema, letterSchema } from './letter.js';
import type { RuleFields } from './rules.js';

type Raw = Record<string, unknown>;

function section(input: Raw, key: string): Raw {
  const v = input[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}

function leaf<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** `today` fills issueDate when it is absent (not when it is malformed), as validation does. */
export function fieldsOfRaw(input: Raw, today: string): RuleFields {
  const debtor = section(input, 'debtor');
  const account = section(input, 'account');
  const debt = section(input, 'debt');
  const s = letterSchema.shape;
  const issueDate = input.issueDate === undefined ? today : leaf(s.issueDate, input.issueDate);
  const asOf = input.asOf === undefined ? issueDate : leaf(s.asOf, input.asOf);
  const d = debtSchema.shape;
  return {
    kind: leaf(s.kind, input.kind),
    template: leaf(s.template, input.template),
    issueDate,
    asOf,
    idNumber: leaf(debtorSchema.shape.idNumber, debtor.idNumber),
    contractDate: leaf(accountSchema.shape.contractDate, account.contractDate),
    dueDate: leaf(accountSchema.shape.dueDate, account.dueDate),
    has: {
      lawFirm: input.lawFirm !== undefined,
      lawyers: input.lawyers !== undefined,
      demand: input.demand !== undefined,
      plans: input.plans !== undefined,
      previous: input.previous !== undefined,
      plan: input.plan !== undefined,
    },
    debt: {
      principal: leaf(d.principal, debt.principal),
      interest: leaf(d.interest, debt.interest),
      overdueInterest: leaf(d.overdueInterest, debt.overdueInterest),
      penalty: leaf(d.penalty, debt.penalty),
      fees: leaf(d.fees, debt.fees),
      paid: leaf(d.paid, debt.paid),
      total: leaf(d.total, debt.total),
    },
  };
}
