/**
 * The debtor's pages (issue 29 §4): the verification page the QR code opens — the verdict and
 * public facts, the forms on it (choosing a repayment plan; dispute or hardship) — the page to
 * type a plan's one-time code on, the receipt of a dispute, the page a person who types the
 * printed address gets, and the error page. Made for a phone first (readable at 360 px, inputs
 * at 16 px so no browser zooms), in the workspace's colours and type (debtor-style.ts), in
 * Chinese only: hashes, certificate names and timestamps stay inside a closed 技术细节.
 * Everything shown is HTML-escaped; nothing here reads the registry.
 */

import { fenToFigures, kindTitle, type PlanSchedule, yuanToFigures } from '../pipeline/index.js';
import { beijingTime } from '../pipeline/schema/dates.js';
import type { PublicSignature } from '../signing/signature.js';
import { DEBTOR_STYLE } from './debtor-style.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export type Facts =
  | {
      valid: true;
      kind: string;
      sender: string;
      issueDate: string;
      debtor: string;
      total: string;
      pdfSha256: string;
      signature: PublicSignature | null;
    }
  | { valid: false; status?: 'void'; voidedOn?: string };

/** The plan part of the page: the options to choose from, or the plan already chosen. */
export type PlanView =
  | {
      state: 'open';
      options: PlanSchedule[];
      acceptUntil: string;
      /** The number the code goes to, masked; null: none on file. */
      phone: string | null;
      /** Whether codes can be sent at all (an SMS sender is configured). */
      online: boolean;
    }
  | { state: 'accepted'; terms: number; acceptedOn: string; confirmation: { number: string; url: string } | null }
  | { state: 'expired'; acceptUntil: string };

/** The pages' one style sheet: inline (a public page must not depend on the workspace being mounted), allowed by its hash in the CSP. */
export const PAGE_STYLE = DEBTOR_STYLE;

