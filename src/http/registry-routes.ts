/** The registry's HTTP routes: issue (idempotent), read, fetch the PDF, and the public verification. */
import type express from 'express';
import type { Request, Response } from 'express';
import type { Caller } from '../org/model.js';
import { HanjianError, invalidInput } from '../errors.js';
import { fenToYuan, LETTER_KINDS, validate, yuanToFigures } from '../letters.js';
import type { Admission } from './admission.js';
import type { PublicSignature, Registry } from '../registry/registry.js';
import type { RouteHelpers } from './app.js';
import type { Metrics } from './metrics.js';

export function registryRoutes(registry: Registry, metrics: Metrics, admission: Admission) {
  return (app: express.Express, h: RouteHelpers): void => {
    const issueScope = (req: Request) => `issue:${req.body.kind as string}`;
    // The scope depends on the kind, so a body without a valid kind is answered as invalid input (422), not as a missing scope.
    const knownKind: express.RequestHandler = (req, _res, next) => {
      const body = req.body as unknown;
      const kind = body && typeof body === 'object' && !Array.isArray(body) ? (body as { kind?: unknown }).kind : undefined;
      if (typeof kind === 'string' && (LETTER_KINDS as readonly string[]).includes(kind)) return next();
      const r = validate(req.body);
      next(invalidInput(r.ok ? [] : r.issues));
    };

    app.post('/v1/letters', h.authenticate, h.limit, ...h.jsonBody, knownKind, h.needScope(issueScope), h.wrap(async (req, res) => {
      const key = req.get('idempotency-key');
      if (!key) throw new HanjianError({ code: 'IDEMPOTENCY_KEY_REQUIRED', category: 'invalid_input', path: 'Idempotency-Key', zh: '出具函件需要 Idempotency-Key 请求头，以便安全重试', en: 'issuing needs an Idempotency-Key header so that retries are safe' });
      const caller = callerOf(res);
      if (req.body.kind !== 'lawyer-letter' && registry.orgs.org(caller.orgId).reviewOwnLetters) {
        throw new HanjianError({ code: 'REVIEW_REQUIRED', category: 'forbidden', path: 'kind', zh: '本机构已开启函件审核：请通过 POST /v1/letter-requests 提交', en: 'this organisation reviews its letters before issuing: use POST /v1/letter-requests' });
      }
      const { record, replayed } = await admission.run(() => registry.issue(req.body, { idempotencyKey: key, requester: caller.keyId, orgId: caller.orgId }));
      if (!replayed) metrics.letter(record.kind, 'issue');
      res.status(replayed ? 200 : 201).set('Location', `/v1/letters/${record.id}`).json(view(record, replayed));
    }));

    app.get('/v1/letters', ...h.requireScope('read'), h.limit, h.wrap(async (req, res) => {
      const q = req.query as Record<string, unknown>;
      const str = (k: string) => (typeof q[k] === 'string' && q[k] ? (q[k] as string).slice(0, 100) : undefined);
      const status = str('status');
      if (status && status !== 'issued' && status !== 'void') throw new HanjianError({ code: 'INVALID_INPUT', category: 'invalid_input', path: 'status', zh: 'status 只能是 issued 或 void', en: 'status must be issued or void' });
      const cursor = str('cursor');
      const after = cursor ? decodeCursor(cursor) : undefined;
      const limit = Math.min(Number(str('limit') ?? 50) || 50, 200);
      const rows = await registry.list({ orgId: callerOf(res).orgId, contractNo: str('contractNo'), status: status as 'issued' | 'void' | undefined, from: str('from'), to: str('to'), after, limit });
      const last = rows.at(-1);
      res.json({ letters: rows.map((r) => view(r, false)), next: rows.length === limit && last ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null });
    }));

    app.get('/v1/letters/:id', ...h.requireScope('read'), h.limit, h.wrap(async (req, res) => {
      res.json(view(await registry.get(String(req.params.id), callerOf(res).orgId), false));
    }));

    app.get('/v1/letters/:id/pdf', ...h.requireScope('read'), h.limit, h.wrap(async (req, res) => {
      const { record, pdf } = await registry.pdf(String(req.params.id), callerOf(res).orgId);
      res.set({ 'X-Letter-Sha256': record.pdfSha256, 'Content-Disposition': `inline; filename="${record.id}.pdf"` }).type('application/pdf').send(pdf);
    }));

    app.post('/v1/letters/:id/void', ...h.requireScope('void'), h.limit, ...h.jsonBody, h.wrap(async (req, res) => {
      const caller = callerOf(res);
      const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
      res.json(view(await registry.void(String(req.params.id), { orgId: caller.orgId, actor: caller.keyId, reason }), false));
    }));

    app.get('/v1/verify', h.publicLimit, h.wrap(async (req, res) => {
      const number = typeof req.query.number === 'string' ? req.query.number : '';
      const code = typeof req.query.code === 'string' ? req.query.code : '';
      if (!number || !code || number.length > 80 || code.length > 20) {
        throw new HanjianError({ code: 'VERIFY_QUERY', category: 'invalid_input', path: 'number', zh: '需要 number 和 code 两个查询参数', en: 'the number and code query parameters are required' });
      }
      // Public: whether it exists, kind, sender, issue date, masked debtor, total, PDF sha256 — nothing more.
      const r = await registry.verify(number, code);
      const facts = r.valid ? { valid: true as const, kind: r.kind, sender: r.sender, issueDate: r.issueDate, debtor: r.debtor, total: r.total, pdfSha256: r.pdfSha256, signature: r.signature } : 'status' in r ? { valid: false as const, status: r.status, voidedOn: r.voidedOn } : { valid: false as const };
      res.set('Cache-Control', 'no-store');
      // A person who scans the QR code gets a page; the collections system gets JSON.
      if (req.accepts(['application/json', 'text/html']) === 'text/html') res.type('text/html').send(verifyPage(number, facts));
      else res.json(facts);
    }));
  };
}

