/**
 * The OpenAPI paths of what follows a letter: delivery and payment events, proof files, the
 * evidence ZIP, and the debtor's answers (disputes, hardship requests) from the verification page.
 */
import { ref } from './openapi-components.js';
import { BODY_PROBLEMS, errors, json, KEY_PROBLEMS, pathParam, security } from './openapi-parts.js';

const letterId = pathParam('id', { type: 'string', maxLength: 64 }, 'the letter id');

export const AFTER_PATHS = {
  '/v1/letters/{id}/events': {
    post: {
      operationId: 'recordLetterEvent',
      tags: ['after the letter'],
      security: security('deliver'),
      summary: 'Record a delivery or payment event (issuing organisation only)',
      description:
        'dispatched → delivered | returned | refused; a returned or refused letter may be dispatched again; paid in any live state; nothing after void (TRANSITION_NOT_ALLOWED with the current state). The time `at` is at most 5 minutes ahead of the clock (EVENT_IN_FUTURE), not before the issue date nor, for a delivery event, before the previous one (EVENT_OUT_OF_ORDER); a payment above the outstanding amount needs "overpayment": true (AMOUNT_ABOVE_OUTSTANDING). Proof files are uploaded first and named by sha256.',
      parameters: [letterId],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: ref('LetterEventBody'),
            examples: {
              dispatched: {
                summary: 'sent by EMS',
                value: {
                  type: 'dispatched',
                  at: '2026-12-01T09:00:00+08:00',
                  channel: 'ems',
                  trackingNo: 'EA123456789CN',
                },
              },
            },
          },
        },
      },
      responses: {
        201: json('Recorded', ref('LetterEvent')),
        ...errors(
          ...BODY_PROBLEMS,
          ...KEY_PROBLEMS,
          'LETTER_NOT_FOUND',
          'TRANSITION_NOT_ALLOWED',
          'EVENT_OUT_OF_ORDER',
          'AMOUNT_ABOVE_OUTSTANDING',
          'EVENT_IN_FUTURE',
          'INVALID_INPUT',
          'REGISTRY_BUSY',
        ),
      },
    },
    get: {
      operationId: 'listLetterEvents',
      tags: ['after the letter'],
      security: security('read'),
      summary: "The letter's delivery state and events",
      parameters: [letterId],
      responses: { 200: json('State and events', ref('LetterEvents')), ...errors(...KEY_PROBLEMS, 'LETTER_NOT_FOUND') },
    },
  },
  '/v1/letters/{id}/proofs': {
    post: {
      operationId: 'uploadProof',
      tags: ['after the letter'],
      security: security('deliver'),
      summary: "Upload a proof file (a receipt scan, the carrier's PDF), ≤ 5 MB",
      parameters: [letterId],
      requestBody: {
        required: true,
        content: Object.fromEntries(
          ['application/pdf', 'image/png', 'image/jpeg'].map((t) => [
            t,
            { schema: { type: 'string', format: 'binary' } },
          ]),
        ),
      },
      responses: {
        201: json('Stored, named by its sha256', ref('Proof')),
        ...errors(
          ...KEY_PROBLEMS,
          'LETTER_NOT_FOUND',
          'PROOF_TYPE',
          'UNSUPPORTED_MEDIA_TYPE',
          'BODY_TOO_LARGE',
          'STORAGE_UNAVAILABLE',
        ),
      },
    },
  },
  '/v1/letters/{id}/evidence': {
    get: {
      operationId: 'getEvidence',
      tags: ['after the letter'],
      security: security('read'),
      summary: 'The evidence package (ZIP): 证据目录, every exhibit as a PDF, the JSON appendix and SHA256SUMS',
      description:
        "A folder named by the letter number holding `<number>-证据目录.pdf` (a table of 序号, 证据名称, 证据来源, 证明目的, 页码, 原件/复印件, 份数, with submitter, date and seal line) and the exhibits `<number>-证据<n>-<name>.pdf`: the letter as issued, the 授权委托书 when stored, the delivery record with its proof scans, carrier PDFs, the debtor's disputes and plan acceptance, the registry and signature report. `附录/` holds the JSON (machine appendix) and the proof originals; SHA256SUMS covers every file. Full names and addresses (a court copy). Byte-identical while nothing about the letter changes.",
      parameters: [letterId],
      responses: {
        200: { description: 'ZIP', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } },
        ...errors(
          ...KEY_PROBLEMS,
          'LETTER_NOT_FOUND',
          'STORED_PDF_MISSING',
          'STORED_PDF_CORRUPT',
          'STORAGE_UNAVAILABLE',
        ),
      },
    },
  },
  '/v1/evidence': {
    post: {
      operationId: 'getLettersEvidence',
      tags: ['after the letter'],
      security: security('read'),
      summary: 'The evidence package of several letters (a batch): one folder per letter, one SHA256SUMS',
      description:
        "Each folder is what GET /v1/letters/{id}/evidence holds for that letter. At most 50 letters and 200 MB per package (413 EVIDENCE_TOO_LARGE: ask for fewer); every letter must be the caller's (404 LETTER_NOT_FOUND).",
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              additionalProperties: false,
              required: ['letters'],
              properties: {
                letters: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', maxLength: 100 } },
              },
            },
          },
        },
      },
      responses: {
        200: { description: 'ZIP', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } },
        ...errors(
          ...BODY_PROBLEMS,
          ...KEY_PROBLEMS,
          'INVALID_INPUT',
          'EVIDENCE_TOO_LARGE',
          'LETTER_NOT_FOUND',
          'STORED_PDF_MISSING',
          'STORED_PDF_CORRUPT',
          'STORAGE_UNAVAILABLE',
        ),
      },
    },
  },
  '/v1/verify/responses': {
    post: {
      operationId: 'respondToLetter',
      tags: ['verification'],
      security: [],
      summary: "The debtor's dispute or hardship request, from the verification page's form (public, rate-limited)",
      description:
        'A form post (application/x-www-form-urlencoded, ≤ 8 KB: 500 characters of text fit) with the CSRF token of the verification page (also in its cookie). A browser (Accept: text/html) gets its answers and errors as Chinese pages. The answer carries a receipt number (受理编号, 385-271-496: nine digits, the last a check digit, unique per creditor) the debtor can read out on the phone. While a response is open, no further letter is issued or requested for the contract (DISPUTE_OPEN), and a further submit on the contract files nothing: it is answered 200 with the open one.',
      requestBody: {
        required: true,
        content: { 'application/x-www-form-urlencoded': { schema: ref('DebtorResponseForm') } },
      },
      responses: {
        201: {
          description: 'Received: a page for a browser, or `{id, status, type, existing: false}`',
          content: {
            'text/html': { schema: { type: 'string' } },
            'application/json': { schema: ref('DebtorResponseReceipt') },
          },
        },
        200: {
          description:
            'One is already open on the contract (either type, from any of its letters): nothing new is filed, the answer is the open one (`existing: true`, its id, type and time)',
          content: {
            'text/html': { schema: { type: 'string' } },
            'application/json': { schema: ref('DebtorResponseReceipt') },
          },
        },
        ...errors(
          'CSRF',
          'LETTER_NOT_FOUND',
          'LETTER_VOID',
          'INVALID_INPUT',
          'VERIFY_QUERY',
          'BODY_TOO_LARGE',
          'RATE_LIMITED',
        ),
      },
    },
  },
  '/v1/disputes': {
    get: {
      operationId: 'listDebtorResponses',
      tags: ['after the letter'],
      security: security('read'),
      summary: "The debtors' disputes and hardship requests on the organisation's letters",
      parameters: [
        { name: 'status', in: 'query', schema: { type: 'string', enum: ['open', 'resolved'] } },
        {
          name: 'receipt',
          in: 'query',
          description:
            'only the one with this receipt number, as the debtor read it out (spaces, hyphens and full-width digits allowed; 422 when its check digit does not hold)',
          schema: { type: 'string', maxLength: 40 },
        },
      ],
      responses: {
        200: json('The responses', ref('DebtorResponseList')),
        ...errors(...KEY_PROBLEMS, 'INVALID_INPUT'),
      },
    },
  },
  '/v1/disputes/{id}/resolve': {
    post: {
      operationId: 'resolveDebtorResponse',
      tags: ['after the letter'],
      security: security('request'),
      summary: 'Resolve a dispute or hardship request with a note; letters on the contract may go on',
      parameters: [pathParam('id', { type: 'string', maxLength: 64 }, 'the response id')],
      requestBody: { required: true, content: { 'application/json': { schema: ref('ResolveBody') } } },
      responses: {
        200: json('Resolved', ref('DebtorResponse')),
        ...errors(...BODY_PROBLEMS, ...KEY_PROBLEMS, 'NOT_FOUND', 'ALREADY_RESOLVED', 'INVALID_INPUT'),
      },
    },
  },
};
