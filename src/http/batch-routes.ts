/** Batches over HTTP: post a JSON-lines body or an XLSX sheet, follow its progress, list its failed rows, download its archive. */
import type express from 'express';
import type { Request, Response } from 'express';
import { EVIDENCE_LIMITS } from '../delivery/evidence-package.js';
import type { Evidence } from '../history/evidence.js';
import { DEFAULT_LIMITS, type SheetLimits } from '../imports/index.js';
import type { BatchMode } from '../jobs/batches/batch-store.js';
import type { Batches, CreateOptions } from '../jobs/batches/batches.js';
import { type CallbackPolicy, checkCallbackUrl } from '../jobs/batches/callback.js';
import { type SheetParams, XLSX_TYPE } from '../jobs/batches/sheet.js';
import type { Caller } from '../orgs/model.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { HanjianError } from '../shared/errors.js';
import { type Spooled, spool } from './spool.js';

/** The media types of JSON lines in use. */
export const JSON_LINES_TYPES = [
  'application/x-ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/json-lines',
];

/**
 * An XLSX upload is read whole (a ZIP's directory is at its end), so it gets tighter bounds
 * than a streamed JSON-lines body: the file, and what its parts may inflate to.
 */
export const SHEET_LIMITS: SheetLimits = {
  ...DEFAULT_LIMITS,
  maxFileBytes: 16 * 1024 * 1024,
  maxUnzippedBytes: 200 * 1024 * 1024,
  maxRows: 100_000,
};

export interface BatchRouteOptions {
  bodyLimitBytes: number;
  /** The evidence packages (GET /v1/batches/:id/evidence). */
  evidence: Evidence;
  callbacks: CallbackPolicy & { secret?: string };
}

const callerOf = (res: Response) => res.locals.caller as Caller;
const invalid = (code: string, path: string, zh: string, en: string) =>
  new HanjianError({ code, category: 'invalid_input', path, zh, en });

/** The body as it arrives, cut off (413) past the limit, whatever Content-Length claimed. */
async function* bounded(req: Request, limit: number): AsyncGenerator<Buffer> {
  let seen = 0;
  const chunks = (req as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } catch (cause) {
      // The client went away mid-body: the batch is dropped; not a failure of the service.
      throw new HanjianError({
        code: 'BAD_REQUEST',
        category: 'invalid_input',
        path: 'body',
        zh: '请求体未完整收到',
        en: 'the body was cut off before its end',
        cause,
      });
    }
    if (next.done) return;
    seen += next.value.length;
    if (seen > limit)
      throw new HanjianError({
        code: 'BODY_TOO_LARGE',
        category: 'invalid_input',
        path: 'body',
        zh: `批量请求体超过 ${limit} 字节`,
        en: `the batch body exceeds ${limit} bytes`,
      });
    yield next.value;
  }
}

async function readAll(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c);
  return Buffer.concat(chunks);
}

/** The query parameters of a spreadsheet batch; anything but a single string is absent (and then refused by name if required). */
function sheetParams(q: Record<string, unknown>): SheetParams {
  const one = (name: string) => (typeof q[name] === 'string' ? (q[name] as string) : undefined);
  return {
    kind: one('kind'),
    engagement: one('engagement'),
    bank: one('bank'),
    accountNo: one('accountNo'),
    online: one('online'),
    demandDays: one('demandDays'),
    delivery: one('delivery'),
    contractType: one('contractType'),
    columns: one('columns'),
  };
}

async function createFromSpool(batches: Batches, caller: Caller, opts: CreateOptions, body: Spooled) {
  try {
    return await batches.create(caller, opts, body.read());
  } finally {
    await body.remove();
  }
}

