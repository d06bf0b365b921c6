/**
 * The JSON bodies the service answers with, as zod schemas: the OpenAPI document is generated
 * from them, and the tests check real responses against that document.
 */
import { z } from 'zod';
import { LETTER_STATUSES } from '../delivery/letter-state.js';
import {
  LETTER_KINDS,
  type LetterKind,
  type LetterSummary,
  type listTemplates,
  manifestSchema,
  type Recommendation,
} from '../pipeline/index.js';
import type { RequestView } from '../requests/requests.js';
import type { view as letterView } from './letter-view.js';
import { PLAN_RESPONSE_SCHEMAS } from './plan-responses.js';
import { PROBLEM_CODES, type ProblemCode } from './problem-codes.js';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .meta({ format: 'date', description: 'YYYY-MM-DD (Asia/Shanghai)' });
const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .meta({ description: 'sha256, hex' });
const kind = z.enum(LETTER_KINDS);
const dateTime = z.string().meta({ format: 'date-time', description: 'UTC, ISO 8601' });

/** Money on the wire: yuan as a decimal string with two decimals, never a float. */
export const yuanSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]*)\.[0-9]{2}$/)
  .meta({ description: 'Amount in yuan, a decimal string with two decimals, e.g. "12426.00"', examples: ['12426.00'] });
const fen = z.number().int().min(0).meta({ description: 'The same amount in integer fen (1 yuan = 100 fen)' });

export const warningSchema = z.object({
  code: z.string(),
  message: z.string().meta({ description: '中文 / English' }),
});

export const validationSummarySchema = z.object({
  ok: z.literal(true),
  kind,
  template: z.string().meta({ description: 'the template version the letter resolves to, kind@version' }),
  debtor: z.string(),
  total: yuanSchema,
  totalFen: fen,
  deadline: date.nullable().meta({ description: 'pay-by date (demand and lawyer-letter), rest days skipped' }),
  letterNo: z.string().nullable(),
  warnings: z.array(warningSchema),
  attachments: z.array(z.string()).meta({
    description:
      "the entries of the letter's 附件 list as printed; a 授权委托书 listed is appended from the engagement when the letter is issued",
  }),
});

export const recommendationSchema = z.object({
  kind: kind.nullable().meta({ description: 'the letter to send today, or null for none' }),
  reasons: z.array(z.string()),
  earliestDate: date.optional(),
  next: z.object({ kind, earliestDate: date }).optional(),
  overdueDays: z.number().int(),
  total: yuanSchema,
  totalFen: fen,
  highRisk: z.boolean(),
});

export const TEMPLATE_STATUSES = ['active', 'retired', 'draft', 'released'] as const;
export const templateSummarySchema = manifestSchema
  .pick({ kind: true, version: true, title: true, description: true, effectiveFrom: true, sender: true })
  .extend({
    id: z.string().meta({
      description: "kind@version (built-in) or firm:kind@version (the caller's organisation's own catalogue)",
    }),
    origin: z
      .enum(['built-in', 'firm'])
      .meta({ description: "built-in, or a version of the caller's organisation's own catalogue" }),
    status: z
      .enum(TEMPLATE_STATUSES)
      .meta({ description: 'built-in: active | retired; firm: draft (preview only) | released | retired' }),
  });

export const templateDetailsSchema = z.object({
  manifest: manifestSchema,
  schema: z.record(z.string(), z.unknown()).meta({ description: 'the letter input as JSON Schema (draft 2020-12)' }),
  example: z
    .unknown()
    .meta({ $ref: '#/components/schemas/LetterInput', description: 'a complete input that renders with this version' }),
});

export const signatureSchema = z
  .object({
    subject: z.string().meta({
      description: "the signer certificate's subject, most specific first",
      examples: ['CN=北京某某律师事务所, O=北京某某律师事务所, C=CN'],
    }),
    issuer: z.string(),
    notBefore: z.string().meta({ format: 'date-time' }),
    notAfter: z.string().meta({ format: 'date-time' }),
    signedAt: z
      .string()
      .meta({ format: 'date-time', description: 'the issue moment, the signing time in the signature' }),
    timestamp: z
      .object({
        at: z.string().meta({ format: 'date-time', description: "the TSA's time in its RFC 3161 token (genTime)" }),
        tsa: z.string().meta({
          description: "the time-stamping authority: its certificate's subject, most specific first",
          examples: ['CN=Hanjian Test TSA, O=Hanjian Test CA, C=CN'],
        }),
      })
      .nullable()
      .meta({
        description:
          "the RFC 3161 timestamp over the signature from the sender's time-stamping authority (HANJIAN_TSA_URL); null when the signature was not time-stamped",
      }),
  })
  .nullable()
  .meta({ description: 'the PAdES signature of a signed letter (HANJIAN_SIGNING); null when it was issued unsigned' });

