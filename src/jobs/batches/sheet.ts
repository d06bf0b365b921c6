/**
 * A spreadsheet (XLSX) as a batch: the workspace's importer (src/import) reads the rows —
 * Chinese column headers, Excel dates, money, ID numbers as text — and each row becomes a
 * batch row numbered by its spreadsheet row, so "row 7" in /errors is row 7 in Excel. What a
 * sheet does not hold comes from the request, as in the workspace's import form: the sender
 * (the caller's own organisation for mode=issue, the engagement's creditor for
 * mode=request), the payment channels, the demand period and the delivery method.
 */

import {
  type ColumnMapping,
  columnOfTarget,
  DEFAULT_BUDGET,
  headerKey,
  IGNORE,
  looksLikeAmount,
  readSheetInWorker,
  type SheetLimits,
  sheetToRows,
} from '../../imports/index.js';
import type { Caller, Org } from '../../orgs/model.js';
import type { Orgs } from '../../orgs/orgs.js';
import { HanjianError } from '../../shared/errors.js';
import type { BatchMode, RowProblem } from './batch-store.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DELIVERY_METHODS = ['ems', 'registered-mail', 'electronic'] as const;
export const CONTRACT_TYPES = ['loan', 'instalment-sale'] as const;

/** What the request says about the letters besides the rows (query parameters). */
export interface SheetParams {
  kind?: string;
  engagement?: string;
  bank?: string;
  accountNo?: string;
  online?: string;
  demandDays?: string;
  delivery?: string;
  /** loan or instalment-sale, for rows whose 合同类型 cell is empty (the articles a letter cites follow it). */
  contractType?: string;
  /**
   * The client's own columns, as JSON: header → the field it fills (a column's path, e.g.
   * debt.interest) or "ignore". The API's form of the workspace's mapping step.
   */
  columns?: string;
}

const MAX_COLUMN_DECISIONS = 100;

/** The `columns` parameter as a mapping; refused, naming `columns`, unless every entry is a header and a known field or "ignore". */
export function columnDecisions(raw: string | undefined): ColumnMapping {
  if (raw === undefined || raw === '') return new Map();
  const refuse = (zh: string, en: string) => invalid('columns', zh, en);
  if (raw.length > 8_192) throw refuse('columns 参数过长（最多 8 KB）', 'the columns parameter is longer than 8 KB');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw refuse(
      'columns 参数应为 JSON 对象：{"表头": "字段" 或 "ignore"}',
      'columns must be a JSON object {"header": "field" | "ignore"}',
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw refuse(
      'columns 参数应为 JSON 对象：{"表头": "字段" 或 "ignore"}',
      'columns must be a JSON object {"header": "field" | "ignore"}',
    );
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > MAX_COLUMN_DECISIONS)
    throw refuse(`columns 最多 ${MAX_COLUMN_DECISIONS} 项`, `columns holds at most ${MAX_COLUMN_DECISIONS} entries`);
  const mapping = new Map<string, string>();
  for (const [header, target] of entries) {
    if (typeof target !== 'string' || (target !== IGNORE && !columnOfTarget(target)))
      throw refuse(
        `columns 中“${header.slice(0, 30)}”的去向应为已知字段（如 debt.interest）或 ignore`,
        `columns: "${header.slice(0, 30)}" must map to a known field (e.g. debt.interest) or "ignore"`,
      );
    mapping.set(headerKey(header), target);
  }
  return mapping;
}

/** A row ready to be stored: its input (not yet encrypted), or the problem it failed on arrival. */
export interface InputRow {
  row: number;
  contractNo: string | null;
  value: unknown;
  /** An `approve` row's request (it has no input of its own). */
  requestId?: string;
  problem: RowProblem | null;
}

const invalid = (path: string, zh: string, en: string) =>
  new HanjianError({ code: 'INVALID_INPUT', category: 'invalid_input', path, zh, en });
const text = (v: string | undefined, max: number) => (v ?? '').trim().slice(0, max);

/** The sender's fields a letter needs, or a refusal naming the one the registry lacks. */
function creditorOf(org: Org, channels: Record<string, unknown>[]): Record<string, unknown> {
  for (const [field, value] of [
    ['creditCode', org.creditCode],
    ['address', org.address],
    ['phone', org.phone],
  ] as const) {
    if (!value)
      throw invalid(
        `creditor.${field}`,
        `发函机构“${org.name}”的${field === 'creditCode' ? '统一社会信用代码' : field === 'address' ? '地址' : '电话'}未登记（hanjian orgs …）`,
        `the sending organisation "${org.name}" has no ${field} in the registry`,
      );
  }
  return {
    name: org.name,
    creditCode: org.creditCode,
    address: org.address,
    phone: org.phone,
    paymentChannels: channels,
  };
}

