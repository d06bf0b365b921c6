/**
 * Every `code` a problem+json answer can carry, with its HTTP status: the list published in
 * the OpenAPI document. Codes are stable; new ones may be added. A test checks that every
 * code the service can raise is listed here.
 */
export const PROBLEM_CODES = {
  JSON_MALFORMED: { status: 400, about: 'the body is not valid JSON' },
  CONTENT_ENCODING_INVALID: {
    status: 400,
    about: 'the body is not what its Content-Encoding says (e.g. gzip named, plain bytes sent)',
  },
  INVALID_UTF8: { status: 400, about: 'the body is not valid UTF-8 (it is refused, never silently repaired)' },
  REQUEST_TIMEOUT: { status: 408, about: 'the request was not received within the time limit' },
  HEADERS_TOO_LARGE: { status: 431, about: 'the request headers exceed 16 KB' },
  AUTH_THROTTLED: { status: 429, about: 'too many failed authentications from this address (see Retry-After)' },
  REVIEW_REQUIRED: {
    status: 403,
    about:
      "a lawyer's letter (or a letter of a creditor that reviews its own) is issued through POST /v1/letter-requests and a reviewer's approval",
  },
  NOT_ASSIGNED: {
    status: 403,
    about: 'only a lawyer assigned to the engagement (or a reviewer of the creditor) may review this request',
  },
  USER_DISABLED: {
    status: 403,
    about:
      'the user is disabled (left the organisation): no sign-in, review or issuing until an admin enables them again',
  },
  SENDER_MISMATCH: { status: 403, about: 'an organisation issues only under its own name (and credit code)' },
  REQUEST_NOT_FOUND: { status: 404, about: 'no letter request with this id that the caller may see' },
  ENGAGEMENT_NOT_FOUND: { status: 404, about: "no engagement with this id for the caller's organisation" },
  CONFLICT: { status: 409, about: 'the record already exists (a name or login that is taken)' },
  SENDER_REGISTERED: {
    status: 409,
    about:
      'the sender is a registered organisation: its letters are issued with its own API key (one number series per sender)',
  },
  ALREADY_ISSUED: { status: 409, about: 'a letter of this kind was already issued today for this contract' },
  TRANSITION_NOT_ALLOWED: {
    status: 409,
    about:
      "the event does not follow from the letter's current state (e.g. delivered before dispatched, or any event on a void letter)",
  },
  EVENT_OUT_OF_ORDER: {
    status: 409,
    about:
      "the event's time (at) is before the letter's issue date, or a delivery event is before the delivery event it follows; the current state is named",
  },
  AMOUNT_ABOVE_OUTSTANDING: {
    status: 409,
    about:
      'a payment above the outstanding amount (the total less recorded payments): send "overpayment": true if the debtor really overpaid',
  },
  DISPUTE_OPEN: {
    status: 409,
    about:
      "the debtor's dispute or hardship request for this contract is open: no further letter until the creditor resolves it",
  },
  ALREADY_RESOLVED: { status: 409, about: 'the dispute or hardship request was already resolved' },
  LETTER_VOID: { status: 409, about: 'the letter is void' },
  CSRF: { status: 403, about: 'the form has no valid CSRF token: open the page again' },
  FROM_REGISTRY: {
    status: 422,
    about:
      'previous or plans was sent: the registry fills in the previous letter, and plan options come from the plan settings',
  },
  CONFIRMATION_FROM_ACCEPTANCE: {
    status: 403,
    about: 'a plan confirmation is issued only when the debtor accepts a plan on the verification page',
  },
  PLAN_NOT_OFFERED: { status: 404, about: 'the letter offers no repayment plan' },
  PLAN_ALREADY_ACCEPTED: { status: 409, about: 'another option of this letter was already accepted' },
  PLAN_OFFER_EXPIRED: {
    status: 409,
    about: "the offer's acceptance period (the letter's deadline, before the first instalment) has passed",
  },
  SEAL_IMAGE_INVALID: {
    status: 422,
    about:
      "an uploaded seal image is not a PNG of a seal's size (at most 512 KB, 100–2000 px a side, intact chunks), or is the specimen seal",
  },
  PROOF_TYPE: { status: 422, about: 'a proof file must be a PDF, PNG or JPEG whose content matches its type' },
  PROOF_NOT_FOUND: { status: 422, about: 'an event names a proof file that was not uploaded' },
  TEXT_INVALID: { status: 422, about: 'a free-text field is empty, too long or holds control characters' },
  ALREADY_VOID: { status: 409, about: 'the letter was already voided' },
  REQUEST_NOT_PENDING: { status: 409, about: 'the request was already decided' },
  REQUEST_PENDING: { status: 409, about: "a lawyer's letter request for this contract is already pending review" },
  SIGNING_UNAVAILABLE: {
    status: 409,
    about:
      "the sender's signing certificate (HANJIAN_SIGNING) is outside its validity: letters are refused until it is replaced",
  },
  SEAL_REQUIRED: {
    status: 409,
    about: 'the sender has no configured seal other than the specimen: final letters are refused',
  },
  INPUT_TOO_DEEP: { status: 422, about: 'the body nests deeper than 32 levels; the path is named' },
  INPUT_TOO_WIDE: { status: 422, about: 'an object of the body has more than 64 fields' },
  INPUT_TOO_LARGE: { status: 422, about: 'the body holds more than 5,000 values' },
  FORBIDDEN_KEY: { status: 422, about: 'a __proto__, constructor or prototype key' },
  INPUT_NOT_TRANSFERABLE: { status: 422, about: 'the input cannot be handed to a render worker' },
  EVENT_IN_FUTURE: { status: 422, about: "the event's time (at) is more than 5 minutes ahead of the server's clock" },
  ISSUE_DATE_NOT_TODAY: { status: 422, about: 'a final letter is dated the day it is issued (Asia/Shanghai)' },
  POLICY_NOT_YET: {
    status: 422,
    about:
      'the escalation policy does not allow this letter yet: its reasons are in issues (an override needs scope override)',
  },
  ENGAGEMENT_NOT_IN_FORCE: { status: 422, about: 'the engagement is not in force on the issue date' },
  PRODUCT_NOT_COVERED: { status: 422, about: "the engagement does not cover the account's product" },
  KIND_NOT_REQUESTABLE: { status: 422, about: 'the kind cannot be requested' },
  REVIEW_NOT_ENABLED: {
    status: 422,
    about: 'the creditor does not review its own letters: issue them with POST /v1/letters',
  },
  NOT_ALLOWED: { status: 422, about: 'a field that the records supply (firm, lawyers, number, engagement) was sent' },
  REGISTRY_BUSY: { status: 503, about: 'the registry is locked by another process; retry after Retry-After seconds' },
  REGISTRY_UNAVAILABLE: {
    status: 503,
    about: 'the registry database (PostgreSQL) cannot be reached; retry after Retry-After seconds',
  },
  TSA_UNAVAILABLE: {
    status: 503,
    about:
      "the sender's time-stamping authority (HANJIAN_TSA_URL or its tsaUrl) is down, answered with an HTTP error or not within HANJIAN_TSA_TIMEOUT_MS: the letter was not issued and no number was used; retry after Retry-After seconds",
  },
  TSA_REPLY_INVALID: {
    status: 502,
    about:
      "the sender's time-stamping authority answered with something other than a granted RFC 3161 token for this signature (not a reply, refused, another imprint, another nonce, a TSA signature that does not verify, a TSA certificate not valid at the token's time, a time more than 5 minutes from this server's clock): the letter was not issued and no number was used",
  },
  STORAGE_UNAVAILABLE: {
    status: 503,
    about: 'the letter files cannot be written or read (the errno is named); retry after Retry-After seconds',
  },
  BAD_REQUEST: { status: 400, about: 'the request is malformed' },
  UNAUTHENTICATED: { status: 401, about: 'no API key, or an unknown one' },
  FORBIDDEN: { status: 403, about: 'the key lacks the scope the operation needs' },
  NOT_FOUND: { status: 404, about: 'no such route' },
  TEMPLATE_NOT_FOUND: { status: 404, about: 'no such template version, or none in effect on the issue date' },
  LETTER_NOT_FOUND: { status: 404, about: 'no issued letter with this id' },
  METHOD_NOT_ALLOWED: { status: 405, about: 'the route exists but not for this method (see the Allow header)' },
  IDEMPOTENCY_CONFLICT: { status: 409, about: 'the Idempotency-Key was used for other data or by another key' },
  BODY_TOO_LARGE: { status: 413, about: 'the body exceeds the limit' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    about:
      'the body is not UTF-8 application/json (or the form or file type the route takes), or its Content-Encoding is not gzip, deflate, br or identity',
  },
  INVALID_INPUT: { status: 422, about: 'the letter data has problems: every one is listed in issues, with its path' },
  COMPLIANCE: { status: 422, about: 'the compliance guard refused the letter: the findings are in issues' },
  GLYPH_MISSING: { status: 422, about: 'a character has no glyph in the embedded fonts; the field is named' },
  LETTER_NO_REQUIRED: {
    status: 422,
    about: "a final lawyer's letter needs a number (over HTTP the registry or the preview supplies it)",
  },
  LETTER_NO_NOT_ALLOWED: {
    status: 422,
    about: 'letterNo was sent to POST /v1/letters: the registry assigns the number',
  },
  IDEMPOTENCY_KEY_REQUIRED: { status: 422, about: 'POST /v1/letters needs an Idempotency-Key header' },
  IDEMPOTENCY_KEY_INVALID: { status: 422, about: 'the Idempotency-Key must be 1–200 characters' },
  VERIFY_QUERY: { status: 422, about: 'verification needs both the number and code query parameters' },
  TOO_MANY_REFUSALS: {
    status: 429,
    about:
      'too many malformed requests (400/413/415/422) from this unkeyed address in a minute; answered after a 1 s delay (see Retry-After)',
  },
  RATE_LIMITED: { status: 429, about: 'too many requests for this key or address (see Retry-After)' },
  DATA_KEY_WRONG: {
    status: 500,
    about: 'stored personal data cannot be decrypted with the configured data key (an operator error)',
  },
  DATA_KEY_INVALID: { status: 500, about: 'the configured data key is not 32 bytes (an operator error)' },
  INTERNAL: { status: 500, about: 'an internal error; the detail never shows internals' },
  STORED_PDF_MISSING: { status: 500, about: 'the stored PDF of an issued letter is missing' },
  STORED_PDF_CORRUPT: { status: 500, about: 'the stored PDF does not match its recorded sha256; it is never served' },
  TEMPLATE_SYNTAX: { status: 500, about: 'a template failed to compile (an operator error)' },
  TEMPLATE_RUNTIME: { status: 500, about: 'a template failed while rendering (an operator error)' },
  TEMPLATE_FIELD_MISSING: {
    status: 500,
    about: 'a template references a field that does not exist (an operator error)',
  },
  TEMPLATE_MANIFEST: { status: 500, about: 'a template manifest is invalid (an operator error)' },
  MARKUP_SYNTAX: { status: 500, about: 'a template produced invalid letter markup (an operator error)' },
  POLICY_INVALID: { status: 500, about: 'the escalation policy file is invalid (an operator error)' },
  TEMPLATE_DRAFT: {
    status: 409,
    about:
      "the template is a draft of the organisation's own catalogue: it is previewed (marked 草稿模板 · DRAFT), never issued, until a lawyer of the organisation releases it",
  },
  TEMPLATE_RETIRED: {
    status: 409,
    about: "the organisation's template version was retired: no new letters are issued with it",
  },
  TEMPLATE_NOT_DRAFT: {
    status: 409,
    about: 'only a draft version is released (this one is released or retired already)',
  },
  TEMPLATE_NOT_RELEASED: { status: 409, about: 'only a released version is retired' },
  TEMPLATE_CHANGED: {
    status: 409,
    about: "the version's files changed after they were loaded and linted: reload and preview again before releasing",
  },
  TEMPLATE_RELEASE_FORBIDDEN: {
    status: 403,
    about:
      "only a lawyer of the owning firm (an admin, for a creditor's catalogue), with a key bound to that person, releases or retires its versions",
  },
  TEMPLATE_REF_FORMAT: { status: 422, about: 'a template reference looks like kind@version or firm:kind@version' },
  TEMPLATE_KIND_MISMATCH: { status: 422, about: 'the two versions compared are not of the same kind' },
  TEMPLATE_LOCK_INVALID: {
    status: 500,
    about: "an organisation's template lock file cannot be read (an operator error)",
  },
  NOT_READY: { status: 503, about: 'fonts and templates are still loading' },
  BATCH_NOT_FOUND: { status: 404, about: "no batch with this id that the caller's organisation posted" },
  BATCH_NOT_FINISHED: {
    status: 409,
    about: 'the batch is still running: its archive is available once every row is settled',
  },
  BATCH_TOO_MANY_ROWS: { status: 413, about: 'the batch has more rows than the limit (100,000 by default)' },
  BATCH_EMPTY: { status: 422, about: 'the batch body holds no rows' },
  BATCH_LINE_TOO_LONG: {
    status: 413,
    about:
      'a failed row of a batch (GET /v1/batches/{id}/errors): the line is longer than the body limit of a single letter',
  },
  ATTEMPTS_EXHAUSTED: {
    status: 503,
    about: 'a failed row of a batch: it met passing failures (busy, timed out) on every attempt',
  },
  CALLBACK_URL_INVALID: {
    status: 422,
    about:
      'the callbackUrl is not https (in production), holds credentials, or points to a loopback or private address',
  },
  CALLBACK_NOT_CONFIGURED: {
    status: 422,
    about: 'a callbackUrl was given but the service has no callback signing secret (HANJIAN_BATCH_CALLBACK_SECRET)',
  },
  QUEUE_FULL: { status: 503, about: 'the render queue is full; retry after Retry-After seconds' },
  TOO_MANY_CONNECTIONS: {
    status: 503,
    about:
      'too many open connections from one address (a sixteenth of maxConnections, at least 16); the connection is closed',
  },
  RENDER_TIMEOUT: { status: 504, about: 'the render took longer than its limit' },
  // Spreadsheet import (src/import): a file is refused whole, with what to do.
  FILE_EMPTY: { status: 422, about: 'the uploaded spreadsheet is empty, or has no header or no data rows' },
  FILE_TOO_LARGE: {
    status: 422,
    about:
      'the uploaded spreadsheet exceeds 5 MB (the workspace import; POST /v1/batches answers 413 BODY_TOO_LARGE past 16 MB)',
  },
  NOT_A_SPREADSHEET: {
    status: 422,
    about: 'the upload is a PDF, an image or another binary file, not an XLSX or CSV spreadsheet',
  },
  XLS_NOT_SUPPORTED: { status: 422, about: 'an old .xls workbook: save it as .xlsx' },
  XLSX_UNREADABLE: { status: 422, about: 'not a readable XLSX workbook' },
  XLSX_TOO_LARGE: {
    status: 422,
    about:
      'the workbook would inflate beyond 50 MB (200 MB for POST /v1/batches; declared sizes are checked before inflating)',
  },
  XLSX_TOO_COMPLEX: { status: 422, about: 'the workbook archive has more than 1,000 entries' },
  CSV_UNREADABLE: { status: 422, about: 'the CSV has an unclosed quote' },
  TOO_MANY_ROWS: {
    status: 422,
    about:
      'the spreadsheet has more than 5,000 data rows (the workspace import; for POST /v1/batches the batch row limit, 100,000 by default)',
  },
  TOO_MANY_COLUMNS: { status: 422, about: 'the spreadsheet has more than 40 columns' },
  CELL_TOO_LONG: { status: 422, about: 'a CSV cell is far longer than any field allows' },
  DUPLICATE_COLUMN: { status: 422, about: 'a column (or two of its aliases) appears twice in the header' },
  COLUMNS_MISSING: {
    status: 422,
    about: 'required columns are missing from the header; their names are in the detail',
  },
} as const satisfies Record<string, { status: number; about: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export function codesWithStatus(status: number): ProblemCode[] {
  return (Object.keys(PROBLEM_CODES) as ProblemCode[]).filter((c) => PROBLEM_CODES[c].status === status);
}
