/**
 * The spreadsheet's columns: Chinese headers as clients' staff write them, the field of the
 * letter input each fills, and how its cells are read. The downloadable template is made
 * from this list, so the two cannot drift apart.
 */
export type CellKind = 'text' | 'id' | 'postcode' | 'date' | 'money' | 'rate' | 'count' | 'yesno' | 'contract';

export interface Column {
  header: string;
  /** Other headers seen in clients' files that mean the same. */
  aliases: string[];
  /** The letter input field (dotted path). */
  path: string;
  kind: CellKind;
  required: boolean;
  example: string;
}

const col = (
  header: string,
  path: string,
  kind: CellKind,
  required: boolean,
  example: string,
  aliases: string[] = [],
): Column => ({ header, path, kind, required, example, aliases });

export const COLUMNS: Column[] = [
  col('债务人姓名', 'debtor.name', 'text', true, '张三', ['姓名', '借款人姓名', '客户姓名', '债务人']),
  col('身份证号', 'debtor.idNumber', 'id', true, '110105199003071239', ['身份证号码', '证件号码', '身份证']),
  col('手机号', 'debtor.phone', 'id', false, '13800138000', ['手机号码', '手机', '联系电话']),
  col('地址', 'debtor.address', 'text', false, '北京市朝阳区某某街道某某小区3号楼2单元501室', [
    '联系地址',
    '住址',
    '通讯地址',
  ]),
  col('合同编号', 'account.contractNo', 'id', true, 'BT2025-000123', ['合同号', '借款合同编号']),
  col('产品', 'account.product', 'text', true, '白条', ['产品名称']),
  col('合同日期', 'account.contractDate', 'date', true, '2025-06-01', ['签约日期', '借款日期']),
  col('到期日', 'account.dueDate', 'date', true, '2026-09-17', ['还款到期日', '应还款日']),
  col('年利率', 'account.annualRate', 'rate', false, '0.18', ['合同年利率']),
  col('逾期日利率', 'account.overdueDailyRate', 'rate', false, '0.0005', ['罚息日利率']),
  col('本金', 'debt.principal', 'money', true, '12000.00', ['欠款本金', '剩余本金']),
  col('利息', 'debt.interest', 'money', false, '360.00'),
  col('逾期利息', 'debt.overdueInterest', 'money', false, '84.00', ['罚息']),
  col('违约金', 'debt.penalty', 'money', false, '0.00'),
  col('费用', 'debt.fees', 'money', false, '0.00'),
  col('已还款', 'debt.paid', 'money', false, '0.00', ['已还金额']),
  col('欠款合计', 'debt.total', 'money', false, '12444.00', ['应还总额', '合计']),
  col('计至日期', 'asOf', 'date', false, '', ['计算截至日']),
  col('近12个月逾期次数', 'history.overdueCount12m', 'count', false, '2', ['逾期次数']),
  // The client's own demand (逾期催告函) before the file came to the firm: the policy allows a
  // lawyer's letter only after a delivered demand whose deadline passed, and the registry cannot
  // know a letter the client sent itself. Empty: no demand was sent (a lawyer's letter waits).
  col('催告函日期', 'history.lettersSent.0.date', 'date', false, '2026-10-20', ['已发催告函日期', '前次催告函日期']),
  col('催告函还款期限', 'history.lettersSent.0.deadline', 'date', false, '2026-10-27', ['催告函期限']),
  col('催告函已送达', 'history.lettersSent.0.delivery', 'yesno', false, '是', ['催告函送达']),
  // 借款 or 分期付款买卖: the articles a letter cites follow it; empty, the import form's choice applies.
  col('合同类型', 'account.contractType', 'contract', false, '借款', ['合同种类']),
  // Printed in the envelope window (issue 29); absent, one written into the address is used. Last, so
  // that a file made from an earlier template keeps its columns where they were.
  col('邮编', 'debtor.postcode', 'postcode', false, '100020', ['邮政编码', '收件邮编']),
];

/** The column a letter field came from, for placing a problem in its cell. */
export function columnOfPath(path: string): Column | undefined {
  const p = path.replace(/^letter\./, '');
  return COLUMNS.find((c) => p === c.path || p.startsWith(`${c.path}.`));
}

export const normalizeHeader = (h: string) =>
  h.replace(/[\s\u3000*＊（(][^）)]*[）)]?$/u, '').replace(/[\s\u3000*＊]/gu, '');

/** Words clients' systems put before a field's name: 未还利息 is the 利息 still owed. */
export const PREFIX = /^(未还|应还|尚欠|剩余|待还|当前|累计|欠款|逾期未还)(?=.)/u;

/**
 * Beyond the aliases: words in clients' own headers and the field they suggest, in order (the
 * first that matches wins), for the column mapping step (mapping.ts).
 */
export const SYNONYMS: [RegExp, string][] = [
  // Rates and dates first: 罚息日利率 is a rate and 已还款日期 a date, not amounts.
  [/日利率|罚息率/u, 'account.overdueDailyRate'],
  [/利率|年化/u, 'account.annualRate'],
  [/放款日|签约日|借款日|起息日|合同日|开户日|签订日|发放日/u, 'account.contractDate'],
  [/到期日|到期时间|应还日|还款日/u, 'account.dueDate'],
  [/截至|截止|计算日|统计日/u, 'asOf'],
  [/罚息|复利|逾期利息|逾期息|罚金/u, 'debt.overdueInterest'],
  [/违约金/u, 'debt.penalty'],
  [/滞纳金|手续费|服务费|管理费|担保费|费用/u, 'debt.fees'],
  [/已还|已付|实还|还款额|已收/u, 'debt.paid'],
  [/利息|息费/u, 'debt.interest'],
  [/本金|借款金额|贷款金额|放款金额/u, 'debt.principal'],
  [/合计|总额|总计|本息|应还金额|欠款金额|欠款总/u, 'debt.total'],
  [/逾期次数|逾期期数|逾期记录/u, 'history.overdueCount12m'],
  [/身份证|证件号/u, 'debtor.idNumber'],
  [/手机|电话|联系方式/u, 'debtor.phone'],
  [/邮编|邮政编码/u, 'debtor.postcode'],
  [/地址|住址|户籍/u, 'debtor.address'],
  [/姓名|客户名|借款人|债务人/u, 'debtor.name'],
  [/合同号|合同编号|借据号|借据编号|订单号/u, 'account.contractNo'],
  [/产品|业务类型/u, 'account.product'],
];
