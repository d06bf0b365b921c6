/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so
 * the document cannot drift from the code.
 */
import { inputJsonSchema as letterJsonSchema } from '../letters.js';
import { VERSION } from '../version.js';

export { letterJsonSchema };

const problem = { $ref: '#/components/schemas/Problem' };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: STATUS_TEXT[c] ?? 'error', content: { 'application/problem+json': { schema: problem } } }]));
const STATUS_TEXT: Record<number, string> = {
  400: 'malformed JSON', 401: 'missing or invalid API key', 403: 'the key lacks the scope', 404: 'not found', 409: 'idempotency conflict',
  413: 'body over the limit', 415: 'content type is not application/json', 422: 'invalid letter data or refused by the compliance guard',
  429: 'rate limited', 503: 'render queue full (Retry-After)', 504: 'render over its time limit',
};
const jsonBody = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const json = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const pdf = (description: string) => ({ description, content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } });

let cachedDocument: Record<string, unknown> | undefined;
/** Built once: it depends only on the schemas and the version. */
export function openApiDocument(): Record<string, unknown> {
  return (cachedDocument ??= buildDocument());
}

function buildDocument(): Record<string, unknown> {
  const letter = { $ref: '#/components/schemas/LetterInput' };
  return {
    openapi: '3.1.0',
    info: { title: 'hanjian (函件)', version: VERSION, description: 'Chinese collection letters — 还款提醒函, 逾期催告函, 律师函 — as verifiable PDF.' },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key (also accepted as X-API-Key)' } },
      schemas: {
        LetterInput: letterJsonSchema(),
        Problem: {
          type: 'object', required: ['type', 'title', 'status', 'code', 'detail'],
          properties: {
            type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, detail: { type: 'string' }, requestId: { type: 'string' },
            issues: { type: 'array', items: { type: 'object', required: ['path', 'code', 'message'], properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
    security: [{ apiKey: [] }],
    paths: {
      '/v1/previews': { post: { summary: 'Draft PDF (every page marked 预览 · 草稿)', requestBody: jsonBody(letter), responses: { 200: pdf('the draft PDF'), ...errors(400, 401, 403, 413, 415, 422, 429, 503, 504) } } },
      '/v1/validate': { post: { summary: 'Validate a letter; the one-line summary or the issues', requestBody: jsonBody(letter), responses: { 200: json('valid: kind, template, debtor, total, deadline'), ...errors(400, 401, 403, 413, 415, 422, 429) } } },
      '/v1/recommendations': { post: { summary: 'Which letter an account should get today, and why (escalation policy)', requestBody: jsonBody({ type: 'object' }), responses: { 200: json('the recommendation'), ...errors(400, 401, 403, 413, 415, 422, 429) } } },
      '/v1/templates': { get: { summary: 'Template versions', responses: { 200: json('the list', { type: 'array' }), ...errors(401, 403, 429) } } },
      '/v1/templates/{kind}/{version}': {
        get: {
          summary: 'One template version: manifest, input JSON Schema, example',
          parameters: [{ name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['reminder', 'demand', 'lawyer-letter'] } }, { name: 'version', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { 200: json('manifest, schema and example'), ...errors(401, 403, 404, 429) },
        },
      },
      '/v1/letters': {
        post: {
          summary: 'Issue a letter: number, record and PDF, in one transaction',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 200 } }],
          requestBody: jsonBody(letter),
          responses: { 201: json('the issued letter'), 200: json('the same letter again (idempotent retry)'), ...errors(400, 401, 403, 409, 413, 415, 422, 429, 503, 504) },
        },
      },
      '/v1/letters/{id}': { get: { summary: 'Metadata of an issued letter', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: json('the record'), ...errors(401, 403, 404, 429) } } },
      '/v1/letters/{id}/pdf': { get: { summary: 'The stored PDF bytes (sha256 checked on read)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: pdf('the issued PDF'), ...errors(401, 403, 404, 429) } } },
      '/v1/verify': {
        get: {
          summary: 'Public: is this letter genuine?', security: [],
          parameters: [{ name: 'number', in: 'query', required: true, schema: { type: 'string' } }, { name: 'code', in: 'query', required: true, schema: { type: 'string' } }],
          responses: { 200: json('whether the letter exists, and its public facts'), ...errors(400, 429) },
        },
      },
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: json('ok') } } },
      '/readyz': { get: { summary: 'Readiness: fonts and templates loaded', security: [], responses: { 200: json('ready'), 503: json('not ready') } } },
      '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { 200: { description: 'text/plain; version=0.0.4' } } } },
      '/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: json('OpenAPI 3.1') } } },
    },
  };
}
