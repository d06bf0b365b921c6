/**
 * The carrier's tracking sheet read back: a row per letter with its 函号 and 运单号, and later the
 * result (妥投/拒收/退回) with its date. Headers are recognised by the names carriers and post
 * offices use; dates as a person or Excel writes them (2026-12-07, 2026/12/7, 2026年12月7日, an
 * Excel date cell). Pure: delivery.ts turns the rows into events.
 */
import { beijingMoment } from './lifecycle.js';

export interface TrackingRow {
  rowNo: number;
  number: string;
  trackingNo: string;
  channel: 'ems' | 'registered-mail';
  /** ISO moments, or '' when the sheet leaves them empty. */
  dispatchedAt: string;
  result: 'delivered' | 'refused' | 'returned' | null;
  resultAt: string;
}

export interface RowProblem {
  rowNo: number;
  message: string;
}

const HEADERS: Record<keyof Omit<TrackingRow, 'rowNo'>, string[]> = {
  number: ['函号', '函件编号', '函件号', '内件号'],
  trackingNo: ['运单号', '邮件号', '邮件号码', '快递单号', '运单编号', '挂号号码', '条码'],
  channel: ['方式', '寄递方式', '邮件种类', '业务种类'],
  dispatchedAt: ['交寄日期', '收寄日期', '寄出日期', '交寄时间', '收寄时间'],
  result: ['投递结果', '结果', '状态', '投递状态', '妥投状态', '邮件状态'],
  resultAt: ['结果日期', '投递日期', '妥投日期', '签收日期', '退回日期', '拒收日期', '投递时间', '妥投时间'],
};

const RESULTS: Record<string, TrackingRow['result']> = {
  妥投: 'delivered',
  已妥投: 'delivered',
  签收: 'delivered',
  已签收: 'delivered',
  本人签收: 'delivered',
  他人代收: 'delivered',
  单位收发章: 'delivered',
  送达: 'delivered',
  已送达: 'delivered',
  拒收: 'refused',
  已拒收: 'refused',
  退回: 'returned',
  已退回: 'returned',
  退件: 'returned',
  退回妥投: 'returned',
};

/** A day or a moment as a sheet holds it, as the ISO moment events take; null when it is not one. */
export function sheetMoment(v: string, now: Date = new Date()): string | null {
  const t = v.trim().replace(/\s+/g, ' ');
  if (!t) return '';
  if (/^\d{5}(\.\d+)?$/.test(t)) {
    // An Excel date cell read as its serial: days since 1899-12-30, the fraction the time of day (Beijing time as typed).
    const serial = Number(t);
    const ms = Date.UTC(1899, 11, 30) + Math.round(serial * 86_400_000);
    const iso = new Date(ms).toISOString();
    return beijingMoment(serial % 1 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10), now);
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2}))?$/.exec(t);
  if (!m) return /^\d{4}-\d{2}-\d{2}T/.test(t) && !Number.isNaN(Date.parse(t)) ? t : null;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) return null;
  return beijingMoment(m[4] ? `${day} ${m[4].padStart(2, '0')}:${m[5]}` : day, now);
}

/** The rows of a tracking sheet (header first), or the problems of each row that cannot be read. */
export function readTrackingRows(
  table: Map<number, string[]>,
  now: Date = new Date(),
): { rows: TrackingRow[]; problems: RowProblem[]; headerProblem: string | null } {
  const entries = [...table.entries()].sort((a, b) => a[0] - b[0]);
  const header = entries.shift();
  if (!header) return { rows: [], problems: [], headerProblem: '表格是空的。' };
  const norm = (h: string) => h.replace(/[\s*＊()（）]/g, '');
  const col = {} as Record<keyof typeof HEADERS, number>;
  for (const [k, names] of Object.entries(HEADERS) as [keyof typeof HEADERS, string[]][])
    col[k] = header[1].findIndex((h) => names.includes(norm(h)));
  if (col.number < 0) return { rows: [], problems: [], headerProblem: '缺少“函号”列。' };
  if (col.trackingNo < 0 && col.result < 0)
    return { rows: [], problems: [], headerProblem: '缺少“运单号”列（或“投递结果”列）。' };
  const rows: TrackingRow[] = [];
  const problems: RowProblem[] = [];
  for (const [rowNo, cells] of entries) {
    const cell = (k: keyof typeof HEADERS) => (col[k] >= 0 ? (cells[col[k]] ?? '').trim() : '');
    if (cells.every((c) => !c.trim())) continue;
    const fail = (message: string) => problems.push({ rowNo, message });
    const number = cell('number');
    if (!number) {
      fail('函号为空');
      continue;
    }
    const trackingNo = cell('trackingNo').replace(/\s+/g, '');
    if (trackingNo && !/^[A-Za-z0-9-]{4,40}$/.test(trackingNo)) {
      fail(`运单号“${trackingNo.slice(0, 40)}”应为 4–40 位字母、数字或连字符`);
      continue;
    }
    const resultText = cell('result').replace(/\s+/g, '');
    const result = resultText ? RESULTS[resultText] : null;
    if (result === undefined) {
      fail(`投递结果“${resultText.slice(0, 20)}”无法识别，应为 妥投、拒收 或 退回`);
      continue;
    }
    if (!trackingNo && !result) {
      fail('运单号和投递结果都为空');
      continue;
    }
    const dispatchedAt = sheetMoment(cell('dispatchedAt'), now);
    if (dispatchedAt === null) {
      fail(`交寄日期“${cell('dispatchedAt').slice(0, 30)}”不是有效日期`);
      continue;
    }
    const resultAt = sheetMoment(cell('resultAt'), now);
    if (resultAt === null) {
      fail(`结果日期“${cell('resultAt').slice(0, 30)}”不是有效日期`);
      continue;
    }
    if (result && !resultAt) {
      fail('有投递结果时须填写结果日期');
      continue;
    }
    const ch = cell('channel');
    rows.push({
      rowNo,
      number,
      trackingNo,
      channel: /挂号|平信|信函/.test(ch) ? 'registered-mail' : 'ems',
      dispatchedAt,
      result,
      resultAt,
    });
  }
  return { rows, problems, headerProblem: null };
}
