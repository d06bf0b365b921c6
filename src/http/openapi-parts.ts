/**
 * The building blocks of the OpenAPI document's operations: responses, security per scope,
 * problem answers with the codes each can carry, and request examples from the templates.
 */

import type { Scope } from '../orgs/model.js';
import { listTemplates, templateDetails } from '../pipeline/index.js';
import { ref } from './openapi-components.js';
import { codesWithStatus, PROBLEM_CODES, type ProblemCode } from './problem-codes.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed request',
  401: 'Missing or unknown API key',
  403: 'The key lacks the scope, or the caller the right',
  404: 'Not found',
  409: 'Conflict with the recorded state',
  413: 'Body over the limit',
  415: 'The body is not application/json',
  422: 'Invalid data, or refused',
  429: 'Rate limited',
  431: 'Request headers too large',
  500: 'Internal error (no internals shown)',
  502: 'An upstream service (the time-stamping authority) answered wrongly',
  503: 'Busy or not ready',
  504: 'Render over its time limit',
};
const retryAfter = { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' } } };

/** What every scope allows: published with the security schemes. */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  preview: 'validate and preview letters',
  read: 'read templates, recommendations, letters and letter requests of the organisation',
  'issue:reminder': 'issue reminders (POST /v1/letters)',
  'issue:demand': 'issue demands (POST /v1/letters)',
  'issue:lawyer-letter':
    "kept for existing keys: a lawyer's letter is issued only through a request and a lawyer's approval",
  request: 'request letters for review (POST /v1/letter-requests)',
  review:
    'approve or reject letter requests (a key bound to a lawyer assigned to the engagement, or to an admin of a creditor that reviews its own)',
  override: 'request a letter the escalation policy does not allow yet, with a reason that is audited',
  void: 'void letters the organisation issued',
  deliver: 'record delivery and payment events and upload proof files for letters the organisation issued',
  admin:
    'manage the organisation (the partner workspace, the CLI, and its repayment plan settings: PUT/DELETE /v1/plan-settings)',
};
export const SCOPE_HELP = Object.entries(SCOPE_DESCRIPTIONS)
  .map(([s, d]) => `- \`${s}\`: ${d}`)
  .join('\n');

/** Codes every request with a JSON body can meet before its route runs (body.ts and the error handler). */
export const BODY_PROBLEMS: ProblemCode[] = [
  'JSON_MALFORMED',
  'INVALID_UTF8',
  'BAD_REQUEST',
  'BODY_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INPUT_TOO_DEEP',
  'INPUT_TOO_LARGE',
  'FORBIDDEN_KEY',
];
/** Codes every authenticated request can meet (auth.ts and the rate limit). */
export const KEY_PROBLEMS: ProblemCode[] = [
  'UNAUTHENTICATED',
  'AUTH_THROTTLED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'TOO_MANY_REFUSALS',
];

/**
 * The problem answers of an operation. A status stands for every code with that status; a
 * code for itself, so an operation can name exactly the codes it raises. Every request can
 * meet 431 (headers too large) and 500.
 */
export function errors(...answers: (number | ProblemCode)[]) {
  const byStatus = new Map<number, Set<ProblemCode>>();
  const add = (status: number, codes: ProblemCode[]) => {
    const set = byStatus.get(status) ?? new Set<ProblemCode>();
    for (const c of codes) set.add(c);
    byStatus.set(status, set);
  };
  for (const a of [...answers, 431, 500]) {
    if (typeof a === 'number') add(a, codesWithStatus(a));
    else add(PROBLEM_CODES[a].status, [a]);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, set]) => {
        const codes = [...set];
        const description = `${STATUS_TEXT[status] ?? 'Error'}${codes.length ? `. Codes: ${codes.join(', ')}` : ''}`;
        const headers = status === 429 || status === 503 ? { headers: retryAfter } : {};
        return [
          String(status),
          { description, ...headers, content: { 'application/problem+json': { schema: ref('Problem') } } },
        ];
      }),
  );
}

export const json = (description: string, schema: object, extra: object = {}) => ({
  description,
  ...extra,
  content: { 'application/json': { schema } },
});
export const pdf = (description: string, headers: object = {}) => ({
  description,
  headers,
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
});
export const security = (scope: Scope | null) =>
  scope === null ? [] : [{ bearerKey: [scope] }, { headerKey: [scope] }];
export const pathParam = (name: string, schema: object, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

/** The templates' examples, active versions only, of the given kinds (default: all), named kind@version. */
export function templateExamples(kinds?: readonly string[]) {
  return listTemplates()
    .filter((t) => t.status === 'active' && (!kinds || kinds.includes(t.kind)))
    .map((t) => ({
      id: t.id,
      title: t.title,
      example: templateDetails(t.kind, t.version)!.example as Record<string, unknown>,
    }));
}

/**
 * One request example per template version. With `kinds` they are for issuing, so without
 * the letter number (the registry assigns it).
 */
export function letterExamples(kinds?: readonly string[]) {
  return Object.fromEntries(
    templateExamples(kinds).map(({ id, title, example }) => {
      // What a caller sends to issue: no number, previous letter or plan options (the registry supplies them).
      const { letterNo: _, previous: _p, plans: _o, ...withoutNumber } = example;
      return [id, { summary: `${title} (${id})`, value: kinds ? withoutNumber : example }];
    }),
  );
}
