/**
 * The OpenAPI 3.1 document. Every request and response schema is generated from the zod
 * schemas the code validates and answers with (openapi-components.ts), the examples are the
 * templates' own examples, and the problem codes come from their one table — so the document
 * cannot drift from the service. `redocly lint` runs on it in the tests.
 */
import { inputJsonSchema as letterJsonSchema } from '../pipeline/index.js';
import { VERSION } from '../shared/version.js';
import { AFTER_PATHS } from './openapi-after.js';
import { BATCH_PATHS } from './openapi-batches.js';
import { componentSchemas, ref } from './openapi-components.js';
import { errors, json, letterExamples, pathParam, pdf, SCOPE_HELP, security } from './openapi-parts.js';
import { PLAN_PATHS } from './openapi-plans.js';
import { TEMPLATE_PATHS } from './openapi-templates.js';
import { WORKFLOW_PATHS } from './openapi-workflow.js';

export { letterJsonSchema };

const letterBody = (schema: string, kinds?: readonly string[]) => ({
  required: true,
  content: { 'application/json': { schema: ref(schema), examples: letterExamples(kinds) } },
});

const TAGS = [
  { name: 'letters', description: 'Validate, preview and advise on letters (nothing is stored).' },
  {
    name: 'registry',
    description: 'Issue letters with a number, a stored PDF and a verification code; list, read and void them.',
  },
  {
    name: 'review',
    description:
      "Letter requests: a creditor requests a lawyer's letter under an engagement (or its own letter, when it reviews its own); a lawyer assigned to the engagement (or a reviewer of the creditor) approves it, and only then is it issued.",
  },
  {
    name: 'batches',
    description:
      'Many letters from one JSON-lines body: progress, failed rows, a ZIP of the PDFs, a signed completion callback.',
  },
  { name: 'templates', description: 'The versioned templates and the input contract.' },
  { name: 'verification', description: 'Public: is a letter genuine?' },
  { name: 'operations', description: 'Health, readiness, metrics and this document.' },
];

const cache = new Map<string, Record<string, unknown>>();

/** Built once per server URL: it depends only on the schemas, the templates, the version and the URL. */
export function openApiDocument(options: { publicBaseUrl?: string } = {}): Record<string, unknown> {
  const url = options.publicBaseUrl?.replace(/\/+$/, '') ?? '';
  let doc = cache.get(url);
  if (!doc) cache.set(url, (doc = buildDocument(url)));
  return doc;
}