const KIND_NAMES: Record<string, string> = { reminder: '还款提醒函', demand: '逾期催告函', 'lawyer-letter': '律师函' };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function verifyPage(number: string, f: { valid: true; kind: string; sender: string; issueDate: string; debtor: string; total: string; pdfSha256: string; signature: PublicSignature | null } | { valid: false; status?: 'void'; voidedOn?: string }): string {
  const signed = f.valid && f.signature ? [['电子签名', `${f.signature.subject}（证书有效期 ${f.signature.notBefore} 至 ${f.signature.notAfter}）`]] : [];
  const rows = f.valid
    ? [['函号', number], ['种类', KIND_NAMES[f.kind] ?? f.kind], ['出具方', f.sender], ['出具日期', f.issueDate], ['收函人', f.debtor], ['欠款合计', `${yuanToFigures(f.total)} 元`], ['文件 SHA-256', f.pdfSha256], ...signed]
        .map(([k, v]) => `<tr><th>${escapeHtml(k!)}</th><td>${escapeHtml(v!)}</td></tr>`).join('')
    : '';
  const verdict = f.valid
    ? '<p class="ok">✓ 该函件由本系统出具，信息如下。请核对您收到的函件内容是否一致。</p>'
    : f.status === 'void'
      ? `<p class="bad">✗ 该函件（${escapeHtml(number)}）已于 ${escapeHtml(f.voidedOn ?? '')} 由出具方作废，不再有效。如有疑问，请通过债权人官方渠道联系。</p>`
      : '<p class="bad">✗ 未找到与该函号和核验码相符的函件。请勿向函件中的账户付款，并通过债权人官方渠道核实。</p>';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>函件核验</title>
<style>body{font-family:serif;max-width:40em;margin:2em auto;padding:0 1em}th{text-align:left;padding-right:1em;white-space:nowrap}td{word-break:break-all}.ok{color:#1a6b1a}.bad{color:#b5121b}</style></head>
<body><h1>函件真伪核验</h1>${verdict}<table>${rows}</table></body></html>`;
}

function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

function decodeCursor(c: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as [string, string];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch { /* answered below */ }
  throw new HanjianError({ code: 'INVALID_INPUT', category: 'invalid_input', path: 'cursor', zh: '分页游标无效', en: 'invalid cursor' });
}

export function view(r: Awaited<ReturnType<Registry['get']>>, replayed: boolean) {
  return {
    id: r.id, number: r.number, kind: r.kind, template: r.template, sender: r.sender, issueDate: r.issueDate,
    debtor: r.debtorMasked, total: fenToYuan(r.totalFen), totalFen: r.totalFen, inputSha256: r.inputSha256, pdfSha256: r.pdfSha256, pdfSize: r.pdfSize,
    verifyCode: r.verifyCode, verifyUrl: r.verifyUrl, requester: r.requester, createdAt: r.createdAt, replayed,
    status: r.status, voidedOn: r.voidedOn, voidReason: r.voidReason, contractNo: r.contractNo, requestId: r.requestId,
    pdf: `/v1/letters/${r.id}/pdf`, signature: r.signature ? { subject: r.signature.subject, issuer: r.signature.issuer, notBefore: r.signature.notBefore, notAfter: r.signature.notAfter, signedAt: r.signature.signedAt } : null,
  };
}
