/**
 * The JSON bodies the service answers with, as zod schemas: the OpenAPI document is generated
 * from them, and the tests check real responses against that document.
 */
import { z } from 'zod';
import { LETTER_KINDS, manifestSchema, type LetterSummary, type listTemplates, type Recommendation } from '../letters.js';
import { PROBLEM_CODES, type ProblemCode } from './problem-codes.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ format: 'date', description: 'YYYY-MM-DD (Asia/Shanghai)' });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/).meta({ description: 'sha256, hex' });
const kind = z.enum(LETTER_KINDS);

/** Money on the wire: yuan as a decimal string with two decimals, never a float. */
export const yuanSchema = z.string().regex(/^(0|[1-9][0-9]*)\.[0-9]{2}$/).meta({ description: 'Amount in yuan, a decimal string with two decimals, e.g. "12426.00"', examples: ['12426.00'] });
const fen = z.number().int().min(0).meta({ description: 'The same amount in integer fen (1 yuan = 100 fen)' });

export const warningSchema = z.object({ code: z.string(), message: z.string().meta({ description: '中文 / English' }) });

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

export const templateSummarySchema = manifestSchema.pick({ kind: true, version: true, title: true, description: true, effectiveFrom: true, status: true, sender: true }).extend({
  id: z.string().meta({ description: 'kind@version' }),
});

export const templateDetailsSchema = z.object({
  manifest: manifestSchema,
  schema: z.record(z.string(), z.unknown()).meta({ description: 'the letter input as JSON Schema (draft 2020-12)' }),
  example: z.unknown().meta({ $ref: '#/components/schemas/LetterInput', description: 'a complete input that renders with this version' }),
});

export const signatureSchema = z.object({
  subject: z.string().meta({ description: "the signer certificate's subject, most specific first", examples: ['CN=北京某某律师事务所, O=北京某某律师事务所, C=CN'] }),
  issuer: z.string(),
  notBefore: z.string().meta({ format: 'date-time' }),
  notAfter: z.string().meta({ format: 'date-time' }),
  signedAt: z.string().meta({ format: 'date-time', description: 'the issue moment, the signing time in the signature' }),
}).nullable().meta({ description: 'the PAdES signature of a signed letter (HANJIAN_SIGNING); null when it was issued unsigned' });

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
  requester: z.string().meta({ description: 'the API key id that issued it' }),
  createdAt: z.string().meta({ format: 'date-time' }),
  replayed: z.boolean().meta({ description: 'true when this answers a retry with the same Idempotency-Key' }),
  pdf: z.string().meta({ description: 'path of the stored PDF: GET it with the read scope' }),
  signature: signatureSchema,
});

export const verificationSchema = z.discriminatedUnion('valid', [
  z.object({ valid: z.literal(true), kind, sender: z.string(), issueDate: date, debtor: z.string(), total: yuanSchema, pdfSha256: sha256, signature: signatureSchema }),
  z.object({ valid: z.literal(false) }),
]);

export const healthSchema = z.object({ ok: z.literal(true) });
export const readinessSchema = z.object({ ok: z.literal(true), templates: z.number().int(), workers: z.number().int() });

const problemCodes = Object.keys(PROBLEM_CODES) as [ProblemCode, ...ProblemCode[]];
// RFC 9457 allows extension members: a problem may carry more than these.
export const problemSchema = z.looseObject({
  type: z.string().meta({ description: 'https://hanjian.dev/problems/<code in kebab case>' }),
  title: z.string(),
  status: z.number().int(),
  code: z.enum(problemCodes).meta({ description: `Stable codes (more may be added):\n${problemCodes.map((c) => `- ${c} (${PROBLEM_CODES[c].status}): ${PROBLEM_CODES[c].about}`).join('\n')}` }),
  detail: z.string().meta({ description: '中文 / English' }),
  requestId: z.string().optional(),
  issues: z.array(z.object({
    path: z.string().meta({ description: 'dotted path into the input, e.g. debtor.idNumber; empty for the whole input' }),
    code: z.string().meta({ description: 'stable, e.g. REQUIRED, MONEY_FORMAT, ID_CHECKSUM, UNKNOWN_FIELD' }),
    message: z.string().meta({ description: 'path: 中文 / English' }),
  })).optional(),
});

/** The response components by name. */
export const RESPONSE_SCHEMAS = {
  ValidationSummary: validationSummarySchema,
  Recommendation: recommendationSchema,
  TemplateSummary: templateSummarySchema,
  TemplateDetails: templateDetailsSchema,
  IssuedLetter: issuedLetterSchema,
  Verification: verificationSchema,
  Health: healthSchema,
  Readiness: readinessSchema,
  Problem: problemSchema,
  Yuan: yuanSchema,
  Warning: warningSchema,
} as const;

/**
 * The routes send what the library returns; the compiler checks that those results fit the
 * schemas above, so the document cannot promise a shape the code does not produce. (The
 * registry's views and the problem bodies are checked at run time by the API tests.)
 */
type Fits<Schema extends z.ZodType, Value extends z.output<Schema>> = Value;
export type CheckedAgainstLibrary = [
  Fits<typeof validationSummarySchema, LetterSummary>,
  Fits<typeof recommendationSchema, Recommendation>,
  Fits<typeof templateSummarySchema, ReturnType<typeof listTemplates>[number]>,
];
