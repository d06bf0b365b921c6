/** The registry's HTTP routes: issue (idempotent), read, fetch the PDF, and the public verification. */

import type { Request, Response } from 'express';
import express from 'express';
import type { Delivery } from '../delivery/delivery.js';
import { fileNameOf } from '../delivery/evidence-package.js';
import type { HistorySources } from '../history/contract-history.js';
import type { Evidence } from '../history/evidence.js';
import { letterStatuses } from '../history/letter-status.js';
import type { Letters } from '../letters/letters.js';
import { reviewRequired, reviewRequiredError } from '../letters/rules.js';
import type { Caller } from '../orgs/model.js';
import type { Orgs } from '../orgs/orgs.js';
import { fenToYuan, LETTER_KINDS, validate } from '../pipeline/index.js';
import { isRealDate } from '../pipeline/schema/dates.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { HanjianError, invalidInput } from '../shared/errors.js';
import type { Admission } from './admission.js';
import { view } from './letter-view.js';
import type { Metrics } from './metrics.js';

export function registryRoutes(
  parts: {
    letters: Letters;
    delivery: Delivery;
    orgs: Orgs;
    evidence: Evidence;
    history: Pick<HistorySources, 'delivery' | 'debtors'>;
  },
  metrics: Metrics,
  admission: Admission,
) {
  const { letters, delivery, orgs, evidence, history } = parts;
  return (app: express.Express, h: RouteHelpers): void => {
    const issueScope = (req: Request) => `issue:${req.body.kind as string}`;
    // The scope depends on the kind, so a body without a valid kind is answered as invalid input (422), not as a missing scope.
    const knownKind: express.RequestHandler = (req, _res, next) => {
      const body = req.body as unknown;
      const kind =
        body && typeof body === 'object' && !Array.isArray(body) ? (body as { kind?: unknown }).kind : undefined;
      if (typeof kind === 'string' && (LETTER_KINDS as readonly string[]).includes(kind)) return next();
      const r = validate(req.body);
      next(invalidInput(r.ok ? [] : r.issues));
    };

    // A lawyer's letter is never issued here, whatever the key's scopes: say where it goes (REVIEW_REQUIRED), not which scope is missing.
    const notALawyersLetter: express.RequestHandler = (req, _res, next) => {
      const kind = String((req.body as { kind?: unknown }).kind);
      // Whatever the organisation: a kind that needs review even without its setting (letters/rules.ts).
      next(reviewRequired(kind, null) ? reviewRequiredError(kind) : undefined);
    };

    app.post(
      '/v1/letters',
      h.authenticate,
      h.limit,
      ...h.jsonBody,
      knownKind,
      notALawyersLetter,
      h.needScope(issueScope),
      h.wrap(async (req, res) => {
        const key = req.get('idempotency-key');
        if (!key)
          throw new HanjianError({
            code: 'IDEMPOTENCY_KEY_REQUIRED',
            category: 'invalid_input',
            path: 'Idempotency-Key',
            zh: '出具函件需要 Idempotency-Key 请求头，以便安全重试',
            en: 'issuing needs an Idempotency-Key header so that retries are safe',
          });
        const caller = callerOf(res);
        // The same rule as issuing itself (letters/rules.ts), answered before the letter is rendered.
        if (reviewRequired(req.body.kind, await orgs.org(caller.orgId))) throw reviewRequiredError(req.body.kind);
        const { record, replayed } = await admission.run(() =>
          letters.issue(req.body, { idempotencyKey: key, requester: caller.keyId, orgId: caller.orgId }),
        );
        if (!replayed) metrics.letter(record.kind, 'issue');
        res
          .status(replayed ? 200 : 201)
          .set('Location', `/v1/letters/${record.id}`)
          .json(view(record, replayed));
      }),
    );

    app.get(
      '/v1/letters',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        const q = req.query as Record<string, unknown>;
        const str = (k: string) => (typeof q[k] === 'string' && q[k] ? (q[k] as string).slice(0, 100) : undefined);
        const status = str('status');
        if (status && status !== 'issued' && status !== 'void')
          throw new HanjianError({
            code: 'INVALID_INPUT',
            category: 'invalid_input',
            path: 'status',
            zh: 'status 只能是 issued 或 void',
            en: 'status must be issued or void',
          });
        const cursor = str('cursor');
        const after = cursor ? decodeCursor(cursor) : undefined;
        const limit = Number(str('limit') ?? 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200)
          throw new HanjianError({
            code: 'INVALID_INPUT',
            category: 'invalid_input',
            path: 'limit',
            zh: 'limit 应为 1–200 的整数',
            en: 'limit must be an integer from 1 to 200',
          });
        // A malformed date would compare as text and quietly select the wrong letters.
        // So would an impossible one (2026-99-99), and it would answer with an empty list as if there were no letters.
        for (const k of ['from', 'to'])
          if (str(k) !== undefined && !isRealDate(str(k)!))
            throw new HanjianError({
              code: 'INVALID_INPUT',
              category: 'invalid_input',
              path: k,
              zh: `${k} 应为 YYYY-MM-DD 格式的有效日期`,
              en: `${k} must be a real date, YYYY-MM-DD`,
            });
        const rows = await letters.list({
          orgId: callerOf(res).orgId,
          contractNo: str('contractNo'),
          status: status as 'issued' | 'void' | undefined,
          from: str('from'),
          to: str('to'),
          after,
          limit,
        });
        const last = rows.at(-1);
        const states = await letterStatuses(history, rows);
        res.json({
          letters: rows.map((r) => ({ ...view(r, false), state: states.get(r.id)!.status })),
          next:
            rows.length === limit && last
              ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url')
              : null,
        });
      }),
    );

    app.get(
      '/v1/letters/:id',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        res.json(view(await letters.get(String(req.params.id), callerOf(res).orgId), false));
      }),
    );

    app.get(
      '/v1/letters/:id/pdf',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        const { record, pdf } = await letters.pdf(String(req.params.id), callerOf(res).orgId);
        res
          .set({ 'X-Letter-Sha256': record.pdfSha256, 'Content-Disposition': `inline; filename="${record.id}.pdf"` })
          .type('application/pdf')
          .send(pdf);
      }),
    );

    app.post(
      '/v1/letters/:id/events',
      ...h.requireScope('deliver'),
      h.limit,
      ...h.jsonBody,
      h.wrap(async (req, res) => {
        const caller = callerOf(res);
        const e = await delivery.record(String(req.params.id), req.body, {
          orgId: caller.orgId,
          actor: caller.keyId,
        });
        res.status(201).json(e);
      }),
    );

    // Proof files are raw bytes (a receipt scan, the carrier's PDF), up to 5 MB.
    const raw = express.raw({ type: ['application/pdf', 'image/png', 'image/jpeg'], limit: 5 * 1024 * 1024 });
    app.post(
      '/v1/letters/:id/proofs',
      ...h.requireScope('deliver'),
      h.limit,
      raw,
      h.wrap(async (req, res) => {
        if (!Buffer.isBuffer(req.body) || !req.body.length)
          throw new HanjianError({
            code: 'UNSUPPORTED_MEDIA_TYPE',
            category: 'invalid_input',
            path: 'content-type',
            zh: '请以 application/pdf、image/png 或 image/jpeg 上传证明文件',
            en: 'upload a proof file as application/pdf, image/png or image/jpeg',
          });
        res
          .status(201)
          .json(
            await delivery.addProof(
              String(req.params.id),
              req.body,
              String(req.get('content-type')).split(';')[0]!.trim(),
              callerOf(res).orgId,
            ),
          );
      }),
    );

    // The ZIP's name says which letter (or how many): an ASCII fallback, the number itself as RFC 6266 filename*.
    const zipName = (name: string, ascii: string) =>
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
    app.get(
      '/v1/letters/:id/evidence',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        const { record, zip } = await evidence.forLetter(String(req.params.id), callerOf(res).orgId);
        res
          .set({
            'Content-Disposition': zipName(
              `证据-${fileNameOf(record.number)}.zip`,
              `evidence-${record.series.replace(/[^A-Za-z0-9]/g, '') || 'letter'}-${record.year}-${record.seq}.zip`,
            ),
          })
          .type('application/zip')
          .send(zip);
      }),
    );

    // A batch's evidence: one folder per letter, named by its number (at most 50 letters, 200 MB).
    app.post(
      '/v1/evidence',
      ...h.requireScope('read'),
      h.limit,
      ...h.jsonBody,
      h.wrap(async (req, res) => {
        const body = req.body as { letters?: unknown } | null;
        const { records, zip } = await evidence.forLetters(
          body && typeof body === 'object' ? body.letters : undefined,
          callerOf(res).orgId,
        );
        res
          .set({
            'Content-Disposition': zipName(
              `证据-${records.length}封函件.zip`,
              `evidence-${records.length}-letters.zip`,
            ),
          })
          .type('application/zip')
          .send(zip);
      }),
    );

    app.get(
      '/v1/letters/:id/events',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        const letter = await letters.get(String(req.params.id), callerOf(res).orgId);
        const st = (await letterStatuses(history, [letter])).get(letter.id)!;
        res.json({
          state: st.delivery,
          events: st.events,
          letterState: st.status,
          letterStateLabel: st.label,
          paid: fenToYuan(st.paidFen),
          outstanding: fenToYuan(st.outstandingFen),
        });
      }),
    );

    app.post(
      '/v1/letters/:id/void',
      ...h.requireScope('void'),
      h.limit,
      ...h.jsonBody,
      h.wrap(async (req, res) => {
        const caller = callerOf(res);
        const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
        res.json(
          view(await letters.void(String(req.params.id), { orgId: caller.orgId, actor: caller.keyId, reason }), false),
        );
      }),
    );
  };
}

function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

function decodeCursor(c: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as [string, string];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {
    /* answered below */
  }
  throw new HanjianError({
    code: 'INVALID_INPUT',
    category: 'invalid_input',
    path: 'cursor',
    zh: '分页游标无效',
    en: 'invalid cursor',
  });
}
