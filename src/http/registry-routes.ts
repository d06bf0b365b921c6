/** The registry's HTTP routes: issue (idempotent), read, fetch the PDF, and the public verification. */
import type express from 'express';
import type { Request } from 'express';
import { HanjianError } from '../errors.js';
import { fenToYuan, yuanToFigures } from '../letters.js';
import type { Registry } from '../registry/registry.js';
import type { RouteHelpers } from './app.js';
import type { Metrics } from './metrics.js';

export function registryRoutes(registry: Registry, metrics: Metrics) {
  return (app: express.Express, h: RouteHelpers): void => {
    const issueScope = (req: Request) => `issue:${typeof req.body?.kind === 'string' ? req.body.kind : 'unknown'}`;

    app.post('/v1/letters', h.authenticate, h.limit, ...h.jsonBody, h.needScope(issueScope), h.wrap(async (req, res) => {
      const key = req.get('idempotency-key');
      if (!key) throw new HanjianError({ code: 'IDEMPOTENCY_KEY_REQUIRED', category: 'invalid_input', path: 'Idempotency-Key', zh: '出具函件需要 Idempotency-Key 请求头，以便安全重试', en: 'issuing needs an Idempotency-Key header so that retries are safe' });
      const { record, replayed } = await registry.issue(req.body, { idempotencyKey: key, requester: res.locals.keyId });
      if (!replayed) metrics.letter(record.kind, 'issue');
      res.status(replayed ? 200 : 201).set('Location', `/v1/letters/${record.id}`).json(view(record, replayed));
    }));

    app.get('/v1/letters/:id', ...h.requireScope('read'), h.limit, h.wrap(async (req, res) => {
      res.json(view(await registry.get(String(req.params.id)), false));
    }));

    app.get('/v1/letters/:id/pdf', ...h.requireScope('read'), h.limit, h.wrap(async (req, res) => {
      const { record, pdf } = await registry.pdf(String(req.params.id));
      res.set({ 'X-Letter-Sha256': record.pdfSha256, 'Content-Disposition': `inline; filename="${record.id}.pdf"` }).type('application/pdf').send(pdf);
    }));

    app.get('/v1/verify', h.publicLimit, h.wrap(async (req, res) => {
      const number = typeof req.query.number === 'string' ? req.query.number : '';
      const code = typeof req.query.code === 'string' ? req.query.code : '';
      if (!number || !code || number.length > 80 || code.length > 20) {
        throw new HanjianError({ code: 'VERIFY_QUERY', category: 'invalid_input', path: 'number', zh: '需要 number 和 code 两个查询参数', en: 'the number and code query parameters are required' });
      }
      // Public: whether it exists, kind, sender, issue date, masked debtor, total, PDF sha256 — nothing more.
      const r = await registry.verify(number, code);
      const facts = r.valid ? { valid: true as const, kind: r.kind, sender: r.sender, issueDate: r.issueDate, debtor: r.debtor, total: r.total, pdfSha256: r.pdfSha256 } : r;
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

function verifyPage(number: string, f: { valid: true; kind: string; sender: string; issueDate: string; debtor: string; total: string; pdfSha256: string } | { valid: false }): string {
  const rows = f.valid
    ? [['函号', number], ['种类', KIND_NAMES[f.kind] ?? f.kind], ['出具方', f.sender], ['出具日期', f.issueDate], ['收函人', f.debtor], ['欠款合计', `${yuanToFigures(f.total)} 元`], ['文件 SHA-256', f.pdfSha256]]
        .map(([k, v]) => `<tr><th>${escapeHtml(k!)}</th><td>${escapeHtml(v!)}</td></tr>`).join('')
    : '';
  const verdict = f.valid
    ? '<p class="ok">✓ 该函件由本系统出具，信息如下。请核对您收到的函件内容是否一致。</p>'
    : '<p class="bad">✗ 未找到与该函号和核验码相符的函件。请勿向函件中的账户付款，并通过债权人官方渠道核实。</p>';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>函件核验</title>
<style>body{font-family:serif;max-width:40em;margin:2em auto;padding:0 1em}th{text-align:left;padding-right:1em;white-space:nowrap}td{word-break:break-all}.ok{color:#1a6b1a}.bad{color:#b5121b}</style></head>
<body><h1>函件真伪核验</h1>${verdict}<table>${rows}</table></body></html>`;
}

function view(r: Awaited<ReturnType<Registry['get']>>, replayed: boolean) {
  return {
    id: r.id, number: r.number, kind: r.kind, template: r.template, sender: r.sender, issueDate: r.issueDate,
    debtor: r.debtorMasked, total: fenToYuan(r.totalFen), totalFen: r.totalFen, inputSha256: r.inputSha256, pdfSha256: r.pdfSha256, pdfSize: r.pdfSize,
    verifyCode: r.verifyCode, verifyUrl: r.verifyUrl, requester: r.requester, createdAt: r.createdAt, replayed,
    pdf: `/v1/letters/${r.id}/pdf`,
  };
}
