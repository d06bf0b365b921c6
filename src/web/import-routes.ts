/** Import pages: the form, the template download, the upload, a batch's result and its rejected rows. */

import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import {
  COLUMNS,
  type Column,
  type ColumnPlan,
  columnOfTarget,
  DEFAULT_LIMITS,
  FIXUP_COLUMNS,
  headerOf,
  IGNORE,
  importTemplateXlsx,
  planColumns,
  readTableInWorker,
  rejectedRowsXlsx,
  type Sheet,
  sheetOfTable,
  summable,
  type Table,
} from '../imports/index.js';
import { type Engagement, inForce } from '../orgs/model.js';
import { KIND_TITLES, kindTitle } from '../pipeline/index.js';
import { todayInShanghai } from '../pipeline/schema/dates.js';
import { MAX_DEMAND_DAYS } from '../pipeline/schema/letter.js';
import type { RouteHelpers } from '../server-kit/route-helpers.js';
import { engagementsOf, page, param, type WebDeps, webError, webUser } from './context.js';
import { type KindChoice, runOwnImport } from './import-own.js';
import { type ImportResult, runImport } from './import-run.js';
import { parseMultipart } from './multipart.js';
import { sameToken, type WebUser } from './session.js';
import { chineseDate, problemInChinese } from './text.js';

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

/** The import form's fields an upload waiting for its column mapping keeps (not the CSRF token). */
const FORM_FIELDS = ['kind', 'engagement', 'bank', 'accountNo', 'online', 'demandDays', 'delivery', 'contractType'];
/** How long an upload waits for its column mapping. */
const UPLOAD_KEPT_MS = 24 * 3_600_000;

/** An uploaded file read, waiting for the user's column mapping (encrypted in import_uploads). */
interface PendingUpload {
  fields: Record<string, string>;
  fileName: string;
  format: Table['format'];
  encoding: Table['encoding'];
  rows: [number, string[]][];
}

/** The fields a client's column can be mapped to, grouped as the select shows them. */
const FIELD_GROUPS: { label: string; test: (c: Column) => boolean }[] = [
  { label: '欠款金额', test: (c) => c.kind === 'money' },
  { label: '债务人', test: (c) => c.path.startsWith('debtor.') },
  { label: '合同', test: (c) => c.path.startsWith('account.') },
  {
    label: '其他',
    test: (c) => c.kind !== 'money' && !c.path.startsWith('debtor.') && !c.path.startsWith('account.'),
  },
];