function buildDocument(publicBaseUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'hanjian (函件)',
      version: VERSION,
      license: { name: 'MIT', identifier: 'MIT' },
      description: [
        'Chinese collection letters — 还款提醒函, 逾期催告函, 律师函 — as verifiable, print-ready PDF.',
        '',
        'Money is yuan as a decimal string both ways ("12426.00"; a request may also send a JSON number with at most two decimals); where an amount is also given in fen the field says so (`totalFen`). Dates are YYYY-MM-DD in Asia/Shanghai.',
        'Errors are application/problem+json with a stable `code` (see the Problem schema) and, for invalid data, every issue with its path.',
        'A wrong method on a known path answers 405 with an Allow header.',
      ].join('\n'),
    },
    servers: [
      publicBaseUrl
        ? { url: publicBaseUrl, description: 'this service (HANJIAN_PUBLIC_BASE_URL)' }
        : { url: '/', description: 'the host this document was fetched from (set HANJIAN_PUBLIC_BASE_URL to name it)' },
    ],
    tags: TAGS,
    security: security('read'),
    components: {
      securitySchemes: {
        bearerKey: {
          type: 'http',
          scheme: 'bearer',
          description: `An API key as \`Authorization: Bearer <key>\`. A key belongs to an organisation (every read and write is scoped to it) and may be bound to a person; it carries scopes:\n${SCOPE_HELP}\n\nWith no keys configured the service listens on 127.0.0.1 only and allows every scope without a key.`,
        },
        headerKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description: 'The same API key in the X-API-Key header.',
        },
      },
      schemas: componentSchemas(),
    },
    paths: {
      '/v1/previews': {
        post: {
          operationId: 'previewLetter',
          tags: ['letters'],
          security: security('preview'),
          summary: 'Draft PDF, every page marked 预览 · 草稿',
          description: 'Renders the letter as a draft with a placeholder number; nothing is stored or numbered.',
          requestBody: letterBody('LetterInput'),
          responses: {
            200: pdf('The draft PDF', {
              'X-Letter-Sha256': { description: 'sha256 of the PDF bytes', schema: { type: 'string' } },
              'X-Template': { description: 'the template version used, kind@version', schema: { type: 'string' } },
              'X-Warnings': {
                description: 'warning codes, comma-separated (messages: POST /v1/validate)',
                schema: { type: 'string' },
              },
            }),
            ...errors(400, 401, 403, 404, 413, 415, 422, 429, 503, 504),
          },
        },
      },
      '/v1/validate': {
        post: {
          operationId: 'validateLetter',
          tags: ['letters'],
          security: security('preview'),
          summary: 'Validate a letter: the summary, or every issue',
          description: 'Runs validation, the template and the compliance guard without drawing the PDF.',
          requestBody: letterBody('LetterInput'),
          responses: {
            200: json('The letter is valid', ref('ValidationSummary')),
            ...errors(400, 401, 403, 404, 413, 415, 422, 429),
          },
        },
      },
      '/v1/recommendations': {
        post: {
          operationId: 'recommendLetter',
          tags: ['letters'],
          security: security('read'),
          summary: 'Which letter an account should get today, and why',
          description:
            'Applies the escalation policy to the account, the debt and the history. A whole letter input is accepted too.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('RecommendationInput'), examples: letterExamples() } },
          },
          responses: {
            200: json('The recommendation', ref('Recommendation')),
            ...errors(400, 401, 403, 413, 415, 422, 429),
          },
        },
      },
      '/v1/templates': {
        get: {
          operationId: 'listTemplates',
          tags: ['templates'],
          security: security('read'),
          summary: 'Every template version',
          responses: {
            200: json('The template versions', { type: 'array', items: ref('TemplateSummary') }),
            ...errors(401, 403, 429),
          },
        },
      },
      '/v1/templates/{kind}/{version}': {
        get: {
          operationId: 'getTemplate',
          tags: ['templates'],
          security: security('read'),
          summary: 'One template version: manifest, input JSON Schema, example',
          parameters: [
            pathParam('kind', { type: 'string', enum: ['reminder', 'demand', 'lawyer-letter'] }, 'the kind of letter'),
            pathParam('version', { type: 'integer', minimum: 1 }, 'the version number'),
          ],
          responses: { 200: json('The template version', ref('TemplateDetails')), ...errors(401, 403, 404, 429) },
        },
      },
      '/v1/letters': {
        post: {
          operationId: 'issueLetter',
          tags: ['registry'],
          security: [...security('issue:reminder'), ...security('issue:demand')],
          summary: 'Issue a reminder or demand: number, record and PDF, in one transaction',
          description:
            "Needs the scope issue:<kind> for the kind in the body. The registry assigns the number, so `letterNo` is refused. The same Idempotency-Key with the same data returns the same letter (200); with other data, 409. A lawyer's letter is never issued here (403 REVIEW_REQUIRED): request it with POST /v1/letter-requests; so is every letter of a creditor that reviews its own.",
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              description: 'makes retries safe; 1–200 characters',
              schema: { type: 'string', minLength: 1, maxLength: 200 },
            },
          ],
          requestBody: letterBody('LetterIssueInput', ['reminder', 'demand']),
          responses: {
            201: json('Issued', ref('IssuedLetter'), {
              headers: { Location: { description: 'the letter: /v1/letters/{id}', schema: { type: 'string' } } },
            }),
            200: json('The same letter again (a retry with the same Idempotency-Key)', ref('IssuedLetter')),
            ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 502, 503, 504),
          },
        },
        get: {
          operationId: 'listLetters',
          tags: ['registry'],
          security: security('read'),
          summary: "The organisation's letters, newest first, a page at a time",
          description:
            "Letters the caller's organisation issued, or that were issued for it (a law firm's letters for a creditor are the creditor's too).",
          parameters: [
            {
              name: 'contractNo',
              in: 'query',
              description: 'only letters about this account contract',
              schema: { type: 'string', maxLength: 100 },
            },
            {
              name: 'status',
              in: 'query',
              description: 'only issued or only voided letters',
              schema: { type: 'string', enum: ['issued', 'void'] },
            },
            {
              name: 'from',
              in: 'query',
              description: 'issued on or after this day',
              schema: { type: 'string', format: 'date' },
            },
            {
              name: 'to',
              in: 'query',
              description: 'issued on or before this day',
              schema: { type: 'string', format: 'date' },
            },
            {
              name: 'limit',
              in: 'query',
              description: 'letters per page',
              schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            },
            {
              name: 'cursor',
              in: 'query',
              description: 'the `next` of the previous page',
              schema: { type: 'string', maxLength: 100 },
            },
          ],
          responses: {
            200: json('A page of letters', ref('LetterList')),
            ...errors(401, 'FORBIDDEN', 'INVALID_INPUT', 429),
          },
        },
      },
      '/v1/letters/{id}': {
        get: {
          operationId: 'getLetter',
          tags: ['registry'],
          security: security('read'),
          summary: 'The record of an issued letter',
          parameters: [pathParam('id', { type: 'string' }, 'the letter id returned when it was issued')],
          responses: {
            200: json('The record', ref('IssuedLetter')),
            ...errors(401, 'FORBIDDEN', 'LETTER_NOT_FOUND', 429, 'DATA_KEY_WRONG'),
          },
        },
      },
      '/v1/letters/{id}/pdf': {
        get: {
          operationId: 'getLetterPdf',
          tags: ['registry'],
          security: security('read'),
          summary: 'The issued PDF, checked against its recorded sha256',
          parameters: [pathParam('id', { type: 'string' }, 'the letter id')],
          responses: {
            200: pdf('The issued PDF', {
              'X-Letter-Sha256': { description: 'sha256 of the PDF bytes', schema: { type: 'string' } },
            }),
            ...errors(401, 'FORBIDDEN', 'LETTER_NOT_FOUND', 429, 'STORAGE_UNAVAILABLE'),
          },
        },
      },
      ...WORKFLOW_PATHS,
      ...AFTER_PATHS,
      ...TEMPLATE_PATHS,
      ...BATCH_PATHS,
      ...PLAN_PATHS,
      '/v1/verify': {
        get: {
          operationId: 'verifyLetter',
          tags: ['verification'],
          security: security(null),
          summary: 'Public: is this letter genuine?',
          description:
            'JSON for programs; a page in Chinese for a browser (the QR code on the letter), chosen by Accept. Rate-limited per address.',
          parameters: [
            {
              name: 'number',
              in: 'query',
              required: true,
              description: 'the letter number as printed',
              schema: { type: 'string', maxLength: 80 },
            },
            {
              name: 'code',
              in: 'query',
              required: true,
              description: 'the verification code as printed (case and hyphen do not matter)',
              schema: { type: 'string', maxLength: 20 },
            },
          ],
          responses: {
            200: {
              description:
                'Whether a letter with this number and code was issued here and is still valid, and its public facts (for a voided letter: the day it was voided)',
              content: {
                'application/json': { schema: ref('Verification') },
                'text/html': { schema: { type: 'string' } },
              },
            },
            ...errors('VERIFY_QUERY', 429, 'REGISTRY_BUSY'),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'getHealth',
          tags: ['operations'],
          security: security(null),
          summary: 'Liveness',
          responses: { 200: json('Alive', ref('Health')), ...errors() },
        },
      },
      '/readyz': {
        get: {
          operationId: 'getReadiness',
          tags: ['operations'],
          security: security(null),
          summary: 'Readiness: fonts and templates loaded, workers warm',
          responses: { 200: json('Ready', ref('Readiness')), ...errors(503) },
        },
      },
      '/metrics': {
        get: {
          operationId: 'getMetrics',
          tags: ['operations'],
          security: security(null),
          summary: 'Prometheus metrics',
          responses: {
            200: {
              description: 'Prometheus text format 0.0.4',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            ...errors(),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['operations'],
          security: security(null),
          summary: 'This document',
          responses: { 200: json('OpenAPI 3.1', { type: 'object' }), ...errors() },
        },
      },
    },
  };
}
