/**
 * The debtor's side of the service, public and rate-limited: the verification page the QR code
 * opens (is this letter genuine?), and on it short forms — choose a repayment plan the letter
 * offers, dispute the amount, or ask for hardship help. Forms carry a CSRF token (double
 * submit: a random cookie, SameSite=Strict, and the same value in the form). A person who types
 * the printed address without parameters gets a form asking for the number and code.
 *
 * Choosing a plan takes two posts: /v1/verify/plans/code sends a one-time code to the phone on
 * the contract, /v1/verify/plans accepts with it (debtors/plan-codes.ts). A browser that types a
 * wrong or stale code gets the code page again, saying what was wrong.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { AcceptanceContext, Debtors } from '../debtors/debtors.js';
import type { LetterRecord } from '../letters/letter-store.js';
import type { Letters } from '../letters/letters.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import type { Plans } from '../plans/plans.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { HanjianError, isHanjianError } from '../shared/errors.js';
import { wantsHtml } from './public-pages.js';
import {
  askPage,
  type CodeView,
  codePage,
  donePage,
  escapeHtml,
  type Facts,
  type PlanView,
  receiptPage,
  verifyPage,
} from './verify-page.js';

const CSRF_COOKIE = 'hj_csrf';
export const FORM_LIMIT_BYTES = 8192;

function cookie(req: Request, name: string): string | null {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function queryOf(number: unknown, code: unknown): { number: string; code: string } {
  const n = typeof number === 'string' ? number : '';
  const c = typeof code === 'string' ? code : '';
  if (!n || !c || n.length > 80 || c.length > 20) {
    throw new HanjianError({
      code: 'VERIFY_QUERY',
      category: 'invalid_input',
      path: 'number',
      zh: '需要 number 和 code 两个参数',
      en: 'the number and code parameters are required',
    });
  }
  return { number: n, code: c };
}

function checkCsrf(req: Request, body: Record<string, unknown>): void {
  const sent = typeof body.csrf === 'string' ? Buffer.from(body.csrf) : Buffer.alloc(0);
  const held = Buffer.from(cookie(req, CSRF_COOKIE) ?? '');
  if (!sent.length || sent.length !== held.length || !timingSafeEqual(sent, held)) {
    throw new HanjianError({
      code: 'CSRF',
      category: 'forbidden',
      zh: '表单已过期，请重新打开核验页面后提交',
      en: 'the form has expired: open the verification page again and resubmit',
    });
  }
}

/** The codes a browser answers with the code page again (the debtor types or asks again there). */
const CODE_PAGE_PROBLEMS = new Set([
  'PLAN_CODE_REQUIRED',
  'PLAN_CODE_INVALID',
  'PLAN_CODE_EXPIRED',
  'PLAN_CODE_LOCKED',
  'PLAN_CODE_MISMATCH',
  'PLAN_CODE_TOO_SOON',
]);

/** What the request says about who is accepting: kept in the acceptance record. */
const contextOf = (req: Request): AcceptanceContext => ({
  ip: req.ip ?? null,
  userAgent: req.get('user-agent') ?? null,
});

