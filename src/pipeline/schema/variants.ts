/**
 * The input contract per kind, derived from the one zod schema that validates letters and
 * the kind table: what a client must send for a reminder, a demand or a lawyer's letter, and
 * what issuing takes (no letterNo: the registry assigns it). Published in the OpenAPI
 * document; validation itself stays letterSchema + rules.ts.
 */
import { z } from 'zod';
import { isoDate, money, rate } from './fields.js';
import { KIND_FIELDS, type KindField } from './kinds.js';
import {
  accountSchema,
  creditorSchema,
  debtorSchema,
  debtSchema,
  historySchema,
  type LetterKind,
  lawFirmSchema,
  lawyerSchema,
  letterSchema,
  reliefSchema,
} from './letter.js';

type Omitted = KindField | 'letterNo';

export function letterSchemaFor(kind: LetterKind, options: { issuing?: boolean } = {}) {
  const rules = KIND_FIELDS[kind];
  const required: Partial<Record<KindField, z.ZodType>> = {};
  for (const f of rules.required) required[f] = letterSchema.shape[f].unwrap();
  // Issuing: the registry assigns the number and fills in the previous letter and the plan options.
  const omitted: Omitted[] = [
    ...new Set([...rules.refused, ...(options.issuing ? (['letterNo', 'plans', 'previous'] as const) : [])]),
  ];
  const mask = Object.fromEntries(omitted.map((f) => [f, true])) as Partial<Record<Omitted, true>>;
  return letterSchema.extend({ kind: z.literal(kind), ...required }).omit(mask);
}

/** The named parts of a letter input, for a published contract to refer to by name. */
export const LETTER_PARTS = {
  Creditor: creditorSchema,
  Debtor: debtorSchema,
  Account: accountSchema,
  Debt: debtSchema,
  LawFirm: lawFirmSchema,
  Lawyer: lawyerSchema,
  Relief: reliefSchema,
  History: historySchema,
  MoneyInput: money,
  Rate: rate,
  CalendarDate: isoDate,
} as const;
