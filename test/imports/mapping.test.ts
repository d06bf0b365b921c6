/** A client's own columns mapped to ours: suggestions from synonyms, saved decisions, amounts added, the fix-up sheet. */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { addAmounts } from '../../src/imports/cells.js';
import {
  COLUMNS,
  planColumns,
  readTable,
  rejectedRowsXlsx,
  sheetOfTable,
  sheetToRows,
  suggestColumn,
  writeXlsx,
} from '../../src/imports/index.js';

const header = COLUMNS.map((c) => c.header);
const row = (over: Record<string, string> = {}) => COLUMNS.map((c) => over[c.header] ?? c.example);

describe('suggestions', () => {
  it.each([
    ['未还利息(元)', '利息'],
    ['未还利息（元）', '利息'],
    ['未还罚息', '逾期利息'],
    ['复利', '逾期利息'],
    ['滞纳金(元)', '费用'],
    ['应还本金', '本金'],
    ['已还金额', '已还款'],
    ['放款日期', '合同日期'],
    ['罚息日利率', '逾期日利率'],
    ['借据号', '合同编号'],
    ['证件号码', '身份证号'],
  ])('%s → %s', (h, field) => {
    expect(suggestColumn(h)?.header).toBe(field);
  });
  it.each(['客户经理', '代偿金额(元)', '备注'])('%s → nothing', (h) => {
    expect(suggestColumn(h)).toBeUndefined();
  });
});

describe('planColumns', () => {
  it('unknown columns are undecided until a saved choice applies; one that no longer fits is asked again', () => {
    const h = [...header, '未还利息(元)', '客户经理', '放款日期'];
    const fresh = planColumns(h);
    expect(fresh.undecided).toEqual(['未还利息(元)', '客户经理', '放款日期']);
    expect(fresh.unknown.map((u) => [u.header, u.amountLike, u.suggestion])).toEqual([
      ['未还利息(元)', true, 'debt.interest'],
      ['客户经理', false, null],
      // 合同日期 is in the sheet and takes one column: no suggestion.
      ['放款日期', false, null],
    ]);
    const saved = new Map([
      ['未还利息(元)', 'debt.interest'],
      ['客户经理', 'ignore'],
      ['放款日期', 'account.contractDate'],
    ]);
    const again = planColumns(h, saved);
    expect(again.undecided).toEqual(['放款日期']);
    expect(again.mapped).toEqual([{ header: '未还利息(元)', path: 'debt.interest' }]);
    // Full-width brackets are the same header.
    expect(planColumns([...header, '未还利息（元）'], saved).mapped).toHaveLength(1);
  });

  it('a missing required column is reported, and supplied by a mapped one', () => {
    const h = [...header.filter((x) => x !== '合同日期'), '放款日期'];
    expect(planColumns(h).missing.map((c) => c.header)).toEqual(['合同日期']);
    const p = planColumns(h, new Map([['放款日期', 'account.contractDate']]));
    expect(p.missing).toEqual([]);
    expect(p.undecided).toEqual([]);
  });
});

describe('reading with a mapping', () => {
  const client = [...header.filter((x) => x !== '合同日期'), '放款日期', '未还利息(元)', '客户经理'];
  const mapping = new Map([
    ['放款日期', 'account.contractDate'],
    ['未还利息(元)', 'debt.interest'],
    ['客户经理', 'ignore'],
  ]);
  const file = (over: Record<string, string>, extra: string[]) =>
    writeXlsx({
      name: 'x',
      header: client,
      rows: [[...row(over).filter((_, i) => header[i] !== '合同日期'), ...extra]],
    });

  it("an amount filled by two columns is their sum, exactly; the client's header names its problems", () => {
    expect(addAmounts('360.00', '6.31')).toBe('366.31');
    expect(addAmounts('0.1', '0.2')).toBe('0.30');
    const sheet = sheetOfTable(readTable(file({}, ['2025-06-01', '6.31', '王经理'])), undefined, mapping);
    expect(sheet.ignored).toEqual(['客户经理']);
    const [r] = sheetToRows(sheet, { kind: 'lawyer-letter' });
    expect(r!.problems).toEqual([]);
    expect(r!.letter).toMatchObject({ account: { contractDate: '2025-06-01' }, debt: { interest: '366.31' } });
    const [bad] = sheetToRows(sheetOfTable(readTable(file({}, ['', '6.31', '王经理'])), undefined, mapping), {});
    expect(bad!.problems).toContainEqual({ column: '放款日期', zh: '必填，不能为空' });
  });

  it('the fix-up sheet writes a mapped date column as dates and keeps every column; read back with the mapping, nothing is unknown', () => {
    const sheet = sheetOfTable(readTable(file({ 本金: '一万' }, ['45809', '6.31', '王经理'])), undefined, mapping);
    const rows = sheetToRows(sheet, { kind: 'lawyer-letter' });
    expect(rows[0]!.problems.length).toBeGreaterThan(0);
    const fix = rejectedRowsXlsx(rows, sheet.mapped);
    const xml = strFromU8(unzipSync(fix)['xl/worksheets/sheet1.xml']!);
    expect(xml).toMatch(/s="4"><v>45809<\/v>/);
    const back = sheetOfTable(readTable(fix), undefined, mapping);
    expect(planColumns(readTable(fix).rows.get(1)!, mapping, ['原行号', '问题']).undecided).toEqual([]);
    expect(back.ignored).toEqual(['客户经理']);
    const [again] = sheetToRows(back, { kind: 'lawyer-letter' });
    expect(again!.original).toMatchObject({ 放款日期: '45809', 客户经理: '王经理', '未还利息(元)': '6.31' });
  });
});
