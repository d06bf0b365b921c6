/**
 * Errors as application/problem+json (RFC 9457). One table maps error codes to HTTP statuses;
 * a 500 never carries a stack trace or an internal path.
 */
import type { Response } from 'express';
import { HanjianError, type Issue } from '../shared/errors.js';
import { chineseOf, htmlProblemOf } from './public-pages.js';

const STATUS_BY_CODE: Record<string, number> = {
  JSON_MALFORMED: 400,
  INVALID_UTF8: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TEMPLATE_NOT_FOUND: 404,
  LETTER_NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
  ALREADY_ISSUED: 409,
  ALREADY_VOID: 409,
  REQUEST_NOT_PENDING: 409,
  SEAL_REQUIRED: 409,
  BODY_TOO_LARGE: 413,
  BATCH_TOO_MANY_ROWS: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  RATE_LIMITED: 429,
  AUTH_THROTTLED: 429,
  TOO_MANY_REFUSALS: 429,
  QUEUE_FULL: 503,
  REGISTRY_BUSY: 503,
  REGISTRY_UNAVAILABLE: 503,
  STORAGE_UNAVAILABLE: 503,
  TSA_UNAVAILABLE: 503,
  TSA_REPLY_INVALID: 502,
  RENDER_TIMEOUT: 504,
};

/** Seconds a client should wait before retrying, for the answers that invite a retry. */
export const RETRY_AFTER_BY_CODE: Record<string, number> = {
  QUEUE_FULL: 1,
  REGISTRY_BUSY: 2,
  REGISTRY_UNAVAILABLE: 5,
  STORAGE_UNAVAILABLE: 30,
  TSA_UNAVAILABLE: 30,
  RENDER_TIMEOUT: 5,
};

/** An error answer stays small whatever the request: past this many issues, the rest are counted, not listed. */
export const MAX_LISTED_ISSUES = 50;

const STATUS_BY_CATEGORY: Record<string, number> = {
  invalid_input: 422,
  compliance: 422,
  render: 422,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  template: 500,
  internal: 500,
};

export function statusFor(e: HanjianError): number {
  return STATUS_BY_CODE[e.code] ?? STATUS_BY_CATEGORY[e.category] ?? 500;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  issues?: Issue[];
  /** How many issues were found but not listed (see MAX_LISTED_ISSUES). */
  issuesOmitted?: number;
  requestId?: string;
}

export const QUEUE_FULL_DETAIL = '渲染队列已满，请稍后重试 / the render queue is full; retry shortly';

export function problemBody(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `https://hanjian.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: code,
    status,
    code,
    detail,
    ...extra,
  };
}

export function sendProblem(
  res: Response,
  status: number,
  code: string,
  detail: string,
  extra: Partial<Problem> = {},
): void {
  // Answered before the body was read to its end (a body over a limit, a refusal from the headers):
  // the connection closes after the answer, instead of staying busy with the unread rest.
  if (res.req && !res.req.complete) res.set('Connection', 'close');
  // A person's browser on the debtor's pages gets the reason as a page (public-pages.ts).
  const html = htmlProblemOf(res);
  if (html) {
    const reasons = extra.issues?.length ? extra.issues.map((i) => chineseOf(i.message)) : [chineseOf(detail)];
    return void res.status(status).type('text/html').send(html(status, reasons));
  }
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(status, code, detail, { ...extra, requestId: res.locals.requestId })));
}

export function sendError(res: Response, e: unknown): void {
  if (e instanceof HanjianError) {
    const status = statusFor(e);
    const retry = RETRY_AFTER_BY_CODE[e.code];
    if (retry !== undefined) res.set('Retry-After', String(retry));
    // 502, 503 and 504 say what happened (the TSA's bad reply, queue full, registry busy, too slow); other 5xx show nothing internal.
    if (status >= 500 && status !== 502 && status !== 503 && status !== 504) {
      sendProblem(res, status, e.code, '服务内部错误 / internal error');
      return;
    }
    const showIssues =
      e.category === 'invalid_input' || e.category === 'compliance' || e.category === 'render' || e.issues.length > 1;
    sendProblem(res, status, e.code, e.message, showIssues ? listedIssues(e.issues) : {});
    return;
  }
  sendProblem(res, 500, 'INTERNAL', '服务内部错误 / internal error');
}

export function listedIssues(issues: Issue[]): Pick<Problem, 'issues' | 'issuesOmitted'> {
  if (issues.length <= MAX_LISTED_ISSUES) return { issues };
  return { issues: issues.slice(0, MAX_LISTED_ISSUES), issuesOmitted: issues.length - MAX_LISTED_ISSUES };
}

export function problem(
  code: string,
  zh: string,
  en: string,
  category: HanjianError['category'] = 'invalid_input',
): HanjianError {
  return new HanjianError({ code, zh, en, category });
}
