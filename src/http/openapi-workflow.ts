/**
 * The OpenAPI paths of the lawyer in the loop: letter requests, their review, and voiding an
 * issued letter. Each operation names the problem codes its route (http/workflow-routes.ts,
 * workflow/requests.ts, registry/registry.ts) can answer with.
 */
import { ref } from './openapi-components.js';
import { BODY_PROBLEMS, errors, json, KEY_PROBLEMS, pathParam, security, templateExamples } from './openapi-parts.js';

const location = (what: string) => ({ headers: { Location: { description: what, schema: { type: 'string' } } } });
const requestId = pathParam('id', { type: 'string', maxLength: 64 }, 'the letter request id');
const EXAMPLE_ENGAGEMENT = '3f1c2a9e-5b7d-4c1e-9a0f-2d6b8e4c7a51';

/** The lawyer's letter examples as a creditor requests them: the engagement and the review supply firm, lawyers, number and date. */
function requestExamples() {
  return Object.fromEntries(
    templateExamples(['lawyer-letter']).map(({ id, title, example }) => {
      const {
        lawFirm: _f,
        lawyers: _l,
        letterNo: _n,
        engagement: _e,
        issueDate: _d,
        asOf: _a,
        previous: _p,
        plans: _o,
        ...letter
      } = example;
      return [
        id,
        {
          summary: `${title} (${id}), requested under an engagement`,
          value: { engagement: EXAMPLE_ENGAGEMENT, letter },
        },
      ];
    }),
  );
}

// What issuing a letter can meet, after a request was approved (registry.issue under the admission bound).
const ISSUING_PROBLEMS = [
  'INVALID_INPUT',
  'COMPLIANCE',
  'GLYPH_MISSING',
  'ENVELOPE_WINDOW_OVERFLOW',
  'TEMPLATE_NOT_FOUND',
  'SENDER_MISMATCH',
  'ALREADY_ISSUED',
  'SEAL_REQUIRED',
  'ENGAGEMENT_NOT_IN_FORCE',
  'QUEUE_FULL',
  'REGISTRY_BUSY',
  'STORAGE_UNAVAILABLE',
  'RENDER_TIMEOUT',
  'TSA_UNAVAILABLE',
  'TSA_REPLY_INVALID',
] as const;

