/**
 * The verification page's HTML: the verdict and public facts, the forms on it (dispute or
 * hardship; choosing a repayment plan), and the page a person who types the printed address
 * gets (number and code). Everything shown is HTML-escaped; nothing here reads the registry.
 */

import { fenToFigures, kindTitle, type PlanSchedule, yuanToFigures } from '../pipeline/index.js';
import { beijingTime } from '../pipeline/schema/dates.js';
import type { PublicSignature } from '../signing/signature.js';

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

/**
 * The pages' one style sheet. It stays inline (a public page must not depend on the workspace
 * being mounted) and is allowed by its hash in the CSP: no other inline style or script runs.
 * Form controls that must not stretch carry the class `inline`, never a style attribute.
 */
export const PAGE_STYLE =
  'body{font-family:serif;max-width:40em;margin:2em auto;padding:0 1em}th{text-align:left;padding-right:1em;white-space:nowrap}td{word-break:break-all}.ok{color:#1a6b1a}.bad{color:#b5121b}textarea,input{width:100%;box-sizing:border-box}input.inline{width:auto}fieldset{margin-top:1.5em}table.plan td,table.plan th{padding:0 .8em 0 0}table.plan td.n{text-align:right}';

export const PAGE_HEAD = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>函件核验</title>
<style>${PAGE_STYLE}</style></head><body>`;

const dateText = (iso: string) =>
  `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;