export const issuedLetterSchema = z.object({
  id: z.string(),
  number: z.string().meta({ examples: ['（2026）京某律函字第0001号'] }),
  kind,
  template: z.string(),
  sender: z.string(),
  issueDate: date,
  debtor: z.string().meta({ description: 'masked name, e.g. 张*' }),
  total: yuanSchema,
  totalFen: fen,
  inputSha256: sha256,
  pdfSha256: sha256,
  pdfSize: z.number().int().min(1),
  verifyCode: z.string().meta({ examples: ['PCQZ-GZ26'] }),
  verifyUrl: z.string(),
  requester: z
    .string()
    .meta({ description: 'the API key id that issued it (for a requested letter: the key of the approving reviewer)' }),
  createdAt: dateTime,
  replayed: z.boolean().meta({ description: 'true when this answers a retry with the same Idempotency-Key' }),
  status: z.enum(['issued', 'void']).meta({
    description:
      'void: withdrawn by its sender (POST /v1/letters/{id}/void); the number stays used and verification answers void',
  }),
  voidedOn: date.nullable().meta({ description: 'the day it was voided, or null' }),
  voidReason: z.string().nullable().meta({ description: 'why it was voided, or null' }),
  contractNo: z.string().nullable().meta({ description: 'the account contract number the letter is about' }),
  requestId: z.string().nullable().meta({
    description: 'the letter request it was approved from (GET /v1/letter-requests/{id}), or null when issued directly',
  }),
  pdf: z.string().meta({ description: 'path of the stored PDF: GET it with the read scope' }),
  signature: signatureSchema,
});

const letterState = z.enum(LETTER_STATUSES).meta({
  description:
    "the letter's state as the workspace shows it: void; paid (in full); disputed (the debtor's dispute on the contract is open); plan-accepted; else the delivery state (issued, dispatched, delivered, refused, returned)",
});
export const letterListSchema = z.object({
  letters: z
    .array(issuedLetterSchema.extend({ state: letterState }))
    .meta({ description: "newest first; the letters the caller's organisation issued or that were issued for it" }),
  next: z
    .string()
    .nullable()
    .meta({ description: 'opaque cursor of the next page (pass it as cursor), or null on the last page' }),
});

export const letterRequestSchema = z.object({
  id: z.string(),
  status: z.enum(['pending_review', 'issued', 'rejected']),
  kind,
  engagement: z.string().nullable().meta({
    description: "the engagement a lawyer's letter is requested under; null for a creditor's own reviewed letter",
  }),
  contractNo: z.string(),
  debtor: z.string().meta({ description: 'masked name, e.g. 张*' }),
  total: yuanSchema,
  requestedBy: z.string().meta({ description: 'the API key id that made the request' }),
  createdAt: dateTime,
  override: z
    .object({ reason: z.string() })
    .nullable()
    .meta({ description: 'the reason given to override the escalation policy (scope override), or null' }),
  policyReasons: z.array(z.string()).meta({ description: 'what the escalation policy said at request time' }),
  decision: z
    .object({
      by: z.string().meta({ description: 'the user id of the reviewing lawyer (or reviewer of the creditor)' }),
      reason: z.string().nullable().meta({ description: 'the reason for a rejection; null for an approval' }),
      at: dateTime,
    })
    .nullable()
    .meta({ description: 'null while pending review' }),
  letter: z
    .object({ id: z.string(), number: z.string(), pdf: z.string().meta({ description: 'path of the stored PDF' }) })
    .nullable()
    .meta({ description: 'the issued letter once approved, or null' }),
});

export const letterRequestListSchema = z.object({
  requests: z
    .array(letterRequestSchema)
    .meta({ description: "the requests of the caller's organisation, and for a law firm those under its engagements" }),
});

export const verificationSchema = z.union([
  z
    .object({
      valid: z.literal(true),
      kind,
      sender: z.string(),
      issueDate: date,
      debtor: z.string(),
      total: yuanSchema,
      pdfSha256: sha256,
      signature: signatureSchema,
    })
    .meta({ title: 'Genuine' }),
  z
    .object({ valid: z.literal(false), status: z.literal('void'), voidedOn: date })
    .meta({ title: 'Voided', description: 'issued here, then voided by its sender: no longer valid' }),
  z
    .object({ valid: z.literal(false) })
    .meta({ title: 'Unknown', description: 'no letter with this number and code was issued here' }),
]);

export const letterEventsSchema = z.object({
  state: z
    .enum(['issued', 'dispatched', 'delivered', 'returned', 'refused', 'void'])
    .meta({ description: 'the delivery state: the last dispatch/delivery event, or issued; void above all' }),
  letterState,
  letterStateLabel: z
    .string()
    .meta({ examples: ['拒收'], description: 'the state in Chinese, as the workspace shows it' }),
  paid: yuanSchema,
  outstanding: yuanSchema,
  events: z.array(
    z.object({
      id: z.string(),
      seq: z.number().int(),
      type: z.enum(['dispatched', 'delivered', 'returned', 'refused', 'paid']),
      at: z.string().meta({ description: 'when it happened, ISO 8601 with offset' }),
      actor: z.string().meta({ description: 'the key id that recorded it' }),
      details: z.record(z.string(), z.unknown()).meta({
        description:
          'channel, trackingNo, masked address, note; for a payment amount (yuan) and amountFen, and overpayment: true when it exceeded the outstanding amount; proofs (sha256)',
      }),
      createdAt: dateTime,
    }),
  ),
});
export const letterEventSchema = letterEventsSchema.shape.events.element.extend({ letterId: z.string() });
export const proofSchema = z.object({
  sha256,
  type: z.enum(['application/pdf', 'image/png', 'image/jpeg']),
  size: z.number().int(),
});
/** The receipt of a dispute or hardship request: the one just filed, or the one already open on the contract. */
const receiptNo = z
  .string()
  .regex(/^\d{3}-\d{3}-\d{3}$/)
  .nullable()
  .meta({
    description:
      'the receipt number the debtor was given (受理编号, nine digits with a check digit, read out on the phone); null for one filed before numbers existed',
  });
