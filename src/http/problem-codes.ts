/**
 * Every `code` a problem+json answer can carry, with its HTTP status: the list published in
 * the OpenAPI document. Codes are stable; new ones may be added. A test checks that every
 * code the service can raise is listed here.
 */
export const PROBLEM_CODES = {
  JSON_MALFORMED: { status: 400, about: 'the body is not valid JSON' },
  BAD_REQUEST: { status: 400, about: 'the request is malformed' },
  UNAUTHENTICATED: { status: 401, about: 'no API key, or an unknown one' },
  FORBIDDEN: { status: 403, about: 'the key lacks the scope the operation needs' },
  NOT_FOUND: { status: 404, about: 'no such route' },
  TEMPLATE_NOT_FOUND: { status: 404, about: 'no such template version, or none in effect on the issue date' },
  LETTER_NOT_FOUND: { status: 404, about: 'no issued letter with this id' },
  METHOD_NOT_ALLOWED: { status: 405, about: 'the route exists but not for this method (see the Allow header)' },
  IDEMPOTENCY_CONFLICT: { status: 409, about: 'the Idempotency-Key was used for other data or by another key' },
  BODY_TOO_LARGE: { status: 413, about: 'the body exceeds the limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, about: 'the body is not application/json' },
  INVALID_INPUT: { status: 422, about: 'the letter data has problems: every one is listed in issues, with its path' },
  COMPLIANCE: { status: 422, about: 'the compliance guard refused the letter: the findings are in issues' },
  GLYPH_MISSING: { status: 422, about: 'a character has no glyph in the embedded fonts; the field is named' },
  LETTER_NO_REQUIRED: { status: 422, about: 'a final lawyer\'s letter needs a number (over HTTP the registry or the preview supplies it)' },
  LETTER_NO_NOT_ALLOWED: { status: 422, about: 'letterNo was sent to POST /v1/letters: the registry assigns the number' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 422, about: 'POST /v1/letters needs an Idempotency-Key header' },
  IDEMPOTENCY_KEY_INVALID: { status: 422, about: 'the Idempotency-Key must be 1–200 characters' },
  VERIFY_QUERY: { status: 422, about: 'verification needs both the number and code query parameters' },
  RATE_LIMITED: { status: 429, about: 'too many requests for this key or address (see Retry-After)' },
  INTERNAL: { status: 500, about: 'an internal error; the detail never shows internals' },
  STORED_PDF_MISSING: { status: 500, about: 'the stored PDF of an issued letter is missing' },
  STORED_PDF_CORRUPT: { status: 500, about: 'the stored PDF does not match its recorded sha256; it is never served' },
  TEMPLATE_SYNTAX: { status: 500, about: 'a template failed to compile (an operator error)' },
  TEMPLATE_RUNTIME: { status: 500, about: 'a template failed while rendering (an operator error)' },
  TEMPLATE_FIELD_MISSING: { status: 500, about: 'a template references a field that does not exist (an operator error)' },
  TEMPLATE_MANIFEST: { status: 500, about: 'a template manifest is invalid (an operator error)' },
  MARKUP_SYNTAX: { status: 500, about: 'a template produced invalid letter markup (an operator error)' },
  POLICY_INVALID: { status: 500, about: 'the escalation policy file is invalid (an operator error)' },
  NOT_READY: { status: 503, about: 'fonts and templates are still loading' },
  QUEUE_FULL: { status: 503, about: 'the render queue is full; retry after Retry-After seconds' },
  RENDER_TIMEOUT: { status: 504, about: 'the render took longer than its limit' },
} as const satisfies Record<string, { status: number; about: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export function codesWithStatus(status: number): ProblemCode[] {
  return (Object.keys(PROBLEM_CODES) as ProblemCode[]).filter((c) => PROBLEM_CODES[c].status === status);
}