export function batchRoutes(batches: Batches, o: BatchRouteOptions) {
  return (app: express.Express, h: RouteHelpers): void => {
    app.post(
      '/v1/batches',
      h.authenticate,
      h.limit,
      h.wrap(async (req, res) => {
        const q = req.query as Record<string, unknown>;
        const mode = (q.mode ?? 'issue') as BatchMode;
        if (mode !== 'issue' && mode !== 'request')
          throw invalid('INVALID_INPUT', 'mode', 'mode 只能是 issue 或 request', 'mode must be issue or request');
        const scopes = callerOf(res).scopes;
        if (scopes && (mode === 'issue' ? ![...scopes].some((s) => s.startsWith('issue:')) : !scopes.has('request'))) {
          throw new HanjianError({
            code: 'FORBIDDEN',
            category: 'forbidden',
            zh: `此密钥没有${mode === 'issue' ? ' issue:<kind>' : ' request'} 权限`,
            en: `this key lacks the ${mode === 'issue' ? 'issue:<kind>' : 'request'} scope a batch of mode=${mode} needs`,
          });
        }
        const sheet = Boolean(req.is(XLSX_TYPE));
        if (!sheet && !req.is(JSON_LINES_TYPES))
          throw new HanjianError({
            code: 'UNSUPPORTED_MEDIA_TYPE',
            category: 'invalid_input',
            path: 'content-type',
            zh: '批量请求体须为 JSON lines（application/x-ndjson，每行一个对象）或 XLSX 表格',
            en: `a batch body is JSON lines (application/x-ndjson), one object per line, or an XLSX sheet (${XLSX_TYPE})`,
          });
        const charset = /charset=([^;\s]+)/i
          .exec(req.get('content-type') ?? '')?.[1]
          ?.replace(/"/g, '')
          .toLowerCase();
        if (!sheet && charset && charset !== 'utf-8' && charset !== 'utf8')
          throw new HanjianError({
            code: 'UNSUPPORTED_MEDIA_TYPE',
            category: 'invalid_input',
            path: 'content-type',
            zh: '批量请求体须为 UTF-8 编码',
            en: 'a batch body must be UTF-8',
          });
        const encoding = (req.get('content-encoding') ?? 'identity').toLowerCase();
        if (encoding !== 'identity')
          throw new HanjianError({
            code: 'UNSUPPORTED_MEDIA_TYPE',
            category: 'invalid_input',
            path: 'content-encoding',
            zh: '不支持压缩的请求体',
            en: 'a compressed body is not supported',
          });
        const limit = sheet ? Math.min(o.bodyLimitBytes, SHEET_LIMITS.maxFileBytes) : o.bodyLimitBytes;
        const declared = Number(req.get('content-length'));
        if (declared > limit)
          throw new HanjianError({
            code: 'BODY_TOO_LARGE',
            category: 'invalid_input',
            path: 'body',
            zh: `批量请求体超过 ${limit} 字节`,
            en: `the batch body exceeds ${limit} bytes`,
          });
        const key = req.get('idempotency-key') ?? null;
        if (key !== null && (key.length < 1 || key.length > 200))
          throw invalid(
            'IDEMPOTENCY_KEY_INVALID',
            'Idempotency-Key',
            '幂等键长度应为 1–200',
            'the idempotency key must be 1–200 characters',
          );
        let callbackUrl: string | null = null;
        if (typeof q.callbackUrl === 'string' && q.callbackUrl) {
          if (!o.callbacks.secret)
            throw invalid(
              'CALLBACK_NOT_CONFIGURED',
              'callbackUrl',
              '服务未配置回调签名密钥（HANJIAN_BATCH_CALLBACK_SECRET），不能发送完成回调',
              'completion callbacks need a signing secret on the service (HANJIAN_BATCH_CALLBACK_SECRET)',
            );
          callbackUrl = checkCallbackUrl(q.callbackUrl, o.callbacks);
        }
        const opts = { mode, callbackUrl, idempotencyKey: key };
        const { batch, created } = sheet
          ? await batches.createFromSheet(
              callerOf(res),
              opts,
              await readAll(bounded(req, limit)),
              sheetParams(q),
              SHEET_LIMITS,
            )
          : await createFromSpool(batches, callerOf(res), opts, await spool(bounded(req, limit)));
        const progress = await batches.progress(batch.id, batch.orgId);
        res
          .status(created ? 202 : 200)
          .set('Location', `/v1/batches/${batch.id}`)
          .json({ ...progress, replayed: !created });
      }),
    );

    app.get(
      '/v1/batches/:id',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        res.json(await batches.progress(String(req.params.id), callerOf(res).orgId));
      }),
    );

    app.get(
      '/v1/batches/:id/errors',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        const q = req.query as Record<string, unknown>;
        const int = (name: string, def: number, min: number, max: number) => {
          const v = q[name] === undefined || q[name] === '' ? def : Number(q[name]);
          if (!Number.isInteger(v) || v < min || v > max)
            throw invalid(
              'INVALID_INPUT',
              name,
              `${name} 应为 ${min}–${max} 的整数`,
              `${name} must be an integer from ${min} to ${max}`,
            );
          return v;
        };
        const page = await batches.failures(
          String(req.params.id),
          callerOf(res).orgId,
          int('after', 0, 0, 10_000_000),
          int('limit', 100, 1, 1_000),
        );
        res.json(page);
      }),
    );

    // The evidence of the batch's letters: a folder per letter, as POST /v1/evidence (at most 50 letters).
    app.get(
      '/v1/batches/:id/evidence',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        const caller = callerOf(res);
        const batch = await batches.finishedBatch(String(req.params.id), caller.orgId);
        const ids = await batches.letterIds(batch, caller, EVIDENCE_LIMITS.lettersPerBatch);
        if (!ids.length)
          throw new HanjianError({
            code: 'NOT_FOUND',
            category: 'not_found',
            path: 'id',
            zh: '该批次没有出具的函件',
            en: 'the batch issued no letter',
          });
        const { zip } = await o.evidence.forLetters(ids, caller.orgId);
        res
          .set({ 'Content-Disposition': `attachment; filename="evidence-batch-${batch.id}.zip"` })
          .type('application/zip')
          .send(zip);
      }),
    );

    app.get(
      '/v1/batches/:id/archive',
      ...h.requireScope('read'),
      h.limit,
      h.wrap(async (req, res) => {
        const caller = callerOf(res);
        const batch = await batches.finishedBatch(String(req.params.id), caller.orgId);
        res.status(200).set({
          'Content-Type': 'application/zip',
          'Content-Disposition': `attachment; filename="batch-${batch.id}.zip"`,
        });
        try {
          await batches.archive(batch, caller, res);
        } catch {
          // The headers are gone: the only honest answer left is a cut connection, never a complete-looking ZIP.
          res.destroy();
        }
      }),
    );
  };
}