const debtorResponseReceiptSchema = z.object({
  id: z.string(),
  receiptNo,
  status: z.literal('open'),
  type: z.enum(['dispute', 'hardship']),
  existing: z.boolean().meta({ description: 'true: one was already open on the contract and nothing new was filed' }),
  createdAt: dateTime,
});

export const debtorResponseSchema = z.object({
  id: z.string(),
  receiptNo,
  letterId: z.string(),
  number: z.string(),
  contractNo: z.string(),
  type: z.enum(['dispute', 'hardship']),
  text: z.string().meta({ description: "the debtor's own words, as data (never rendered into a letter)" }),
  contact: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  createdAt: dateTime,
  resolvedAt: dateTime.nullable(),
  resolutionNote: z.string().nullable(),
});
export const debtorResponseListSchema = z.object({ responses: z.array(debtorResponseSchema) });

export const healthSchema = z.object({ ok: z.literal(true) });
export const readinessSchema = z.object({
  ok: z.literal(true),
  templates: z.number().int(),
  workers: z.number().int(),
});

const problemCodes = Object.keys(PROBLEM_CODES) as [ProblemCode, ...ProblemCode[]];
// RFC 9457 allows extension members: a problem may carry more than these.
export const problemSchema = z.looseObject({
  type: z.string().meta({ description: 'https://hanjian.dev/problems/<code in kebab case>' }),
  title: z.string(),
  status: z.number().int(),
  code: z.enum(problemCodes).meta({
    description: `Stable codes (more may be added):\n${problemCodes.map((c) => `- ${c} (${PROBLEM_CODES[c].status}): ${PROBLEM_CODES[c].about}`).join('\n')}`,
  }),
  detail: z.string().meta({ description: '中文 / English' }),
  requestId: z.string().optional(),
  issues: z
    .array(
      z.object({
        path: z
          .string()
          .meta({ description: 'dotted path into the input, e.g. debtor.idNumber; empty for the whole input' }),
        code: z.string().meta({ description: 'stable, e.g. REQUIRED, MONEY_FORMAT, ID_CHECKSUM, UNKNOWN_FIELD' }),
        message: z.string().meta({ description: 'path: 中文 / English' }),
      }),
    )
    .optional(),
});

/** The response components by name. */
export const RESPONSE_SCHEMAS = {
  ...PLAN_RESPONSE_SCHEMAS,
  LetterEvents: letterEventsSchema,
  LetterEvent: letterEventSchema,
  Proof: proofSchema,
  DebtorResponse: debtorResponseSchema,
  DebtorResponseReceipt: debtorResponseReceiptSchema,
  DebtorResponseList: debtorResponseListSchema,
  ValidationSummary: validationSummarySchema,
  Recommendation: recommendationSchema,
  TemplateSummary: templateSummarySchema,
  TemplateDetails: templateDetailsSchema,
  IssuedLetter: issuedLetterSchema,
  LetterList: letterListSchema,
  LetterRequest: letterRequestSchema,
  LetterRequestList: letterRequestListSchema,
  Verification: verificationSchema,
  Health: healthSchema,
  Readiness: readinessSchema,
  Problem: problemSchema,
  Yuan: yuanSchema,
  Warning: warningSchema,
} as const;

/**
 * The routes send what the library returns; the compiler checks that those results fit the
 * schemas above, so the document cannot promise a shape the code does not produce. The
 * registry's and the workflow's views hold the kind as a plain string (it comes from storage),
 * so they are checked with it narrowed; the problem bodies are checked at run time by the API tests.
 */
type Fits<Schema extends z.ZodType, Value extends z.output<Schema>> = Value;
export type CheckedAgainstLibrary = [
  Fits<typeof validationSummarySchema, LetterSummary>,
  Fits<typeof recommendationSchema, Recommendation>,
  Fits<typeof templateSummarySchema, ReturnType<typeof listTemplates>[number]>,
  Fits<typeof issuedLetterSchema, KindNarrowed<ReturnType<typeof letterView>>>,
  Fits<typeof letterRequestSchema, KindNarrowed<RequestView>>,
];
type KindNarrowed<T extends { kind: string }> = Omit<T, 'kind'> & { kind: LetterKind };