export const WORKFLOW_PATHS = {
  '/v1/letter-requests': {
    post: {
      operationId: 'requestLetter',
      tags: ['review'],
      security: security('request'),
      summary: "Request a lawyer's letter (or a reviewed letter of the creditor's own): 202, pending review",
      description: [
        "A lawyer's letter is requested under an engagement of the caller's organisation; the firm, its lawyers, the number and the engagement's date come from the records, so sending them is refused (NOT_ALLOWED). The letter is validated, composed, guarded and checked against the escalation policy — with the registry's history of the contract — now, so the lawyer reviews a letter that can be issued as it stands.",
        'A creditor that reviews its own letters (organisation setting) requests its reminders and demands here too, without an engagement.',
        'The letter is dated the day it is approved; an issueDate, if sent, must be today. The same Idempotency-Key returns the request it made before.',
      ].join('\n\n'),
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'makes retries safe: the same key returns the request made with it; 1–200 characters',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
      ],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: ref('LetterRequestBody'), examples: requestExamples() } },
      },
      responses: {
        202: json(
          'Accepted: pending review (or the request made earlier with this Idempotency-Key)',
          ref('LetterRequest'),
          location('the request: /v1/letter-requests/{id}'),
        ),
        ...errors(
          ...BODY_PROBLEMS,
          ...KEY_PROBLEMS,
          'SENDER_MISMATCH',
          'ENGAGEMENT_NOT_FOUND',
          'TEMPLATE_NOT_FOUND',
          'ALREADY_ISSUED',
          'REQUEST_PENDING',
          'INVALID_INPUT',
          'COMPLIANCE',
          'IDEMPOTENCY_KEY_INVALID',
          'ENGAGEMENT_NOT_IN_FORCE',
          'KIND_NOT_REQUESTABLE',
          'NOT_ALLOWED',
          'ISSUE_DATE_NOT_TODAY',
          'POLICY_NOT_YET',
          'PRODUCT_NOT_COVERED',
          'REVIEW_NOT_ENABLED',
          'REGISTRY_BUSY',
        ),
      },
    },
    get: {
      operationId: 'listLetterRequests',
      tags: ['review'],
      security: security('read'),
      summary: "The organisation's letter requests; a law firm sees those under its engagements",
      parameters: [
        {
          name: 'status',
          in: 'query',
          description: 'only requests in this state',
          schema: { type: 'string', enum: ['pending_review', 'issued', 'rejected'] },
        },
      ],
      responses: { 200: json('The requests', ref('LetterRequestList')), ...errors(...KEY_PROBLEMS, 'INVALID_INPUT') },
    },
  },
  '/v1/letter-requests/{id}': {
    get: {
      operationId: 'getLetterRequest',
      tags: ['review'],
      security: security('read'),
      summary: 'One letter request: its state, the decision and, once approved, the letter',
      parameters: [requestId],
      responses: { 200: json('The request', ref('LetterRequest')), ...errors(...KEY_PROBLEMS, 'REQUEST_NOT_FOUND') },
    },
  },
  '/v1/letter-requests/{id}/approve': {
    post: {
      operationId: 'approveLetterRequest',
      tags: ['review'],
      security: security('review'),
      summary: 'Approve a request: the letter is numbered, sealed and issued now',
      description:
        "Only a key bound to a lawyer assigned to the engagement (or, for a creditor's own letter, to an admin of the creditor other than the key that asked) may approve (NOT_ASSIGNED); a key bound to a disabled user is refused (401), and a user disabled meanwhile approves nothing (USER_DISABLED). The lawyer's letter is issued in the firm's register, dated today, with the approving lawyer as 承办律师; the amounts stay itemised as of the day it was requested. No body.",
      parameters: [requestId],
      responses: {
        201: json('Issued', ref('IssuedLetter'), location('the letter: /v1/letters/{id}')),
        ...errors(
          ...KEY_PROBLEMS,
          'NOT_ASSIGNED',
          'USER_DISABLED',
          'REQUEST_NOT_FOUND',
          'REQUEST_NOT_PENDING',
          ...ISSUING_PROBLEMS,
        ),
      },
    },
  },
  '/v1/letter-requests/{id}/reject': {
    post: {
      operationId: 'rejectLetterRequest',
      tags: ['review'],
      security: security('review'),
      summary: 'Send a request back, with the reason',
      description: 'The same reviewers as for approving. Nothing is numbered or issued.',
      parameters: [requestId],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: ref('RejectBody'),
            examples: { reason: { summary: 'a reason', value: { reason: '欠款金额与对账单不符，请核对后重新提交' } } },
          },
        },
      },
      responses: {
        200: json('Rejected', ref('LetterRequest')),
        ...errors(
          ...BODY_PROBLEMS,
          ...KEY_PROBLEMS,
          'NOT_ASSIGNED',
          'USER_DISABLED',
          'REQUEST_NOT_FOUND',
          'REQUEST_NOT_PENDING',
          'INVALID_INPUT',
        ),
      },
    },
  },
  '/v1/letters/{id}/void': {
    post: {
      operationId: 'voidLetter',
      tags: ['registry'],
      security: security('void'),
      summary: 'Void an issued letter',
      description:
        'Only the issuing organisation (for a lawyer\'s letter: the firm) may void a letter. Its number stays used; verification then answers `{ "valid": false, "status": "void", "voidedOn": … }`.',
      parameters: [pathParam('id', { type: 'string' }, 'the letter id')],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: ref('VoidBody'),
            examples: { reason: { summary: 'a reason', value: { reason: '债务人已于发函前结清欠款' } } },
          },
        },
      },
      responses: {
        200: json('The voided letter', ref('IssuedLetter')),
        ...errors(
          ...BODY_PROBLEMS,
          ...KEY_PROBLEMS,
          'LETTER_NOT_FOUND',
          'ALREADY_VOID',
          'INVALID_INPUT',
          'REGISTRY_BUSY',
        ),
      },
    },
  },
};