function head(title: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style></head><body><header class="bar"><span class="seal" aria-hidden="true">函</span><span>函件核验</span></header><main>`;
}

const FOOT =
  '</main><footer class="foot">本页面由函件出具方的核验系统提供，时间均为北京时间。<br>请勿向函件和本页面以外的账户付款。</footer></body></html>';

const page = (title: string, body: string) => `${head(title)}${body}${FOOT}`;

const dateText = (iso: string) =>
  `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;

/** An instant in Beijing time, in Chinese: 2026年12月7日 18:56. */
function momentText(iso: string): string {
  const t = beijingTime(iso); // "2026-12-07 18:56:51（北京时间）"
  return /^\d{4}-\d\d-\d\d \d\d:\d\d/.test(t) ? `${dateText(t.slice(0, 10))} ${t.slice(11, 16)}` : iso;
}

function hidden(number: string, code: string, csrf: string): string {
  return `<input type="hidden" name="number" value="${escapeHtml(number)}"><input type="hidden" name="code" value="${escapeHtml(code)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}

const facts = (rows: [string, string, string?][]) =>
  `<dl class="facts">${rows.map(([k, v, cls]) => `<dt>${escapeHtml(k)}</dt><dd${cls ? ` class="${cls}"` : ''}>${escapeHtml(v)}</dd>`).join('')}</dl>`;

const verifyHref = (number: string, code: string) =>
  `/v1/verify?${escapeHtml(new URLSearchParams({ number, code }).toString())}`;

function instalmentTable(o: PlanSchedule): string {
  const rows = o.instalments
    .map(
      (i) =>
        `<tr><td>第 ${i.no} 期</td><td>${escapeHtml(dateText(i.dueDate))}</td><td class="n">${fenToFigures(i.amount)}</td></tr>`,
    )
    .join('');
  return `<details class="schedule"><summary>各期还款日和金额</summary><table><thead><tr><th>期次</th><th>还款日</th><th class="n">金额（元）</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function planSection(number: string, code: string, csrf: string, plan: PlanView | null): string {
  if (!plan) return '';
  if (plan.state === 'accepted') {
    const c = plan.confirmation
      ? `<p><a class="button" href="${escapeHtml(plan.confirmation.url)}">查看还款计划确认函 ${escapeHtml(plan.confirmation.number)}</a></p>`
      : '<p>还款计划确认函正在出具。</p>';
    return `<section class="card" id="plan"><h2>分期还款方案</h2><p class="alert ok">您已于 ${escapeHtml(dateText(plan.acceptedOn))} 选择分 ${plan.terms} 期还款。</p>${c}</section>`;
  }
  if (plan.state === 'expired')
    return `<section class="card" id="plan"><h2>分期还款方案</h2><p>该函件所附方案的选择期限已于 ${escapeHtml(dateText(plan.acceptUntil))} 届满。如需分期，请通过债权人官方渠道联系。</p></section>`;
  const options = plan.options
    .map((o) => {
      // The debtor chooses here: the cost of each option is stated beside it, as in the letter's attachment.
      const cost =
        o.rateBp > 0
          ? `应还总额 ${fenToFigures(o.total)} 元，其中利息（方案成本）${fenToFigures(o.cost)} 元（年利率 ${o.rateBp / 100}%），各期金额不同`
          : `每期 ${fenToFigures(o.instalments[0]!.amount)} 元，最后一期 ${fenToFigures(o.instalments.at(-1)!.amount)} 元，分期期间不另计逾期利息`;
      return `<div class="option"><label class="choice"><input type="radio" name="terms" value="${o.terms}" required><span><b>分 ${o.terms} 期</b><br><span class="small">${cost}</span></span></label>${instalmentTable(o)}</div>`;
    })
    .join('');
  const offline = !plan.online
    ? '<p class="alert warn">本服务暂不能发送短信验证码，无法在线确认方案。如需分期，请通过债权人官方渠道联系。</p>'
    : !plan.phone
      ? '<p class="alert warn">该函件未登记您的手机号，无法在线确认方案。如需分期，请通过债权人官方渠道联系。</p>'
      : '';
  const button = offline
    ? ''
    : `<p class="small">确认方案需验证身份：验证码将以短信发送至合同预留的手机号 ${escapeHtml(plan.phone!)}。</p>
<button type="submit" class="primary">获取短信验证码</button>`;
  return `<section class="card" id="plan"><h2>选择分期还款方案</h2>
<p class="small">以下为函件附件所列方案，请于 ${escapeHtml(dateText(plan.acceptUntil))} 前选择。选择后，债权人将出具还款计划确认函；按计划按期还款期间，不会就该合同再向您发出催收函件。</p>
<form method="post" action="/v1/verify/plans/code">${hidden(number, code, csrf)}
${options}
${offline}${button}
</form></section>`;
}

function technical(f: Extract<Facts, { valid: true }>): string {
  const rows: [string, string, string?][] = [['文件 SHA-256', f.pdfSha256, 'mono']];
  if (f.signature) {
    rows.push(['签名证书', f.signature.subject]);
    rows.push(['证书有效期', `${momentText(f.signature.notBefore)} 至 ${momentText(f.signature.notAfter)}`]);
    rows.push(['签名时间', beijingTime(f.signature.signedAt)]);
    if (f.signature.timestamp)
      rows.push([
        'RFC 3161 时间戳',
        `${beijingTime(f.signature.timestamp.at)}（时间戳服务：${f.signature.timestamp.tsa}）`,
      ]);
  }
  return `<details class="tech"><summary>技术细节</summary>${facts(rows)}<p class="small">核对方法：计算您收到的函件 PDF 文件的 SHA-256 值，应与上列一致；电子签名可用 PDF 阅读器查看。</p></details>`;
}

export function verifyPage(number: string, code: string, f: Facts, csrf: string, plan: PlanView | null): string {
  if (!f.valid) {
    const verdict =
      f.status === 'void'
        ? // The number carries its own brackets (（2026）京某律函字第0130号): it is not put in another pair.
          `<p class="alert bad">✗ 函号为 ${escapeHtml(number)} 的函件已于 ${escapeHtml(f.voidedOn ? dateText(f.voidedOn) : '')} 由出具方作废，不再有效。如有疑问，请通过债权人官方渠道联系。</p>`
        : '<p class="alert bad">✗ 未找到与该函号和核验码相符的函件。请勿向函件中的账户付款，并通过债权人官方渠道核实。</p>';
    return page(
      '函件核验',
      `<h1>函件真伪核验</h1>${verdict}<p><a class="button" href="/v1/verify">重新输入函号和核验码</a></p>`,
    );
  }
  const summary = facts([
    ['函号', number],
    ['种类', kindTitle(f.kind)],
    ['出具方', f.sender],
    ['出具日期', dateText(f.issueDate)],
    ['收函人', f.debtor],
    ['欠款合计', `${yuanToFigures(f.total)} 元`, 'amount'],
    ['电子签名', f.signature ? '有（出具方已加电子签名）' : '无'],
  ]);
  const respond = `<section class="card" id="respond"><h2>对欠款有异议，或需要困难帮扶？</h2>
<form method="post" action="/v1/verify/responses">${hidden(number, code, csrf)}
<label class="choice"><input type="radio" name="type" value="dispute" required><span>对欠款有异议</span></label>
<label class="choice"><input type="radio" name="type" value="hardship"><span>申请困难帮扶</span></label>
<label for="text">说明（500 字以内）</label><textarea id="text" name="text" maxlength="500" rows="5" required></textarea>
<label for="contact">联系方式（可选）</label><input id="contact" name="contact" maxlength="50" autocomplete="tel">
<button type="submit" class="primary">提交给债权人</button>
<p class="small">提交后会得到一个受理编号。债权人处理完毕前，不会就该合同再向您发函。您的说明只提供给债权人，不会转告任何第三方。</p>
</form></section>`;
  return page(
    '函件核验',
    `<h1>函件真伪核验</h1>
<p class="alert ok">✓ 该函件由本系统出具。请核对您收到的函件与下列信息是否一致。</p>
<section class="card">${summary}${technical(f)}</section>
${planSection(number, code, csrf, plan)}
${respond}`,
  );
}

/** The page to type the one-time code on, for the option chosen (after it was sent, or after a wrong code). */
export interface CodeView {
  number: string;
  code: string;
  csrf: string;
  terms: number;
  option: PlanSchedule | null;
  /** The number the code went to, masked. */
  to: string;
  expiresAt?: string;
  /** What went wrong with the last code typed (shown as an error), or a note (e.g. asked again too soon). */
  problem?: string;
  notice?: string;
}

export function codePage(v: CodeView): string {
  const o = v.option;
  const chosen = o
    ? facts([
        ['方案', `分 ${o.terms} 期`],
        ['应还合计', `${fenToFigures(o.total)} 元`, 'amount'],
        ['第 1 期', `${dateText(o.instalments[0]!.dueDate)}，${fenToFigures(o.instalments[0]!.amount)} 元`],
      ])
    : facts([['方案', `分 ${v.terms} 期`]]);
  const until = v.expiresAt ? `请于 ${escapeHtml(momentText(v.expiresAt).slice(-5))} 前输入（10 分钟内有效）。` : '';
  const terms = `<input type="hidden" name="terms" value="${escapeHtml(String(v.terms))}">`;
  return page(
    '确认分期还款方案',
    `<h1>确认分期还款方案</h1>
${v.problem ? `<p class="alert bad">${escapeHtml(v.problem)}</p>` : ''}${v.notice ? `<p class="alert warn">${escapeHtml(v.notice)}</p>` : ''}
<section class="card"><h2>您选择的方案</h2>${chosen}</section>
<section class="card"><p>验证码已通过短信发送至合同预留的手机号 <b>${escapeHtml(v.to)}</b>。${until}</p>
<form method="post" action="/v1/verify/plans">${hidden(v.number, v.code, v.csrf)}${terms}
<label for="smsCode">短信验证码</label><input id="smsCode" name="smsCode" class="otp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
<button type="submit" class="primary">确认接受此方案</button>
<p class="small">确认即表示您接受上述分期还款方案。确认的时间、所用设备的网络地址和浏览器信息、验证码的发送记录将被保存，作为您本人确认的记录。</p>
</form>
<form method="post" action="/v1/verify/plans/code">${hidden(v.number, v.code, v.csrf)}${terms}
<button type="submit">没有收到？重新获取验证码</button>
</form></section>
<p><a href="${verifyHref(v.number, v.code)}">返回核验页面，选择其他方案</a></p>`,
  );
}

/** For a person who typed the printed address: ask for the number and the code printed beside the QR code. */
export function askPage(problem: string | null, number = '', code = ''): string {
  const note = problem ? `<p class="alert bad">${escapeHtml(problem)}</p>` : '';
  return page(
    '函件核验',
    `<h1>函件真伪核验</h1>${note}<section class="card"><p>请输入函件上印制的函号和核验码（位于二维码旁）。</p>
<form method="get" action="/v1/verify">
<label for="number">函号</label><input id="number" name="number" maxlength="80" required value="${escapeHtml(number)}" placeholder="例如：（2026）京某律函字第0128号">
<label for="code">核验码</label><input id="code" name="code" maxlength="20" required value="${escapeHtml(code)}" autocomplete="off" autocapitalize="characters">
<button type="submit" class="primary">核验</button>
</form></section>`,
  );
}

export function donePage(title: string, message: string, extra = ''): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="alert ok">${escapeHtml(message)}</p>${extra}`);
}

/** The receipt of a dispute or hardship request: the number to read out on the phone, large. */
export function receiptPage(r: { type: 'dispute' | 'hardship'; receiptNo: string; existing: boolean }): string {
  const what = r.type === 'dispute' ? '异议' : '困难帮扶申请';
  const message = r.existing
    ? `您此前就该合同提交的${what}仍在处理中，本次未重复登记。处理完毕前，不会就该合同再向您发函；如需补充说明，请直接联系债权人。`
    : `您的${what}已提交给债权人。处理完毕前，不会就该合同再向您发函。`;
  return page(
    r.existing ? '已在处理中' : '已收到',
    `<h1>${r.existing ? '已在处理中' : '已收到'}</h1><p class="alert ok">${escapeHtml(message)}</p>
<section class="card receipt"><p class="label">受理编号</p><p class="receipt-no">${escapeHtml(r.receiptNo)}</p>
<p class="small">请记下或截图保存此编号。向债权人查询处理进度时，报出这 9 位数字即可。</p></section>`,
  );
}

/** An error on the debtor's side, for a person: the reason in Chinese and the way back to the page. */
export function errorPage(status: number, reasons: string[], back: string): string {
  const title =
    status === 429 ? '请求过于频繁' : status === 413 ? '提交的内容过长' : status === 403 ? '表单已过期' : '无法提交';
  const list =
    reasons.length > 1
      ? `<ul class="alert bad">${reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
      : `<p class="alert bad">${escapeHtml(reasons[0] ?? '请求无法处理。')}</p>`;
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>${list}<p><a class="button" href="${escapeHtml(back)}">返回核验页面</a></p>`,
  );
}
