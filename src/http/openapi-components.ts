/**
 * components.schemas of the OpenAPI document, generated from zod: the letter input (one
 * schema per kind, the issuing form without letterNo, and the requesting form without what
 * the engagement and the review supply) from the schemas that validate requests, the
 * responses from responses.ts. Nothing here is written by hand twice.
 */
import { z } from 'zod';
import { letterEventSchema } from '../delivery/lifecycle.js';
import {
  LETTER_KINDS,
  LETTER_PARTS,
  type LetterKind,
  letterSchemaFor,
  planTermsSchema,
  recommendationInputSchema,
} from '../pipeline/index.js';
import { requestBodySchema } from '../requests/requests.js';
import { BATCH_RESPONSE_SCHEMAS } from './batch-schemas.js';
import { RESPONSE_SCHEMAS } from './responses.js';
import { TEMPLATE_INPUT_SCHEMAS, TEMPLATE_RESPONSE_SCHEMAS } from './template-schemas.js';

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

const PASCAL: Record<LetterKind, string> = {
  reminder: 'Reminder',
  demand: 'Demand',
  'lawyer-letter': 'LawyerLetter',
  'plan-confirmation': 'PlanConfirmation',
};

/** A union discriminated by `kind`, so generated clients get one type per kind. */
function discriminated(variants: Partial<Record<LetterKind, [string, z.ZodObject]>>) {
  const entries = Object.entries(variants) as [LetterKind, [string, z.ZodObject]][];
  const mapping = Object.fromEntries(entries.map(([k, [id]]) => [k, ref(id).$ref]));
  const list = entries.map(([, [, schema]]) => schema) as [z.ZodObject, ...z.ZodObject[]];
  return z.discriminatedUnion('kind', list).meta({ discriminator: { propertyName: 'kind', mapping } });
}

function byKind(suffix: string, kinds: readonly LetterKind[], issuing: boolean) {
  const variants = Object.fromEntries(
    kinds.map((k) => [k, [`${PASCAL[k]}${suffix}`, letterSchemaFor(k, { issuing })]]),
  ) as Partial<Record<LetterKind, [string, z.ZodObject]>>;
  return {
    variants: Object.fromEntries(Object.values(variants).map(([id, s]) => [id, s])),
    union: discriminated(variants),
  };
}

/**
 * What a creditor sends to POST /v1/letter-requests. A lawyer's letter comes without the firm,
 * the lawyers, the engagement's date and a number: the engagement and the approving lawyer
 * supply them (workflow/requests.ts refuses them with NOT_ALLOWED). A reminder or demand of a
 * creditor that reviews its own letters is the issuing form.
 */
const lawyerLetterRequest = (letterSchemaFor('lawyer-letter', { issuing: true }) as z.ZodObject).omit({
  lawFirm: true,
  lawyers: true,
  engagement: true,
});
// A lawyer's letter goes through a request; a plan confirmation is issued when the debtor accepts a plan.
const ISSUED_DIRECTLY = LETTER_KINDS.filter((k) => k !== 'lawyer-letter' && k !== 'plan-confirmation');

/** The small bodies of the review and void routes; the routes check the same bounds (reason trimmed). */
export const reasonBodies = {
  VoidBody: z.strictObject({
    reason: z
      .string()
      .min(1)
      .max(500)
      .meta({ description: 'why the letter is withdrawn (1–500 characters, trimmed); recorded and audited' }),
  }),
  RejectBody: z.strictObject({
    reason: z
      .string()
      .min(2)
      .max(500)
      .meta({ description: 'why the request is sent back (2–500 characters, trimmed); shown to the creditor' }),
  }),
};

type JsonSchema = Record<string, unknown>;

function generate(entries: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(entries)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    uri: (id) => ref(id).$ref,
  });
  // Each generated schema names its dialect and id; inside an OpenAPI 3.1 document both are implied.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest as JsonSchema]),
  );
}

export function componentSchemas(): Record<string, JsonSchema> {
  const letters = byKind('Input', LETTER_KINDS, false);
  const issuing = byKind('IssueInput', ISSUED_DIRECTLY, true);
  const requestable = discriminated({
    'lawyer-letter': ['LawyerLetterRequestInput', lawyerLetterRequest],
    reminder: ['ReminderIssueInput', issuing.variants.ReminderIssueInput as z.ZodObject],
    demand: ['DemandIssueInput', issuing.variants.DemandIssueInput as z.ZodObject],
  });
  const input: Record<string, z.ZodType> = {
    ...LETTER_PARTS,
    ...letters.variants,
    ...issuing.variants,
    LawyerLetterRequestInput: lawyerLetterRequest,
    LetterInput: letters.union,
    LetterIssueInput: issuing.union,
    RecommendationInput: recommendationInputSchema,
    LetterRequestBody: requestBodySchema.extend({
      engagement: requestBodySchema.shape.engagement.meta({
        description:
          "the engagement id (required for a lawyer's letter; absent for a creditor's own letter under its review setting)",
      }),
      letter: requestable,
      override: requestBodySchema.shape.override.meta({
        description:
          'request a letter the escalation policy does not allow yet (needs scope override); the reason is audited',
      }),
    }),
    ...reasonBodies,
    LetterEventBody: letterEventSchema,
    ResolveBody: z.strictObject({
      note: z
        .string()
        .min(2)
        .max(500)
        .meta({ description: 'how the creditor resolved it (2–500 characters); audited' }),
    }),
    PlanSettingsBody: planTermsSchema,
    PlanCodeForm: z.strictObject({
      number: z.string().max(80),
      code: z.string().max(20),
      terms: z
        .string()
        .regex(/^\d{1,2}$/)
        .meta({ description: "the chosen option's number of instalments: the code is bound to it" }),
      csrf: z.string().meta({ description: 'the token the verification page put in the form (and in its cookie)' }),
    }),
    PlanAcceptForm: z.strictObject({
      number: z.string().max(80),
      code: z.string().max(20),
      terms: z
        .string()
        .regex(/^\d{1,2}$/)
        .meta({ description: "the chosen option's number of instalments" }),
      smsCode: z
        .string()
        .regex(/^\d{6}$/)
        .meta({
          description:
            'the one-time code sent to the phone on the contract for this option (POST /v1/verify/plans/code); without it, or with a wrong, expired or other option’s code, the acceptance is refused (PLAN_CODE_*)',
        }),
      csrf: z.string().meta({ description: 'the token the verification page put in the form (and in its cookie)' }),
    }),
    DebtorResponseForm: z.strictObject({
      number: z.string().max(80),
      code: z.string().max(20),
      type: z.enum(['dispute', 'hardship']),
      text: z.string().min(1).max(500),
      contact: z.string().max(50).optional(),
      csrf: z.string().meta({ description: 'the token the verification page put in the form (and in its cookie)' }),
    }),
  };
  return {
    ...generate({ ...input, ...TEMPLATE_INPUT_SCHEMAS }, 'input'),
    ...generate({ ...RESPONSE_SCHEMAS, ...TEMPLATE_RESPONSE_SCHEMAS, ...BATCH_RESPONSE_SCHEMAS }, 'output'),
  };
}