/** Everything of a letter that is not in the sheet, and the engagement of a request batch. */
export async function sheetBase(
  orgs: Orgs,
  caller: Caller,
  mode: BatchMode,
  p: SheetParams,
): Promise<{ base: Record<string, unknown>; engagement: string | null }> {
  const kinds = mode === 'issue' ? ['reminder', 'demand'] : ['reminder', 'demand', 'lawyer-letter'];
  const kind = p.kind ?? (mode === 'request' ? 'lawyer-letter' : undefined);
  if (!kind || !kinds.includes(kind))
    throw invalid(
      'kind',
      `请用 kind 指明函件种类：${kinds.join('、')}`,
      `kind must be one of ${kinds.join(', ')}${mode === 'issue' ? " (lawyer's letters are requested: mode=request)" : ''}`,
    );
  if (mode === 'issue' && caller.scopes && !caller.scopes.has(`issue:${kind}`))
    throw new HanjianError({
      code: 'FORBIDDEN',
      category: 'forbidden',
      path: 'kind',
      zh: `此密钥没有 issue:${kind} 权限`,
      en: `this key lacks the issue:${kind} scope`,
    });
  const days = p.demandDays === undefined || p.demandDays === '' ? 7 : Number(p.demandDays);
  if (!Number.isInteger(days) || days < 1 || days > 60)
    throw invalid('demandDays', '履行期限 demandDays 应为 1–60 天的整数', 'demandDays must be an integer from 1 to 60');
  if (p.delivery !== undefined && !(DELIVERY_METHODS as readonly string[]).includes(p.delivery))
    throw invalid(
      'delivery',
      `送达方式 delivery 应为 ${DELIVERY_METHODS.join('、')}`,
      `delivery must be one of ${DELIVERY_METHODS.join(', ')}`,
    );
  if (p.contractType !== undefined && !(CONTRACT_TYPES as readonly string[]).includes(p.contractType))
    throw invalid(
      'contractType',
      `合同类型 contractType 应为 ${CONTRACT_TYPES.join('、')}`,
      `contractType must be one of ${CONTRACT_TYPES.join(', ')}`,
    );
  let org: Org;
  let engagement: string | null = null;
  if (mode === 'request') {
    if (!p.engagement)
      throw invalid(
        'engagement',
        '以 mode=request 上传表格时须用 engagement 指明委托',
        'a spreadsheet with mode=request names its engagement (engagement=<id>)',
      );
    const e = await orgs.engagement(p.engagement.slice(0, 64));
    if (!e || (e.creditorOrgId !== caller.orgId && e.firmOrgId !== caller.orgId))
      throw new HanjianError({
        code: 'ENGAGEMENT_NOT_FOUND',
        category: 'not_found',
        path: 'engagement',
        zh: '没有这项委托',
        en: "no engagement with this id for the caller's organisation",
      });
    org = await orgs.org(e.creditorOrgId);
    engagement = e.id;
  } else {
    org = await orgs.org(caller.orgId);
  }
  const channels: Record<string, unknown>[] = [];
  if (text(p.accountNo, 40))
    channels.push({ type: 'bank', bank: text(p.bank, 100), accountName: org.name, accountNo: text(p.accountNo, 40) });
  if (text(p.online, 200)) channels.push({ type: 'online', description: text(p.online, 200) });
  if (!channels.length)
    throw invalid(
      'accountNo',
      '请至少给出一种还款方式：bank 与 accountNo（银行账户），或 online（线上还款途径）',
      'give at least one payment channel: bank and accountNo, or online',
    );
  const base = {
    kind,
    creditor: creditorOf(org, channels),
    demand: { days },
    ...(p.delivery ? { delivery: p.delivery } : {}),
    ...(p.contractType ? { account: { contractType: p.contractType } } : {}),
  };
  return { base, engagement };
}

/**
 * The sheet's rows as batch rows. A row whose cells cannot be read (an empty required cell, a
 * date or amount that is not one, a contract number twice) fails on arrival with each problem
 * named by its column; the others are validated when worked, like a JSON line.
 */
export async function sheetRows(
  bytes: Uint8Array,
  limits: SheetLimits,
  base: Record<string, unknown>,
  engagement: string | null,
  columns: ColumnMapping = new Map(),
): Promise<InputRow[]> {
  // A ZIP (or an old .xls, which readSheet names): anything else would be read as CSV.
  const zipOrXls = (bytes[0] === 0x50 && bytes[1] === 0x4b) || (bytes[0] === 0xd0 && bytes[1] === 0xcf);
  if (bytes.length && !zipOrXls)
    throw new HanjianError({
      code: 'XLSX_UNREADABLE',
      category: 'invalid_input',
      path: 'body',
      zh: '请求体不是 XLSX 工作簿',
      en: 'the body is not an XLSX workbook',
    });
  // Read in a worker thread within a time and memory budget: no file holds up the event loop (issue 32).
  const sheet = await readSheetInWorker(bytes, limits, DEFAULT_BUDGET, columns);
  // An amount column left out would make every letter's total wrong: never dropped without a decision (issue 29 §3).
  const undecided = sheet.ignored.filter((h) => looksLikeAmount(h) && columns.get(headerKey(h)) !== IGNORE);
  if (undecided.length)
    throw new HanjianError({
      code: 'COLUMNS_UNDECIDED',
      category: 'invalid_input',
      path: 'columns',
      zh: `未识别的金额列：${undecided.join('、')}。请用 columns 参数映射到字段（如 {"${undecided[0]}": "debt.interest"}）或写明 "ignore"`,
      en: `amount-like columns not recognised: ${undecided.join(', ')}; map each with the columns parameter (e.g. {"${undecided[0]}": "debt.interest"}) or set it to "ignore"`,
    });
  return sheetToRows(sheet, base, limits).map((r) => {
    const contractNo = r.contractNo ? r.contractNo.slice(0, 100) : null;
    if (!r.letter) {
      const issues = r.problems.map((p) => ({ path: p.column, code: 'CELL_INVALID', message: p.zh }));
      const detail = `第 ${r.rowNo} 行${contractNo ? `（合同编号 ${contractNo}）` : ''}：${r.problems.map((p) => (p.column ? `${p.column}：${p.zh}` : p.zh)).join('；')} / row ${r.rowNo}: ${issues.length} cell(s) cannot be read`;
      return { row: r.rowNo, contractNo, value: null, problem: { code: 'INVALID_INPUT', detail, issues } };
    }
    return { row: r.rowNo, contractNo, value: engagement ? { engagement, letter: r.letter } : r.letter, problem: null };
  });
}
