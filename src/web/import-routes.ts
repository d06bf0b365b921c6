/** Import pages: the form, the template download, the upload, a batch's result and its rejected rows. */

import express, { type Router } from 'express';
import {
  amountLikeHeaders,
  DEFAULT_LIMITS,
  importTemplateXlsx,
  readSheetInWorker,
  rejectedRowsXlsx,
} from '../imports/index.js';
import { inForce } from '../orgs/model.js';
import { KIND_TITLES, kindTitle } from '../pipeline/index.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import { MAX_DEMAND_DAYS } from '../pipeline/schema/letter.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { engagementsOf, page, param, type WebDeps, webError, webUser } from './context.js';
import { type KindChoice, runOwnImport } from './import-own.js';
import { type ImportResult, runImport } from './import-run.js';
import { parseMultipart } from './multipart.js';
import { sameToken } from './session.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DELIVERY = [
  { value: 'ems', label: 'EMS 特快专递' },
  { value: 'registered-mail', label: '挂号信（回执）' },
  { value: 'electronic', label: '电子送达' },
];
/** The contract behind the debts (a visible choice on the form, 借款 first): the articles a letter cites follow it. */
const CONTRACT_TYPES = [
  { value: 'loan', label: '借款合同' },
  { value: 'instalment-sale', label: '分期付款买卖合同' },
];

