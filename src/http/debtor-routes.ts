/**
 * The debtor's side of the service, public and rate-limited: the verification page the QR code
 * opens (is this letter genuine?), and on it two short forms — dispute the amount, or ask for
 * hardship help. Forms carry a CSRF token (double submit: a random cookie, SameSite=Strict,
 * and the same value in the form); everything shown is HTML-escaped.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request } from 'express';
import { HanjianError } from '../errors.js';
import { yuanToFigures } from '../letters.js';
import type { PublicSignature, Registry } from '../registry/registry.js';
import { Disputes } from '../workflow/disputes.js';
import type { RouteHelpers } from './app.js';

const KIND_NAMES: Record<string, string> = { reminder: '还款提醒函', demand: '逾期催告函', 'lawyer-letter': '律师函' };
const CSRF_COOKIE = 'hj_csrf';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

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
    throw new HanjianError({ code: 'VERIFY_QUERY', category: 'invalid_input', path: 'number', zh: '需要 number 和 code 两个参数', en: 'the number and code parameters are required' });
  }
  return { number: n, code: c };
}

type Facts = { valid: true; kind: string; sender: string; issueDate: string; debtor: string; total: string; pdfSha256: string; signature: PublicSignature | null } | { valid: false; status?: 'void'; voidedOn?: string };

const PAGE_HEAD = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>函件核验</title>
<style>body{font-family:serif;max-width:40em;margin:2em auto;padding:0 1em}th{text-align:left;padding-right:1em;white-space:nowrap}td{word-break:break-all}.ok{color:#1a6b1a}.bad{color:#b5121b}textarea,input{width:100%;box-sizing:border-box}fieldset{margin-top:1.5em}</style></head><body>`;

function verifyPage(number: string, code: string, f: Facts, csrf: string): string {
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
  const form = f.valid ? `
<fieldset><legend>对欠款有异议，或需要困难帮扶？</legend>
<form method="post" action="/v1/verify/responses">
<input type="hidden" name="number" value="${escapeHtml(number)}"><input type="hidden" name="code" value="${escapeHtml(code)}"><input type="hidden" name="csrf" value="${csrf}">
<p><label><input type="radio" name="type" value="dispute" required style="width:auto"> 对欠款有异议</label>
<label><input type="radio" name="type" value="hardship" style="width:auto"> 申请困难帮扶</label></p>
<p><label>说明（500 字以内）<textarea name="text" maxlength="500" rows="5" required></textarea></label></p>
<p><label>联系方式（可选）<input name="contact" maxlength="50"></label></p>
<p><button type="submit">提交给债权人</button></p>
<p><small>提交后，债权人处理完毕前不会就该合同再向您发函。您的说明只提供给债权人，不会转告任何第三方。</small></p>
</form></fieldset>` : '';
  return `${PAGE_HEAD}<h1>函件真伪核验</h1>${verdict}<table>${rows}</table>${form}</body></html>`;
}

export function debtorRoutes(registry: Registry) {
  const disputes = new Disputes(registry);
  return (app: express.Express, h: RouteHelpers): void => {
    app.get('/v1/verify', h.publicLimit, h.wrap(async (req, res) => {
      const { number, code } = queryOf(req.query.number, req.query.code);
      // Public: whether it exists, kind, sender, issue date, masked debtor, total, PDF sha256 — nothing more.
      const r = await registry.verify(number, code);
      const facts: Facts = r.valid ? { valid: true, kind: r.kind, sender: r.sender, issueDate: r.issueDate, debtor: r.debtor, total: r.total, pdfSha256: r.pdfSha256, signature: r.signature } : 'status' in r ? { valid: false, status: r.status, voidedOn: r.voidedOn } : { valid: false };
      res.set('Cache-Control', 'no-store');
      // A person who scans the QR code gets a page; the collections system gets JSON.
      if (req.accepts(['application/json', 'text/html']) !== 'text/html') return void res.json(facts);
      const csrf = randomBytes(18).toString('base64url');
      res.set('Set-Cookie', `${CSRF_COOKIE}=${csrf}; Path=/v1/verify; HttpOnly; SameSite=Strict${req.secure ? '; Secure' : ''}`);
      res.type('text/html').send(verifyPage(number, code, facts, csrf));
    }));

    // The forms are small: a few fields, 4 KB at most.
    const form = express.urlencoded({ extended: false, limit: 4096, parameterLimit: 8 });
    app.post('/v1/verify/responses', h.publicLimit, form, h.wrap(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const sent = typeof body.csrf === 'string' ? Buffer.from(body.csrf) : Buffer.alloc(0);
      const held = Buffer.from(cookie(req, CSRF_COOKIE) ?? '');
      if (!sent.length || sent.length !== held.length || !timingSafeEqual(sent, held)) {
        throw new HanjianError({ code: 'CSRF', category: 'forbidden', zh: '表单已过期，请重新打开核验页面后提交', en: 'the form has expired: open the verification page again and resubmit' });
      }
      const { number, code } = queryOf(body.number, body.code);
      const r = await registry.verify(number, code);
      if (!r.valid) throw new HanjianError({ code: 'LETTER_NOT_FOUND', category: 'not_found', zh: '没有与该函号和核验码相符的有效函件', en: 'no valid letter with that number and code' });
      const letter = (await registry.store.findByNumber(number.trim())).find((x) => x.pdfSha256 === r.pdfSha256)!;
      const { id } = await disputes.file(letter, body);
      if (req.accepts(['application/json', 'text/html']) === 'text/html') {
        res.status(201).type('text/html').send(`${PAGE_HEAD}<h1>已收到</h1><p class="ok">您的${body.type === 'dispute' ? '异议' : '困难帮扶申请'}已提交给债权人。处理完毕前，不会就该合同再向您发函。</p><p>编号：${escapeHtml(id)}</p></body></html>`);
      } else res.status(201).json({ id, status: 'open' });
    }));

    app.get('/v1/disputes', ...h.requireScope('read'), h.limit, h.wrap(async (req, res) => {
      const status = req.query.status === 'open' || req.query.status === 'resolved' ? req.query.status : undefined;
      res.json({ responses: await disputes.list(res.locals.caller, status) });
    }));

    app.post('/v1/disputes/:id/resolve', ...h.requireScope('request'), h.limit, ...h.jsonBody, h.wrap(async (req, res) => {
      res.json(await disputes.resolve(String(req.params.id), res.locals.caller, typeof req.body?.note === 'string' ? req.body.note : ''));
    }));
  };
}
