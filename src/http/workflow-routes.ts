/** Letter requests: a creditor requests a lawyer's letter, a lawyer on the engagement approves or rejects it. */
import type express from 'express';
import type { Response } from 'express';
import type { Caller } from '../orgs/model.js';
import type { Requests } from '../requests/requests.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { HanjianError } from '../shared/errors.js';
import type { Admission } from './admission.js';
import { view } from './letter-view.js';
import type { Metrics } from './metrics.js';

const callerOf = (res: Response) => res.locals.caller as Caller;
const STATUSES = new Set(['pending_review', 'issued', 'rejected']);

export function workflowRoutes(workflow: Requests, metrics: Metrics, admission: Admission) {
  return (app: express.Express, h: RouteHelpers): void => {
    app.post(
      '/v1/letter-requests',
      ...h.requireScope('request'),
      h.limit,
      ...h.jsonBody,
      h.wrap(async (req, res) => {
        const key = req.get('idempotency-key');
        if (key !== undefined && (key.length < 1 || key.length > 200))
          throw new HanjianError({
            code: 'IDEMPOTENCY_KEY_INVALID',
            category: 'invalid_input',
            path: 'Idempotency-Key',
            zh: '幂等键长度应为 1–200',
            en: 'the idempotency key must be 1–200 characters',
          });
        const r = await workflow.request(req.body, callerOf(res), { idempotencyKey: key });
        res.status(202).set('Location', `/v1/letter-requests/${r.id}`).json(r);
      }),
    );

    app.get(
      '/v1/letter-requests',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        const status = typeof req.query.status === 'string' && req.query.status ? req.query.status : undefined;
        // An unknown state is refused, not read as "every request".
        if (status !== undefined && !STATUSES.has(status))
          throw new HanjianError({
            code: 'INVALID_INPUT',
            category: 'invalid_input',
            path: 'status',
            zh: 'status 只能是 pending_review、issued 或 rejected',
            en: 'status must be pending_review, issued or rejected',
          });
        res.json({ requests: await workflow.list(callerOf(res), status as 'pending_review' | undefined) });
      }),
    );

    app.get(
      '/v1/letter-requests/:id',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        res.json(await workflow.get(String(req.params.id), callerOf(res)));
      }),
    );

    app.post(
      '/v1/letter-requests/:id/approve',
      ...h.requireScope('review'),
      h.limit,
      h.wrap(async (req, res) => {
        const { record, replayed } = await admission.run(() => workflow.approve(String(req.params.id), callerOf(res)));
        if (!replayed) metrics.letter(record.kind, 'issue');
        res.status(201).set('Location', `/v1/letters/${record.id}`).json(view(record, replayed));
      }),
    );

    app.post(
      '/v1/letter-requests/:id/reject',
      ...h.requireScope('review'),
      h.limit,
      ...h.jsonBody,
      h.wrap(async (req, res) => {
        res.json(
          await workflow.reject(
            String(req.params.id),
            callerOf(res),
            typeof req.body?.reason === 'string' ? req.body.reason : '',
          ),
        );
      }),
    );
  };
}
