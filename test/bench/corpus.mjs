// A repeatable corpus of generated letters for the benchmarks: the three kinds in turn, random
// debtor names (rare characters from formats.md, minority names with ·), addresses, amounts,
// contract numbers, demand days, and one or two lawyers (the input schema allows 1–2).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KINDS = ['reminder', 'demand', 'lawyer-letter'];

const SURNAMES = [
  ...'张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文',
];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇浩然子涵欣怡梓轩思远嘉慧婷雪晨阳'];
/** formats.md and typesetting.md: outside the BMP (𠮷 𫖯 𬌗), Extension A (䶮) and rare BMP name characters. */
const RARE = ['䶮', '𠮷', '𫖯', '𬌗', '堃', '喆', '昇', '赟', '龑'];
const MINORITY = ['阿依古丽·买买提', '迪丽娜尔·艾力', '买买提·吐尔逊', '扎西·多吉', '巴特尔·其木格', '热依拉·阿不都'];
const PLACES = [
  ['北京市', '朝阳区'],
  ['上海市', '浦东新区'],
  ['广东省深圳市', '南山区'],
  ['浙江省杭州市', '西湖区'],
  ['四川省成都市', '武侯区'],
  ['新疆维吾尔自治区乌鲁木齐市', '天山区'],
  ['内蒙古自治区呼和浩特市', '赛罕区'],
];
const STREETS = ['建国路', '人民大道', '科技园南路', '文三路', '天府大道北段', '解放南路', '中山东一路', '幸福里'];
const FIRMS = ['北京某某律师事务所', '上海某某律师事务所', '广东某某（深圳）律师事务所', '浙江某某律师事务所'];
const CREDITORS = [
  '北京某某科技有限公司',
  '上海某某小额贷款有限公司',
  '深圳某某消费金融有限公司',
  '杭州某某网络科技有限公司',
];

/** mulberry32: small, fast and the same on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCorpus(n, seed = 16) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const digits = (k) => Array.from({ length: k }, () => int(0, 9)).join('');
  const yuan = (fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  const person = () => {
    const r = rnd();
    if (r < 0.1) return pick(MINORITY);
    const given = Array.from({ length: int(1, 2) }, () => (rnd() < 0.25 ? pick(RARE) : pick(GIVEN))).join('');
    return pick(SURNAMES) + given;
  };
  const address = () => {
    const [a, b] = pick(PLACES);
    return `${a}${b}${pick(STREETS)}${int(1, 999)}号${rnd() < 0.5 ? `${int(1, 30)}号楼${int(1, 6)}单元${int(101, 2808)}室` : `某某大厦${int(2, 40)}层`}`;
  };
  const examples = KINDS.map((k) => JSON.parse(readFileSync(join(ROOT, 'templates', k, '1', 'example.json'), 'utf8')));
  const letters = [];
  for (let i = 0; i < n; i++) {
    const x = structuredClone(examples[i % 3]);
    const creditor = pick(CREDITORS);
    x.creditor.name = creditor;
    for (const c of x.creditor.paymentChannels)
      if (c.type === 'bank') {
        c.accountName = creditor;
        c.accountNo = digits(int(12, 19));
      }
    x.creditor.address = address();
    x.debtor.name = person();
    if (x.debtor.address !== undefined || rnd() < 0.5) x.debtor.address = address();
    x.account.contractNo = `${pick(['BT', 'JD', 'XY', 'LOAN', 'HT'])}${int(2019, 2026)}-${digits(int(4, 14))}${rnd() < 0.3 ? `/${digits(int(2, 5))}` : ''}`;
    const principal = int(500_00, 300_000_00);
    const interest = Math.round(principal * (0.005 + rnd() * 0.02));
    // Overdue charges stay under the licensed lenders' cap (24 % a year) for the days overdue.
    const daysOverdue = (Date.parse(x.asOf ?? x.issueDate) - Date.parse(x.account.dueDate)) / 86_400_000;
    const cap = Math.floor((principal * 0.2 * daysOverdue) / 365);
    const overdue = Math.floor(cap * rnd() * 0.7);
    const penalty = rnd() < 0.3 ? Math.floor(cap * 0.15 * rnd()) : 0;
    const fees = rnd() < 0.2 ? Math.floor(cap * 0.1 * rnd()) : 0;
    const paid = rnd() < 0.3 ? int(0, Math.floor(principal / 3)) : 0;
    x.debt = {
      principal: yuan(principal),
      interest: yuan(interest),
      overdueInterest: yuan(overdue),
      penalty: yuan(penalty),
      fees: yuan(fees),
      paid: yuan(paid),
      // Random figures are the creditor's ledger's, not what the contract's terms compute: said so,
      // as a real input must be (pipeline/facts/reconcile.ts), or the letter is refused at issue.
      basis: 'ledger',
    };
    // The schedule's one instalment is the whole principal, due on the due date, so the principal reconciles.
    if (x.terms?.schedule)
      x.terms.schedule = [{ dueDate: x.account.dueDate, principal: yuan(principal), interest: yuan(interest) }];
    // Final letters give at least the policy's minimum demand period (rules/policy.json minDemandDays: 7).
    if (x.demand) x.demand.days = int(7, 15);
    if (x.kind === 'lawyer-letter') {
      x.lawFirm.name = pick(FIRMS);
      x.lawFirm.address = address();
      x.lawyers = Array.from({ length: int(1, 2) }, () => ({
        name: person(),
        licenseNo: digits(17),
        ...(rnd() < 0.5 ? { phone: `010-${digits(8)}` } : {}),
      }));
    }
    if (x.relief) {
      x.relief.installments = [3, 6, 12, 24].slice(0, int(1, 4));
      if (rnd() < 0.5)
        x.relief.note =
          pick([
            '分期方案经双方确认后，逾期利息可按实际还款情况依约重新计算。',
            '如您已通过其他渠道还款，请保留凭证并联系我们核对。',
            '',
          ]) || undefined;
    }
    letters.push(x);
  }
  return letters;
}