function hidden(number: string, code: string, csrf: string): string {
  return `<input type="hidden" name="number" value="${escapeHtml(number)}"><input type="hidden" name="code" value="${escapeHtml(code)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}

function planSection(number: string, code: string, csrf: string, plan: PlanView | null): string {
  if (!plan) return '';
  if (plan.state === 'accepted') {
    const c = plan.confirmation
      ? `还款计划确认函：<a href="${escapeHtml(plan.confirmation.url)}">${escapeHtml(plan.confirmation.number)}</a>`
      : '还款计划确认函正在出具。';
    return `<fieldset><legend>分期还款方案</legend><p class="ok">您已于 ${escapeHtml(dateText(plan.acceptedOn))} 选择分 ${plan.terms} 期还款。${c}</p></fieldset>`;
  }
  if (plan.state === 'expired')
    return `<fieldset><legend>分期还款方案</legend><p>该函件所附方案的选择期限已于 ${escapeHtml(dateText(plan.acceptUntil))} 届满。如需分期，请通过债权人官方渠道联系。</p></fieldset>`;
  const options = plan.options
    .map((o) => {
      const rows = o.instalments
        .map(
          (i) =>
            `<tr><td>第${i.no}期</td><td>${escapeHtml(dateText(i.dueDate))}</td><td class="n">${fenToFigures(i.amount)}</td></tr>`,
        )
        .join('');
      // The debtor chooses here: the cost of each option is stated beside it, as in the letter's attachment.
      const cost =
        o.rateBp > 0
          ? `应还总额 ${fenToFigures(o.total)} 元，其中利息（方案成本）${fenToFigures(o.cost)} 元（年利率 ${o.rateBp / 100}%），各期金额不同`
          : `每期 ${fenToFigures(o.instalments[0]!.amount)} 元，最后一期 ${fenToFigures(o.instalments.at(-1)!.amount)} 元，分期期间不另计逾期利息`;
      return `<p><label><input type="radio" name="terms" value="${o.terms}" required class="inline"> 分 ${o.terms} 期：${cost}</label></p>
<details><summary>各期还款日和金额</summary><table class="plan"><tr><th>期次</th><th>还款日</th><th>金额（元）</th></tr>${rows}</table></details>`;
    })
    .join('');
  const offline = !plan.online
    ? '<p class="bad">本服务暂不能发送短信验证码，无法在线确认方案。如需分期，请通过债权人官方渠道联系。</p>'
    : !plan.phone
      ? '<p class="bad">该函件未登记您的手机号，无法在线确认方案。如需分期，请通过债权人官方渠道联系。</p>'
      : '';
  const button = offline
    ? ''
    : `<p>确认方案需要验证身份：验证码将以短信发送至合同预留的手机号 ${escapeHtml(plan.phone!)}。</p>
<p><button type="submit">获取短信验证码</button></p>`;
  return `
<fieldset><legend>选择分期还款方案（函件附件所列）</legend>
<form method="post" action="/v1/verify/plans/code">${hidden(number, code, csrf)}
${options}
${offline}${button}
<p><small>请于 ${escapeHtml(dateText(plan.acceptUntil))} 前选择。选择后，债权人将出具还款计划确认函；按计划按期还款期间，不会就该合同再向您发出催收函件。</small></p>
</form></fieldset>`;
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
  const summary = o
    ? `分 ${o.terms} 期，应还合计 ${fenToFigures(o.total)} 元；第 1 期 ${escapeHtml(dateText(o.instalments[0]!.dueDate))} 还 ${fenToFigures(o.instalments[0]!.amount)} 元。`
    : `分 ${v.terms} 期。`;
  const until = v.expiresAt ? `验证码 ${escapeHtml(beijingTime(v.expiresAt).slice(11, 16))} 前有效（10 分钟）。` : '';
  const terms = `<input type="hidden" name="terms" value="${escapeHtml(String(v.terms))}">`;
  return `${PAGE_HEAD}<h1>确认分期还款方案</h1>
${v.problem ? `<p class="bad">${escapeHtml(v.problem)}</p>` : ''}${v.notice ? `<p>${escapeHtml(v.notice)}</p>` : ''}
<p>您选择的方案：${summary}</p>
<p>验证码已通过短信发送至合同预留的手机号 ${escapeHtml(v.to)}。${until}</p>
<form method="post" action="/v1/verify/plans">${hidden(v.number, v.code, v.csrf)}${terms}
<p><label>短信验证码<input name="smsCode" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required></label></p>
<p><button type="submit">确认接受此方案</button></p>
<p><small>确认即表示您接受上述分期还款方案。确认的时间、所用设备的网络地址和浏览器信息、验证码的发送记录将被保存，作为您本人确认的记录。</small></p>
</form>
<form method="post" action="/v1/verify/plans/code">${hidden(v.number, v.code, v.csrf)}${terms}
<p><button type="submit">重新获取验证码</button></p>
</form>
<p><a href="/v1/verify?${escapeHtml(new URLSearchParams({ number: v.number, code: v.code }).toString())}">返回核验页面，选择其他方案</a></p>
</body></html>`;
}

export function verifyPage(number: string, code: string, f: Facts, csrf: string, plan: PlanView | null): string {
  const signed =
    f.valid && f.signature
      ? [
          ['电子签名', `${f.signature.subject}（证书有效期 ${f.signature.notBefore} 至 ${f.signature.notAfter}）`],
          ['签名时间', beijingTime(f.signature.signedAt)],
        ]
      : [];
  if (f.valid && f.signature?.timestamp)
    signed.push([
      'RFC 3161 时间戳',
      `${beijingTime(f.signature.timestamp.at)}（时间戳服务：${f.signature.timestamp.tsa}）`,
    ]);
  const rows = f.valid
    ? [
        ['函号', number],
        ['种类', kindTitle(f.kind)],
        ['出具方', f.sender],
        ['出具日期', f.issueDate],
        ['收函人', f.debtor],
        ['欠款合计', `${yuanToFigures(f.total)} 元`],
        ['文件 SHA-256', f.pdfSha256],
        ...signed,
      ]
        .map(([k, v]) => `<tr><th>${escapeHtml(k!)}</th><td>${escapeHtml(v!)}</td></tr>`)
        .join('')
    : '';
  const verdict = f.valid
    ? '<p class="ok">✓ 该函件由本系统出具，信息如下。请核对您收到的函件内容是否一致。</p>'
    : f.status === 'void'
      ? // The number carries its own brackets (（2026）京某律函字第0130号): it is not put in another pair.
        `<p class="bad">✗ 函号为 ${escapeHtml(number)} 的函件已于 ${escapeHtml(f.voidedOn ? dateText(f.voidedOn) : '')} 由出具方作废，不再有效。如有疑问，请通过债权人官方渠道联系。</p>`
      : '<p class="bad">✗ 未找到与该函号和核验码相符的函件。请勿向函件中的账户付款，并通过债权人官方渠道核实。</p>';
  const form = f.valid
    ? `${planSection(number, code, csrf, plan)}
<fieldset><legend>对欠款有异议，或需要困难帮扶？</legend>
<form method="post" action="/v1/verify/responses">${hidden(number, code, csrf)}
<p><label><input type="radio" name="type" value="dispute" required class="inline"> 对欠款有异议</label>
<label><input type="radio" name="type" value="hardship" class="inline"> 申请困难帮扶</label></p>
<p><label>说明（500 字以内）<textarea name="text" maxlength="500" rows="5" required></textarea></label></p>
<p><label>联系方式（可选）<input name="contact" maxlength="50"></label></p>
<p><button type="submit">提交给债权人</button></p>
<p><small>提交后，债权人处理完毕前不会就该合同再向您发函。您的说明只提供给债权人，不会转告任何第三方。</small></p>
</form></fieldset>`
    : '';
  return `${PAGE_HEAD}<h1>函件真伪核验</h1>${verdict}<table>${rows}</table>${form}</body></html>`;
}

/** For a person who typed the printed address: ask for the number and the code printed beside the QR code. */
export function askPage(problem: string | null, number = '', code = ''): string {
  const note = problem ? `<p class="bad">${escapeHtml(problem)}</p>` : '';
  return `${PAGE_HEAD}<h1>函件真伪核验</h1>${note}<p>请输入函件上印制的函号和核验码（位于二维码旁）。</p>
<form method="get" action="/v1/verify">
<p><label>函号<input name="number" maxlength="80" required value="${escapeHtml(number)}" placeholder="例如：（2026）京某律函字第0128号"></label></p>
<p><label>核验码<input name="code" maxlength="20" required value="${escapeHtml(code)}" autocomplete="off"></label></p>
<p><button type="submit">核验</button></p>
</form></body></html>`;
}

export function donePage(title: string, message: string, extra = ''): string {
  return `${PAGE_HEAD}<h1>${escapeHtml(title)}</h1><p class="ok">${escapeHtml(message)}</p>${extra}</body></html>`;
}

/** An error on the debtor's side, for a person: the reason in Chinese and the way back to the page. */
export function errorPage(status: number, reasons: string[], back: string): string {
  const title =
    status === 429 ? '请求过于频繁' : status === 413 ? '提交的内容过长' : status === 403 ? '表单已过期' : '无法提交';
  const list =
    reasons.length > 1
      ? `<ul>${reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
      : `<p class="bad">${escapeHtml(reasons[0] ?? '请求无法处理。')}</p>`;
  return `${PAGE_HEAD}<h1>${escapeHtml(title)}</h1>${list}<p><a href="${escapeHtml(back)}">返回核验页面</a></p></body></html>`;
}