export function debtorRoutes({ letters, debtors, plans }: { letters: Letters; debtors: Debtors; plans: Plans }) {
  /** The verified, valid letter a form names (number + code checked again on every post). */
  async function verifiedLetter(body: Record<string, unknown>): Promise<LetterRecord> {
    const { number, code } = queryOf(body.number, body.code);
    const r = await letters.verify(number, code);
    if (!r.valid)
      throw new HanjianError({
        code: 'LETTER_NOT_FOUND',
        category: 'not_found',
        zh: '没有与该函号和核验码相符的有效函件',
        en: 'no valid letter with that number and code',
      });
    return (await letters.verified(number, code))!;
  }

  /** A form posted from the verification page: its CSRF token checked, then the letter it names. */
  async function postedForm(req: Request): Promise<{ body: Record<string, unknown>; letter: LetterRecord }> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    checkCsrf(req, body);
    return { body, letter: await verifiedLetter(body) };
  }

  async function planView(letter: LetterRecord): Promise<PlanView | null> {
    const offer = await plans.offer(letter);
    if (!offer) return null;
    if (offer.accepted) {
      const c = offer.accepted.confirmationId ? await letters.byId(offer.accepted.confirmationId) : null;
      return {
        state: 'accepted',
        terms: offer.accepted.terms,
        acceptedOn: offer.accepted.acceptedOn,
        confirmation: c ? { number: c.number, url: letters.verificationFor(c.number, c.verifyCode, c).url } : null,
      };
    }
    return todayInShanghai() > offer.acceptUntil
      ? { state: 'expired', acceptUntil: offer.acceptUntil }
      : {
          state: 'open',
          options: offer.options,
          acceptUntil: offer.acceptUntil,
          phone: debtors.codesAvailable ? debtors.phoneOnFile(letter) : null,
          online: debtors.codesAvailable,
        };
  }

  /** The code page's view of the option chosen (its figures from the letter's offer). */
  async function codeView(
    letter: LetterRecord,
    body: Record<string, unknown>,
    csrf: string,
    extra: Partial<CodeView>,
  ): Promise<CodeView> {
    const offer = await plans.offer(letter);
    const terms = Number(body.terms);
    const option = offer?.options.find((o) => o.terms === terms) ?? null;
    return {
      number: letter.number,
      code: String(body.code),
      csrf,
      terms,
      option,
      to: debtors.phoneOnFile(letter) ?? '',
      ...extra,
    };
  }

  /** The code page for the option a form chose, with `extra` (where it went, what was wrong). */
  async function sendCodePage(
    res: Response,
    status: number,
    letter: LetterRecord,
    body: Record<string, unknown>,
    extra: Partial<CodeView>,
  ): Promise<void> {
    res
      .status(status)
      .type('text/html')
      .send(codePage(await codeView(letter, body, String(body.csrf), extra)));
  }

  /**
   * Runs a step of choosing a plan. A refusal the debtor mends on the code page (`again` says how
   * it is answered) gives a browser that page and this null; other refusals, and any refusal to a
   * client, are thrown.
   */
  async function orCodePage<T>(
    req: Request,
    res: Response,
    letter: LetterRecord,
    step: () => Promise<T>,
    again: (e: HanjianError) => { status: number; view: Partial<CodeView>; headers?: Record<string, string> } | null,
  ): Promise<T | null> {
    try {
      return await step();
    } catch (e) {
      const answer = wantsHtml(req) && isHanjianError(e) ? again(e) : null;
      if (!answer) throw e;
      res.set(answer.headers ?? {});
      await sendCodePage(res, answer.status, letter, req.body ?? {}, answer.view);
      return null;
    }
  }

  return (app: express.Express, h: RouteHelpers): void => {
    app.get(
      '/v1/verify',
      h.publicLimit,
      h.wrap(async (req, res) => {
        res.set('Cache-Control', 'no-store');
        let query: { number: string; code: string };
        try {
          query = queryOf(req.query.number, req.query.code);
        } catch (e) {
          // A browser gets a form to type the number and code into; a client keeps its 422.
          if (!wantsHtml(req)) throw e;
          const given = [req.query.number, req.query.code].map((v) => (typeof v === 'string' ? v.slice(0, 80) : ''));
          const blank = !given[0] && !given[1];
          return void res
            .status(blank ? 200 : 422)
            .type('text/html')
            .send(
              askPage(
                blank ? null : '请同时填写函号和核验码（函号不超过 80 字，核验码不超过 20 字）。',
                given[0],
                given[1],
              ),
            );
        }
        const { number, code } = query;
        // Public: whether it exists, kind, sender, issue date, masked debtor, total, PDF sha256 — nothing more.
        const r = await letters.verify(number, code);
        const facts: Facts = r.valid
          ? {
              valid: true,
              kind: r.kind,
              sender: r.sender,
              issueDate: r.issueDate,
              debtor: r.debtor,
              total: r.total,
              pdfSha256: r.pdfSha256,
              signature: r.signature,
            }
          : 'status' in r
            ? { valid: false, status: r.status, voidedOn: r.voidedOn }
            : { valid: false };
        // A person who scans the QR code gets a page; the collections system gets JSON.
        if (!wantsHtml(req)) return void res.json(facts);
        const plan = r.valid ? await planView(await verifiedLetter({ number, code })) : null;
        const csrf = randomBytes(18).toString('base64url');
        res.set(
          'Set-Cookie',
          `${CSRF_COOKIE}=${csrf}; Path=/v1/verify; HttpOnly; SameSite=Strict${req.secure ? '; Secure' : ''}`,
        );
        res.type('text/html').send(verifyPage(number, code, facts, csrf, plan));
      }),
    );

    // The forms are small: a few fields. Sized for the longest honest form: 500 characters of text that
    // URL-encode to 9 bytes each (12 for a rare 4-byte one), a 50-character contact and an 80-character number.
    const form = express.urlencoded({ extended: false, limit: FORM_LIMIT_BYTES, parameterLimit: 8 });
    app.post(
      '/v1/verify/responses',
      h.publicLimit,
      form,
      h.wrap(async (req, res) => {
        const { body, letter } = await postedForm(req);
        const receipt = await debtors.file(letter, body);
        const { id, receiptNo, existing } = receipt;
        // A further submit while one is open files nothing: 200 with the open one (201 only for a new one).
        const status = existing ? 200 : 201;
        if (wantsHtml(req)) {
          res
            .status(status)
            .type('text/html')
            .send(receiptPage({ type: receipt.type, receiptNo: receiptNo ?? id, existing }));
        } else
          res
            .status(status)
            .json({ id, receiptNo, status: 'open', type: receipt.type, existing, createdAt: receipt.createdAt });
      }),
    );

    app.post(
      '/v1/verify/plans/code',
      h.publicLimit,
      form,
      h.wrap(async (req: Request, res: Response) => {
        const { body, letter } = await postedForm(req);
        const sent = await orCodePage(
          req,
          res,
          letter,
          () => debtors.sendPlanCode(letter, { terms: body.terms }, contextOf(req)),
          // Asked again too soon: the code already sent still works, so the page to type it is the answer.
          (e) =>
            e.code === 'PLAN_CODE_TOO_SOON'
              ? { status: 429, headers: { 'Retry-After': '60' }, view: { notice: e.zh } }
              : null,
        );
        if (!sent) return;
        if (wantsHtml(req)) await sendCodePage(res, 202, letter, body, { to: sent.to, expiresAt: sent.expiresAt });
        else
          res.status(202).json({
            terms: sent.terms,
            sentTo: sent.to,
            sentAt: sent.sentAt,
            expiresAt: sent.expiresAt,
            resendAt: sent.resendAt,
          });
      }),
    );

    app.post(
      '/v1/verify/plans',
      h.publicLimit,
      form,
      h.wrap(async (req: Request, res: Response) => {
        const { body, letter } = await postedForm(req);
        const accepted = await orCodePage(
          req,
          res,
          letter,
          () => debtors.acceptPlan(letter, { terms: body.terms, smsCode: body.smsCode }, contextOf(req)),
          // A wrong, missing or stale code: the code page again, saying what was wrong, to type or ask again.
          (e) => (CODE_PAGE_PROBLEMS.has(e.code) ? { status: 403, view: { problem: e.zh } } : null),
        );
        if (!accepted) return;
        const { plan, confirmation } = accepted;
        const c = confirmation.record;
        const url = letters.verificationFor(c.number, c.verifyCode, c).url;
        if (wantsHtml(req)) {
          res
            .status(201)
            .type('text/html')
            .send(
              donePage(
                '已选择分期还款方案',
                `您已选择分 ${plan.terms} 期还款，债权人已出具还款计划确认函 ${c.number}。请按确认函所列还款日和金额，通过官方渠道还款。`,
                `<p><a class="button" href="${escapeHtml(url)}">查看还款计划确认函</a></p>`,
              ),
            );
        } else
          res.status(201).json({
            plan: { id: plan.id, terms: plan.terms, acceptedOn: plan.acceptedOn },
            confirmation: { number: c.number, verifyUrl: url },
          });
      }),
    );

    app.get(
      '/v1/disputes',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        const status = req.query.status === 'open' || req.query.status === 'resolved' ? req.query.status : undefined;
        const receipt = typeof req.query.receipt === 'string' ? req.query.receipt.slice(0, 40) : undefined;
        res.json({ responses: await debtors.list(res.locals.caller, status, receipt) });
      }),
    );

    app.post(
      '/v1/disputes/:id/resolve',
      ...h.requireScope('request'),
      h.limit,
      ...h.jsonBody,
      h.wrap(async (req, res) => {
        res.json(
          await debtors.resolve(
            String(req.params.id),
            res.locals.caller,
            typeof req.body?.note === 'string' ? req.body.note : '',
          ),
        );
      }),
    );
  };
}
