/** The OpenAPI paths and response shapes of repayment plans: the creditor's settings, the accepted plans, the debtor's choice on the verification page. */
import { ref } from './openapi-components.js';
import { BODY_PROBLEMS, errors, json, KEY_PROBLEMS, security } from './openapi-parts.js';

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
  '/v1/verify/plans': {
    post: {
      operationId: 'acceptPlan',
      tags: ['verification'],
      security: [],
      summary: "The debtor chooses one of the letter's plan options on the verification page (public, rate-limited)",
      description:
        "A form post (≤ 8 KB) with the CSRF token of the verification page. Recorded (plan, plan-accepted event, audit) and confirmed by a 还款计划确认函 issued through the registry. The same choice again returns the same plan; until the letter's deadline and before the first instalment.",
      requestBody: {
        required: true,
        content: { 'application/x-www-form-urlencoded': { schema: ref('PlanAcceptForm') } },
      },
      responses: {
        201: {
          description: 'Accepted: a page for a browser, or the plan and the confirmation',
          content: {
            'text/html': { schema: { type: 'string' } },
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  plan: { type: 'object' },
                  confirmation: {
                    type: 'object',
                    properties: { number: { type: 'string' }, verifyUrl: { type: 'string' } },
                  },
                },
                required: ['plan', 'confirmation'],
              },
            },
          },
        },
        ...errors(
          'CSRF',
          'LETTER_NOT_FOUND',
          'LETTER_VOID',
          'PLAN_NOT_OFFERED',
          'PLAN_ALREADY_ACCEPTED',
          'PLAN_OFFER_EXPIRED',
          'DISPUTE_OPEN',
          'INVALID_INPUT',
          'VERIFY_QUERY',
          'BODY_TOO_LARGE',
          'RATE_LIMITED',
          'TSA_UNAVAILABLE',
          'TSA_REPLY_INVALID',
        ),
      },
    },
  },
};
