/**
 * Errors as application/problem+json (RFC 9457), for the JSON API and the workspace alike: the
 * status of every code is the error catalogue's (shared/error-catalogue.ts); a 500 never
 * carries a stack trace or an internal path.
 */
import type { Response } from 'express';
import { type CatalogueEntry, ERROR_CATALOGUE, statusOf } from '../shared/error-catalogue.js';
import { HanjianError, type Issue } from '../shared/errors.js';

/** The HTML answer for an error, when the client prefers it; sendProblem calls it instead of writing problem+json. */
export type HtmlProblem = (status: number, chinese: string[]) => string;

/** The Chinese half of a bilingual detail ("path: 中文 / English" → "中文"). */
export function chineseOf(detail: string): string {
  const zh = detail.split(' / ')[0]!;
  const colon = zh.indexOf(': ');
  return colon > 0 && /^[\w.-]+$/.test(zh.slice(0, colon)) ? zh.slice(colon + 2) : zh;
}

export function htmlProblemOf(res: Response): HtmlProblem | undefined {
  return (res.locals as { htmlProblem?: HtmlProblem }).htmlProblem;
}

/** Seconds a client should wait before retrying, for the answers that invite a retry (the catalogue's). */
export const RETRY_AFTER_BY_CODE: Record<string, number> = Object.fromEntries(
  Object.entries(ERROR_CATALOGUE as Record<string, CatalogueEntry>)
    .filter(([, e]) => e.retryAfter !== undefined)
    .map(([code, e]) => [code, e.retryAfter!]),
);

/** An error answer stays small whatever the request: past this many issues, the rest are counted, not listed. */
export const MAX_LISTED_ISSUES = 50;

/** The status of an error: the catalogue's, for every code (shared/error-catalogue.ts). */
export function statusFor(e: HanjianError): number {
  return statusOf(e.code);
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