/** RFC 5987: a Chinese file name in Content-Disposition, with an ASCII fallback. */
export function attachment(name: string, ascii: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function importRoutes(r: Router, deps: WebDeps, h: RouteHelpers): void {
  const { parts, store } = deps;
  const orgName = async (id: string) => (await parts.orgs.org(id)).name;

  const form = async (res: express.Response, extra: Record<string, unknown> = {}, status = 200) => {
    const me = webUser(res);
    const today = todayInShanghai();
    const engagements = await Promise.all(
      (await engagementsOf(deps, res))
        .filter((e) => inForce(e, today))
        .map(async (e) => ({
          id: e.id,
          label: `${await orgName(e.creditorOrgId)} → ${await orgName(e.firmOrgId)}（${e.products.length ? e.products.join('、') : '全部产品'}，自 ${e.startsOn}）`,
        })),
    );
    const batches = (await store.batches([me.org.id], 20)).map((b) => ({
      ...b,
      createdAt: b.createdAt.slice(0, 16).replace('T', ' '),
      rejected: b.rowsTotal - b.rowsAccepted,
    }));
    const creditorSide = me.org.kind === 'creditor';
    const kinds = [
      { value: 'auto', label: '按催收策略建议（推荐）' },
      { value: 'reminder', label: KIND_TITLES.reminder },
      { value: 'demand', label: KIND_TITLES.demand },
      { value: 'lawyer-letter', label: `${KIND_TITLES['lawyer-letter']}（提交律所审核）` },
    ];
    page(
      res,
      'import',
      '导入债务清单',
      {
        nav: 'import',
        engagements,
        batches,
        creditorSide,
        kinds,
        delivery: DELIVERY,
        contractTypes: CONTRACT_TYPES,
        maxRows: DEFAULT_LIMITS.maxRows,
        maxMb: DEFAULT_LIMITS.maxFileBytes / 1024 / 1024,
        ...extra,
      },
      status,
    );
  };

  r.get(
    '/import',
    h.wrap(async (_req, res) => form(res)),
  );

  r.get('/import/template.xlsx', (_req, res) => {
    res
      .set('Content-Disposition', attachment('债务清单导入模板.xlsx', 'import-template.xlsx'))
      .type(XLSX)
      .send(Buffer.from(importTemplateXlsx()));
  });

  const upload = express.raw({ type: 'multipart/form-data', limit: DEFAULT_LIMITS.maxFileBytes + 64 * 1024 });
  r.post(
    '/import',
    upload,
    h.wrap(async (req, res) => {
      const me = webUser(res);
      const mp = Buffer.isBuffer(req.body) ? parseMultipart(req.body, req.get('content-type') ?? '') : null;
      if (!mp || !sameToken(mp.fields._csrf, me.csrf))
        throw webError(403, '表单缺少有效的安全令牌（CSRF），请返回页面刷新后重试。');
      const f = mp.fields;
      const again = (error: string) => form(res, { error, values: f }, 422);
      // A creditor chooses the letter (the policy's recommendation by default) and may send its own without a firm.
      const creditorSide = me.org.kind === 'creditor';
      const choice = creditorSide ? (f.kind ?? 'auto') : 'lawyer-letter';
      if (!['auto', 'reminder', 'demand', 'lawyer-letter'].includes(choice)) return again('请选择函件种类。');
      const own = creditorSide && f.engagement === 'own';
      const eng = own ? null : await parts.orgs.engagement((f.engagement ?? '').slice(0, 64));
      if (!own && (!eng || (eng.creditorOrgId !== me.org.id && eng.firmOrgId !== me.org.id)))
        return again('请选择一项委托。');
      if (own && choice === 'lawyer-letter') return again('律师函须由受托律师事务所审核出具：请选择一项委托。');
      if (!mp.file?.bytes.length) return again('请选择要上传的 XLSX 或 CSV 文件。');
      const days = Number(f.demandDays ?? 7);
      if (!Number.isInteger(days) || days < 1 || days > MAX_DEMAND_DAYS)
        return again(`履行期限应为 1–${MAX_DEMAND_DAYS} 天的整数。`);
      if (!DELIVERY.some((d) => d.value === f.delivery)) return again('请选择送达方式。');
      if (!CONTRACT_TYPES.some((c) => c.value === f.contractType)) return again('请选择合同类型。');
      const channels: Record<string, unknown>[] = [];
      const creditor = eng ? await parts.orgs.org(eng.creditorOrgId) : me.org;
      if (f.accountNo?.trim())
        channels.push({
          type: 'bank',
          bank: (f.bank ?? '').trim().slice(0, 100),
          accountName: creditor.name,
          accountNo: f.accountNo.trim().slice(0, 40),
        });
      if (f.online?.trim()) channels.push({ type: 'online', description: f.online.trim().slice(0, 200) });
      if (!channels.length) return again('请至少填写一种还款方式（银行账号或线上还款途径）。');
      if (!creditor.address || !creditor.phone)
        return again(
          `委托人“${creditor.name}”的地址或电话未登记：请该机构的管理员在“设置 · 机构信息”中补全（或用 hanjian orgs update）后再导入。`,
        );
      let sheet: Awaited<ReturnType<typeof readSheetInWorker>>;
      try {
        sheet = await readSheetInWorker(mp.file.bytes);
      } catch (e) {
        return again(
          `“${(mp.file.name || '上传的文件').slice(0, 100)}”：${(e as { zh?: string }).zh ?? '无法读取该文件。'}`,
        );
      }
      // An amount column the import does not know would leave part of the debt out of the letter: never silently.
      const amounts = amountLikeHeaders(sheet.ignored);
      if (amounts.length && f.ignoreAmounts !== 'on')
        return again(
          `表中有未识别的金额列：${amounts.join('、')}。这些列不会计入函件金额，函件合计可能少于真实欠款。请把列名改为模板中的列名（本金、利息、逾期利息、违约金、费用、已还款、欠款合计）后重新上传；确认这些列不属于欠款时，勾选“未识别的金额列不计入”再上传。`,
        );
      // The creditor and the payment channels come from the engagement and this form, never from the rows.
      const base = {
        kind: 'lawyer-letter',
        creditor: {
          name: creditor.name,
          creditCode: creditor.creditCode,
          address: creditor.address,
          phone: creditor.phone,
          paymentChannels: channels,
        },
        demand: { days },
        delivery: f.delivery,
        // For rows whose 合同类型 cell is empty: the articles a letter cites follow the contract.
        account: { contractType: f.contractType },
      };
      if (choice !== 'lawyer-letter') {
        const own = await runOwnImport({
          sheet,
          fileName: mp.file.name || 'upload',
          base,
          choice: choice as KindChoice,
          engagement: eng,
          parts,
          caller: me.caller,
          store,
          tasks: deps.tasks,
          userId: me.user.id,
          today: todayInShanghai(),
          chargesOverCap: deps.chargesOverCap,
        });
        await parts.audit.append({
          orgId: me.org.id,
          actor: me.caller.keyId,
          action: 'import.upload',
          subject: own.batchId,
          details: {
            engagement: eng?.id ?? null,
            kind: choice,
            rows: own.rows.length,
            accepted: own.rows.filter((x) => x.accepted).length,
            task: own.taskId,
          },
        });
        if (own.taskId) deps.worker.poke();
        return res.redirect(303, `/app/import/${own.batchId}`);
      }
      const lawyerEng = eng!;
      // The request is the creditor's, made under its engagement: a firm's assistant prepares it for the client.
      const caller = {
        orgId: lawyerEng.creditorOrgId,
        userId: me.user.id,
        keyId: me.caller.keyId,
        scopes: new Set(['request']),
      };
      const result = await runImport({
        sheet,
        fileName: mp.file.name || 'upload',
        base,
        engagement: lawyerEng,
        requests: parts.requests,
        caller,
        store,
        seal: (v) => parts.vault.encrypt(JSON.stringify(v)),
        orgId: me.org.id,
        createdBy: me.caller.keyId,
        today: todayInShanghai(),
      });
      await parts.audit.append({
        orgId: me.org.id,
        actor: me.caller.keyId,
        action: 'import.upload',
        subject: result.batchId,
        details: {
          engagement: lawyerEng.id,
          rows: result.rows.length,
          accepted: result.rows.filter((x) => x.accepted).length,
        },
      });
      res.redirect(303, `/app/import/${result.batchId}`);
    }),
  );

  const resultOf = async (id: string, res: express.Response): Promise<ImportResult> => {
    const me = webUser(res);
    const b = await store.batch(id);
    const eng = b?.engagementId ? await parts.orgs.engagement(b.engagementId) : null;
    if (!b || (b.orgId !== me.org.id && eng?.firmOrgId !== me.org.id && eng?.creditorOrgId !== me.org.id))
      throw webError(404, '没有这个导入批次。');
    return JSON.parse(parts.vault.decrypt(b.resultSealed)) as ImportResult;
  };

  r.get(
    '/import/:id',
    h.wrap(async (req, res) => {
      const result = await resultOf(param(req, 'id'), res);
      const task = result.taskId ? await deps.tasks.get(result.taskId) : null;
      const items = new Map(task ? (await deps.tasks.items(task.id)).map((i) => [Number(i.ref), i]) : []);
      const rows = result.rows.map((x) => {
        const item = x.issue ? items.get(x.rowNo) : undefined;
        return {
          ...x,
          kindLabel: x.kind ? kindTitle(x.kind) : null,
          letterNo: item?.letterNo ?? null,
          letterId: item?.letterId ?? null,
          issueFailed: item?.status === 'failed' ? item.problem : null,
          issuing: x.issue && item?.status === 'queued',
        };
      });
      const accepted = rows.filter((x) => x.accepted);
      const rejected = rows.filter((x) => !x.accepted);
      const counts = task ? await deps.tasks.counts(task.id) : null;
      page(res, 'import-result', `导入结果 · ${result.fileName}`, {
        nav: 'import',
        result,
        accepted,
        rejected,
        rows: [...rejected, ...accepted],
        task,
        counts,
        refresh: task?.status === 'running' ? 2 : null,
        requested: accepted.filter((x) => !x.issue).length,
        issued: accepted.filter((x) => x.issue).length,
      });
    }),
  );

  r.get(
    '/import/:id/rejected.xlsx',
    h.wrap(async (req, res) => {
      const result = await resultOf(param(req, 'id'), res);
      const rows = result.rows
        .filter((x) => !x.accepted)
        .map((x) => ({
          rowNo: x.rowNo,
          original: x.original ?? {},
          problems: x.problems.length ? x.problems : x.reasons.map((zh) => ({ column: '', zh })),
        }));
      res
        .set(
          'Content-Disposition',
          attachment(`未通过的行-${result.fileName.replace(/\.\w+$/, '')}.xlsx`, 'rejected-rows.xlsx'),
        )
        .type(XLSX)
        .send(Buffer.from(rejectedRowsXlsx(rows)));
    }),
  );
}