/** A mapping's target as the page names it. */
const targetLabel = (t: string): string => (t === IGNORE ? '不导入' : (columnOfTarget(t)?.header ?? t));

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
          label: `${await orgName(e.creditorOrgId)} → ${await orgName(e.firmOrgId)}（${e.products.length ? e.products.join('、') : '全部产品'}，自 ${chineseDate(e.startsOn)}起）`,
        })),
    );
    const batches = (await store.batches([me.org.id], 20)).map((b) => ({
      ...b,
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

  /** What the form says, checked: the letter kind, the engagement, the base every row's letter starts from. */
  interface Prepared {
    choice: string;
    eng: Engagement | null;
    base: Record<string, unknown>;
    /** The organisation whose file it is: the engagement's creditor, or the importing creditor itself. */
    clientOrgId: string;
  }
  const prepare = async (me: WebUser, f: Record<string, string>): Promise<Prepared | string> => {
    // A creditor chooses the letter (the policy's recommendation by default) and may send its own without a firm.
    const creditorSide = me.org.kind === 'creditor';
    const choice = creditorSide ? (f.kind ?? 'auto') : 'lawyer-letter';
    if (!['auto', 'reminder', 'demand', 'lawyer-letter'].includes(choice)) return '请选择函件种类。';
    const own = creditorSide && f.engagement === 'own';
    const eng = own ? null : await parts.orgs.engagement((f.engagement ?? '').slice(0, 64));
    if (!own && (!eng || (eng.creditorOrgId !== me.org.id && eng.firmOrgId !== me.org.id))) return '请选择一项委托。';
    if (own && choice === 'lawyer-letter') return '律师函须由受托律师事务所审核出具：请选择一项委托。';
    const days = Number(f.demandDays ?? 7);
    if (!Number.isInteger(days) || days < 1 || days > MAX_DEMAND_DAYS)
      return `履行期限应为 1–${MAX_DEMAND_DAYS} 天的整数。`;
    if (!DELIVERY.some((d) => d.value === f.delivery)) return '请选择送达方式。';
    if (!CONTRACT_TYPES.some((c) => c.value === f.contractType)) return '请选择合同类型。';
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
    if (!channels.length) return '请至少填写一种还款方式（银行账号或线上还款途径）。';
    if (!creditor.address || !creditor.phone)
      return `委托人“${creditor.name}”的地址或电话未登记：请该机构的管理员在“设置 · 机构信息”中补全后再导入（也可请运维人员在服务器上补登）。`;
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
    return { choice, eng, base, clientOrgId: creditor.id };
  };

  /** The rows through the workflow (a creditor's own letters, or lawyer's letter requests), then the result page. */
  const runRows = async (res: express.Response, p: Prepared, sheet: Sheet, fileName: string) => {
    const me = webUser(res);
    const { choice, eng, base } = p;
    const columns = { mapped: sheet.mapped ?? [], ignored: sheet.ignored };
    if (choice !== 'lawyer-letter') {
      const own = await runOwnImport({
        sheet,
        fileName,
        base,
        choice: choice as KindChoice,
        engagement: eng,
        parts,
        caller: me.caller,
        store,
        jobs: deps.jobs,
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
          ...columns,
        },
      });
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
      fileName,
      base,
      engagement: lawyerEng,
      requests: parts.requests,
      caller,
      store,
      encrypt: (v) => parts.vault.encrypt(JSON.stringify(v)),
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
        ...columns,
      },
    });
    res.redirect(303, `/app/import/${result.batchId}`);
  };

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
      const prepared = await prepare(me, f);
      if (typeof prepared === 'string') return again(prepared);
      if (!mp.file?.bytes.length) return again('请选择要上传的 XLSX 或 CSV 文件。');
      const fileName = mp.file.name || 'upload';
      const unreadable = (e: unknown) =>
        again(`“${fileName.slice(0, 100)}”：${(e as { zh?: string }).zh ?? '无法读取该文件。'}`);
      let table: Table;
      let plan: ColumnPlan;
      const saved = await store.columnMapping(me.org.id, prepared.clientOrgId);
      try {
        table = await readTableInWorker(mp.file.bytes);
        plan = planColumns(headerOf(table), saved, FIXUP_COLUMNS);
      } catch (e) {
        return unreadable(e);
      }
      // A column the import does not know is never dropped silently (an amount left out makes the
      // letter's total wrong): the user maps it or says it is not imported, once per client.
      // (Not when the sheet lacks more required columns than it has columns to map: that file is refused below.)
      const ask =
        plan.unknown.length > 0 &&
        (plan.undecided.length > 0 || plan.missing.length > 0 || f.remap === 'on') &&
        !plan.duplicate &&
        plan.missing.length <= new Set(plan.unknown.map((u) => u.key)).size;
      if (ask) {
        const id = randomUUID();
        const fields = Object.fromEntries(Object.entries(f).filter(([k]) => FORM_FIELDS.includes(k)));
        const pending: PendingUpload = {
          fields,
          fileName,
          format: table.format,
          encoding: table.encoding,
          rows: [...table.rows],
        };
        const now = Date.now();
        await store.addUpload(
          {
            id,
            orgId: me.org.id,
            userId: me.user.id,
            uploadEncrypted: parts.vault.encrypt(JSON.stringify(pending)),
            createdAt: new Date(now).toISOString(),
          },
          new Date(now - UPLOAD_KEPT_MS).toISOString(),
        );
        return res.redirect(303, `/app/import/columns/${id}`);
      }
      let sheet: Sheet;
      try {
        sheet = sheetOfTable(table, DEFAULT_LIMITS, saved);
      } catch (e) {
        return unreadable(e);
      }
      await runRows(res, prepared, sheet, fileName);
    }),
  );

  /** An upload waiting for its column mapping: only its uploader sees it. */
  const pendingOf = async (id: string, res: express.Response) => {
    const me = webUser(res);
    const row = await store.upload(id);
    if (!row || row.userId !== me.user.id || Date.parse(row.createdAt) < Date.now() - UPLOAD_KEPT_MS)
      throw webError(404, '没有这次上传（或已超过一天），请重新上传清单。');
    const pending = JSON.parse(parts.vault.decrypt(row.uploadEncrypted)) as PendingUpload;
    const table: Table = { format: pending.format, encoding: pending.encoding, rows: new Map(pending.rows) };
    return { row, pending, table };
  };

  /**
   * The upload waiting for its mapping, with the import form's choices checked again (the
   * engagement may have ended since) and the client's saved mapping; null once the form was
   * answered with the reason it no longer holds.
   */
  const pendingMapping = async (req: express.Request, res: express.Response) => {
    const me = webUser(res);
    const id = param(req, 'id');
    const { pending, table } = await pendingOf(id, res);
    const prepared = await prepare(me, pending.fields);
    if (typeof prepared === 'string') {
      form(res, { error: prepared, values: pending.fields }, 422);
      return null;
    }
    const saved = await store.columnMapping(me.org.id, prepared.clientOrgId);
    return { id, pending, table, prepared, saved };
  };
  type PendingMapping = NonNullable<Awaited<ReturnType<typeof pendingMapping>>>;

  const mappingPage = async (
    res: express.Response,
    { id, pending, table, prepared, saved }: PendingMapping,
    chosen: Record<string, string> | null,
    error: string | null = null,
  ) => {
    const client = await parts.orgs.org(prepared.clientOrgId);
    const plan = planColumns(headerOf(table), saved, FIXUP_COLUMNS);
    const header = headerOf(table);
    const recognised = [...plan.columns.entries()]
      .filter(([, c]) => COLUMNS.includes(c))
      .map(([i, c]) => ({ header: header[i]!.trim(), field: c.header, renamed: header[i]!.trim() !== c.header }));
    const ours = new Map([...plan.columns.values()].filter((c) => COLUMNS.includes(c)).map((c) => [c.path, c.header]));
    const data = [...table.rows.entries()].sort((a, b) => a[0] - b[0]).slice(1);
    const seen = new Set<string>();
    const unknown = plan.unknown
      .filter((u) => !seen.has(u.key) && seen.add(u.key))
      .map((u) => {
        // The saved choice first, unless it leaves out a required field this column would fill (放款日期 → 合同日期).
        const fills = !!u.suggestion && plan.missing.some((c) => c.path === u.suggestion);
        const preset = u.saved && !(u.saved === IGNORE && fills) ? u.saved : u.suggestion;
        const current = chosen ? (chosen[`col.${u.index}`] ?? '') : (preset ?? (u.amountLike ? '' : IGNORE));
        const samples = data
          .map(([, cells]) => (cells[u.index] ?? '').trim())
          .filter(Boolean)
          .slice(0, 3)
          .map((x) => x.slice(0, 24));
        return {
          index: u.index,
          header: u.header,
          amountLike: u.amountLike,
          saved: u.saved ? targetLabel(u.saved) : null,
          suggestion: u.suggestion ? targetLabel(u.suggestion) : null,
          samples,
          groups: FIELD_GROUPS.map((g) => ({
            label: g.label,
            options: COLUMNS.filter((c) => g.test(c)).map((c) => {
              const there = ours.get(c.path);
              const blocked = !!there && !summable(c);
              return {
                value: c.path,
                label: there ? `${c.header}（${blocked ? '表中已有此列' : `与表中“${there}”列相加`}）` : c.header,
                disabled: blocked,
                selected: current === c.path,
              };
            }),
          })),
          ignoreSelected: current === IGNORE,
          noneSelected: current === '',
        };
      });
    page(
      res,
      'import-columns',
      `列对应 · ${pending.fileName}`,
      {
        nav: 'import',
        id,
        fileName: pending.fileName,
        client: client?.name ?? '',
        rows: data.length,
        recognised,
        unknown,
        missing: plan.missing.map((c) => c.header),
        amounts: unknown.filter((u) => u.amountLike).length,
        error,
      },
      error ? 422 : 200,
    );
  };

  r.get(
    '/import/columns/:id',
    h.wrap(async (req, res) => {
      const m = await pendingMapping(req, res);
      if (m) await mappingPage(res, m, null);
    }),
  );

  r.post(
    '/import/columns/:id',
    h.wrap(async (req, res) => {
      const m = await pendingMapping(req, res);
      if (!m) return;
      const me = webUser(res);
      const { id, pending, table, prepared } = m;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const chosen: Record<string, string> = {};
      for (const [k, v] of Object.entries(body)) if (/^col\.\d{1,3}$/.test(k) && typeof v === 'string') chosen[k] = v;
      const plan = planColumns(headerOf(table), new Map(), FIXUP_COLUMNS);
      const filled = new Set([...plan.columns.values()].map((c) => c.path));
      const decisions: { key: string; target: string; header: string }[] = [];
      const problems: string[] = [];
      const seen = new Set<string>();
      for (const u of plan.unknown) {
        if (seen.has(u.key)) continue;
        seen.add(u.key);
        const target = chosen[`col.${u.index}`] ?? '';
        const column = columnOfTarget(target);
        if (target !== IGNORE && !column) {
          problems.push(`请为“${u.header}”选择对应的字段，或选择“不导入”。`);
          continue;
        }
        if (column && filled.has(column.path) && !summable(column)) {
          problems.push(`“${u.header}”和另一列都对应“${column.header}”：该字段只能取一列。`);
          continue;
        }
        if (column) filled.add(column.path);
        decisions.push({ key: u.key, target, header: u.header });
      }
      const missing = COLUMNS.filter((c) => c.required && !filled.has(c.path)).map((c) => c.header);
      if (!problems.length && missing.length)
        problems.push(
          `还缺少必填字段：${missing.join('、')}。请把表中对应的列选为该字段；表中没有时，请在文件中补上该列后重新上传。`,
        );
      if (problems.length) return mappingPage(res, m, chosen, problems.join(' '));
      const mapping = new Map(decisions.map((d) => [d.key, d.target]));
      let sheet: Sheet;
      try {
        sheet = sheetOfTable(table, DEFAULT_LIMITS, mapping);
      } catch (e) {
        return form(
          res,
          {
            error: `“${pending.fileName.slice(0, 100)}”：${(e as { zh?: string }).zh ?? '无法读取该文件。'}`,
            values: pending.fields,
          },
          422,
        );
      }
      await store.saveColumnMapping(
        me.org.id,
        prepared.clientOrgId,
        decisions.map(({ key, target }) => ({ key, target })),
        me.caller.keyId,
        new Date().toISOString(),
      );
      await parts.audit.append({
        orgId: me.org.id,
        actor: me.caller.keyId,
        action: 'import.columns',
        subject: prepared.clientOrgId,
        details: { columns: decisions.map(({ header, target }) => ({ header, target })) },
      });
      await store.removeUpload(id);
      await runRows(res, prepared, sheet, pending.fileName);
    }),
  );

  const resultOf = async (id: string, res: express.Response): Promise<ImportResult> => {
    const me = webUser(res);
    const b = await store.batch(id);
    const eng = b?.engagementId ? await parts.orgs.engagement(b.engagementId) : null;
    if (!b || (b.orgId !== me.org.id && eng?.firmOrgId !== me.org.id && eng?.creditorOrgId !== me.org.id))
      throw webError(404, '没有这个导入批次。');
    return JSON.parse(parts.vault.decrypt(b.resultEncrypted)) as ImportResult;
  };

  r.get(
    '/import/:id',
    h.wrap(async (req, res) => {
      const result = await resultOf(param(req, 'id'), res);
      const task = result.taskId ? await deps.jobs.workspaceBatch(result.taskId, webUser(res).org.id) : null;
      const items = new Map(task ? (await deps.jobs.allRows(task.id)).map((i) => [i.row, i]) : []);
      const rows = result.rows.map((x) => {
        const item = x.issue ? items.get(x.rowNo) : undefined;
        return {
          ...x,
          kindLabel: x.kind ? kindTitle(x.kind) : null,
          letterNo: item?.letterNo ?? null,
          letterId: item?.letterId ?? null,
          issueFailed: item?.status === 'failed' ? problemInChinese(item.problem) : null,
          issuing: x.issue && item?.status === 'queued',
          // The creditor's own letters, issued by its task: an engaged firm that opens the import sees that, not their numbers.
          issuedByClient: Boolean(x.issue && result.taskId && !task),
        };
      });
      const accepted = rows.filter((x) => x.accepted);
      const rejected = rows.filter((x) => !x.accepted);
      const counts = task ? await deps.jobs.counts(task.id) : null;
      page(res, 'import-result', `导入结果 · ${result.fileName}`, {
        nav: 'import',
        result,
        accepted,
        rejected,
        rows: [...rejected, ...accepted],
        task,
        counts,
        refresh: task?.status === 'running' ? 2 : null,
        mapped: (result.mapped ?? []).map((m) => `${m.header} → ${targetLabel(m.path)}`),
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
        .send(Buffer.from(rejectedRowsXlsx(rows, result.mapped ?? [])));
    }),
  );
}
