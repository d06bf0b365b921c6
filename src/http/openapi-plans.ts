/** The OpenAPI paths and response shapes of repayment plans: the creditor's settings, the accepted plans, the debtor's choice on the verification page. */
import { ref } from './openapi-components.js';
import { BODY_PROBLEMS, errors, json, KEY_PROBLEMS, security } from './openapi-parts.js';
import type { ProblemCode } from './problem-codes.js';

/** What the verification page's plan forms answer: a page for a browser, `schema` for a client. */
const pageOrJson = (description: string, schema: object) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema } },
});

/** The refusals both plan forms share (the letter, the offer, the form), around those of the step itself. */
const planFormErrors = (...step: ProblemCode[]) =>
  errors(
    'CSRF',
    'LETTER_NOT_FOUND',
    'LETTER_VOID',
    'PLAN_NOT_OFFERED',
    'PLAN_ALREADY_ACCEPTED',
    'PLAN_OFFER_EXPIRED',
    'PLAN_PHONE_MISSING',
    ...step,
    'DISPUTE_OPEN',
    'INVALID_INPUT',
    'VERIFY_QUERY',
    'BODY_TOO_LARGE',
    'RATE_LIMITED',
  );

export const PLAN_PATHS = {
  '/v1/plan-settings': {
    get: {
      operationId: 'getPlanSettings',
      tags: ['after the letter'],
      security: security('read'),
      summary: "The organisation's repayment plan settings (null: its letters offer no plans)",
      responses: { 200: json('The settings', ref('PlanSettings')), ...errors(...KEY_PROBLEMS) },
    },
    put: {
      operationId: 'putPlanSettings',
      tags: ['after the letter'],
      security: security('admin'),
      summary:
        "Set the repayment plan options its demands and lawyer's letters (version 3) offer from now on, as 附件：分期还款方案",
      description:
        'Interest stops under a plan by default. With `interest: continues` and `annualRateBp`, it runs at that rate on the unpaid principal and each option states its cost (demand@4, lawyer-letter@4); a rate above the strictest cap any contract may have (today 4 × the one-year LPR) is refused with 422 naming `annualRateBp`.',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: ref('PlanSettingsBody'),
            examples: {
              usual: {
                summary: '3, 6 or 12 months',
                value: { terms: [3, 6, 12], firstDueDays: 15, minInstalment: '300.00', graceDays: 10 },
              },
              costed: {
                summary: 'interest continues at 8 % a year',
                value: { terms: [3, 6], firstDueDays: 15, graceDays: 10, interest: 'continues', annualRateBp: 800 },
              },
            },
          },
        },
      },
      responses: {
        200: json('Saved', ref('PlanSettings')),
        ...errors(...BODY_PROBLEMS, ...KEY_PROBLEMS, 'INVALID_INPUT'),
      },
    },
    delete: {
      operationId: 'deletePlanSettings',
      tags: ['after the letter'],
      security: security('admin'),
      summary: 'Offer no repayment plans from now on (letters already issued keep theirs)',
      responses: { 204: { description: 'Removed' }, ...errors(...KEY_PROBLEMS) },
    },
  },
  '/v1/plans': {
    get: {
      operationId: 'listPlans',
      tags: ['after the letter'],
      security: security('read'),
      summary: "Plans debtors accepted on the organisation's contracts, newest first, with their confirmation letters",
      responses: { 200: json('The plans', ref('PlanList')), ...errors(...KEY_PROBLEMS) },
    },
  },
  '/v1/verify/plans/code': {
    post: {
      operationId: 'sendPlanCode',
      tags: ['verification'],
      security: [],
      summary:
        "Step one of accepting a plan: a one-time code, by text message, to the phone on the contract (the letter's debtor.phone)",
      description:
        'A form post (≤ 8 KB) with the CSRF token of the verification page. Every check of the acceptance is made first (the letter valid, the option offered, the period open, no open dispute, a phone on file). The code has six digits, is valid 10 minutes, is bound to the option chosen, replaces any earlier code of the letter, and is stored only as an HMAC. At most one code a minute (429 PLAN_CODE_TOO_SOON), 5 an hour and 10 a day (429 PLAN_CODE_TOO_MANY) per letter. A browser gets the page to type the code on.',
      requestBody: {
        required: true,
        content: { 'application/x-www-form-urlencoded': { schema: ref('PlanCodeForm') } },
      },
      responses: {
        202: pageOrJson(
          'Sent: the page to type the code on for a browser, or where it went and until when it is valid',
          {
            type: 'object',
            properties: {
              terms: { type: 'integer' },
              sentTo: { type: 'string', description: 'the number, masked: 136****5432' },
              sentAt: { type: 'string', format: 'date-time' },
              expiresAt: { type: 'string', format: 'date-time' },
              resendAt: { type: 'string', format: 'date-time', description: 'the earliest time to ask again' },
            },
            required: ['terms', 'sentTo', 'sentAt', 'expiresAt', 'resendAt'],
          },
        ),
        ...planFormErrors('PLAN_CODE_TOO_SOON', 'PLAN_CODE_TOO_MANY', 'SMS_UNAVAILABLE'),
      },
    },
  },
  '/v1/verify/plans': {
    post: {
      operationId: 'acceptPlan',
      tags: ['verification'],
      security: [],
      summary:
        "The debtor accepts one of the letter's plan options with the one-time code sent to the contract's phone (public, rate-limited)",
      description:
        "A form post (≤ 8 KB) with the CSRF token of the verification page and `smsCode`, the code POST /v1/verify/plans/code sent for this option. Refused without it (403 PLAN_CODE_REQUIRED), with a wrong one (PLAN_CODE_INVALID; after 5 wrong entries PLAN_CODE_LOCKED), an expired or used one (PLAN_CODE_EXPIRED) or one sent for another option (PLAN_CODE_MISMATCH). Recorded (plan, plan-accepted event, audit) with its acceptance record — time, IP address, user agent, the offer's SHA-256 and the code's delivery (sender, masked number, send time, provider message id), encrypted at rest and an exhibit of the evidence package — and confirmed by a 还款计划确认函 issued through the registry. The same choice again returns the same plan; until the letter's deadline and before the first instalment.",
      requestBody: {
        required: true,
        content: { 'application/x-www-form-urlencoded': { schema: ref('PlanAcceptForm') } },
      },
      responses: {
        201: pageOrJson('Accepted: a page for a browser, or the plan and the confirmation', {
          type: 'object',
          properties: {
            plan: { type: 'object' },
            confirmation: {
              type: 'object',
              properties: { number: { type: 'string' }, verifyUrl: { type: 'string' } },
            },
          },
          required: ['plan', 'confirmation'],
        }),
        ...planFormErrors(
          'PLAN_CODE_REQUIRED',
          'PLAN_CODE_INVALID',
          'PLAN_CODE_EXPIRED',
          'PLAN_CODE_LOCKED',
          'PLAN_CODE_MISMATCH',
          'TSA_UNAVAILABLE',
          'TSA_REPLY_INVALID',
        ),
      },
    },
  },
};
