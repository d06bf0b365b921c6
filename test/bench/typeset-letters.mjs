// Varied letters for judging typesetting (the corpus test and bench:typst): the three kinds in
// turn, every template version of each, with random debtors (rare and minority names), firms,
// one or two lawyers, creditors, addresses, amounts, contract and account numbers, and dates:
// each example's dates are moved together by a random number of days (never before its
// version's effective date), the due date set 11–150 days before the issue date.
// Repeatable: the same seed gives the same letters on every machine. The corpus test uses a
// seed the engine was never tuned on (held out); bench:typst uses the same one.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSIONS = {
  reminder: [1, 2],
  demand: [1, 2, 3, 4],
  'lawyer-letter': [1, 2, 3, 4],
};
export const HELD_OUT_SEED = 3131;

const SURNAMES = [
  ...'张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈',
];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇浩然子涵欣怡梓轩思远嘉慧婷雪晨阳'];
const RARE = ['䶮', '𠮷', '𫖯', '𬌗', '堃', '喆', '昇', '赟', '龑'];
const MINORITY = ['阿依古丽·买买提', '迪丽娜尔·艾力', '买买提·吐尔逊', '扎西·多吉', '巴特尔·其木格'];
const PLACES = [
  ['北京市', '朝阳区'],
  ['上海市', '浦东新区'],
  ['广东省深圳市', '南山区'],
  ['浙江省杭州市', '西湖区'],
  ['四川省成都市', '武侯区'],
  ['新疆维吾尔自治区乌鲁木齐市', '天山区'],
  ['湖北省武汉市', '洪山区'],
];
const STREETS = ['建国路', '人民大道', '科技园南路', '文三路', '天府大道北段', '解放南路', '珞喻路'];
const FIRMS = ['北京某某律师事务所', '上海某某律师事务所', '广东某某（深圳）律师事务所', '湖北某某律师事务所'];
const CREDITORS = [
  '北京某某科技有限公司',
  '上海某某小额贷款有限公司',
  '深圳某某消费金融有限公司',
  '武汉某某网络科技有限公司',
];
const PRODUCTS = ['白条', '信用付', '随借随还', '分期购'];

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

const DAY = 86_400_000;
const toIso = (ms) => new Date(ms).toISOString().slice(0, 10);
const addDays = (iso, d) => toIso(Date.parse(`${iso}T00:00:00Z`) + d * DAY);
const daysBetween = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

/** Every YYYY-MM-DD string in `x`, moved by `d` days (in place). */
function moveDates(x, d) {
  for (const [k, v] of Object.entries(x)) {
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) x[k] = addDays(v, d);
    else if (v && typeof v === 'object') moveDates(v, d);
  }
}

export function generateVariedLetters(n, seed = HELD_OUT_SEED) {
  const rnd = prng(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const digits = (k) => Array.from({ length: k }, () => int(0, 9)).join('');
  const yuan = (fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  const person = () => {
    if (rnd() < 0.1) return pick(MINORITY);
    const given = Array.from({ length: int(1, 2) }, () => (rnd() < 0.2 ? pick(RARE) : pick(GIVEN))).join('');
    return pick(SURNAMES) + given;
  };
  const address = () => {
    const [a, b] = pick(PLACES);
    return `${a}${b}${pick(STREETS)}${int(1, 999)}号${rnd() < 0.5 ? `${int(1, 30)}号楼${int(1, 6)}单元${int(101, 2808)}室` : `某某大厦${int(2, 40)}层`}`;
  };
  const kinds = Object.keys(VERSIONS);
  const letters = [];
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % 3];
    const version = pick(VERSIONS[kind]);
    const dir = join(ROOT, 'templates', kind, String(version));
    const x = JSON.parse(readFileSync(join(dir, 'example.json'), 'utf8'));
    const { effectiveFrom } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    x.template = `${kind}@${version}`;
    moveDates(x, int(Math.max(-200, daysBetween(x.issueDate, effectiveFrom)), 200));
    const overdueDays = int(11, 150);
    x.account.dueDate = addDays(x.issueDate, -overdueDays);
    x.account.contractDate = addDays(x.account.dueDate, -int(60, 700));
    if (x.engagement) x.engagement.date = addDays(x.issueDate, -int(1, 10));
    if (x.previous) x.previous.issueDate = addDays(x.issueDate, -int(7, 30));
    if (x.letterNo)
      x.letterNo = x.letterNo
        .replace(/（\d{4}）/, `（${x.issueDate.slice(0, 4)}）`)
        .replace(/第\d+号/, `第${digits(4)}号`);
    if (x.previous?.number)
      x.previous.number = x.previous.number.replace(/（\d{4}）/, `（${x.previous.issueDate.slice(0, 4)}）`);
    const creditor = pick(CREDITORS);
    x.creditor.name = creditor;
    for (const c of x.creditor.paymentChannels)
      if (c.type === 'bank') {
        c.accountName = creditor;
        c.accountNo = digits(int(12, 19));
      }
    x.creditor.address = address();
    // Service lines as creditors print them: 400 numbers, short 95 numbers, landlines.
    const servicePhone = () =>
      pick([`400-${digits(3)}-${digits(4)}`, `95${digits(3)}`, `0${int(10, 29)}-${digits(8)}`, `400${digits(7)}`]);
    x.creditor.phone = servicePhone();
    if (x.relief?.hardshipPhone) x.relief.hardshipPhone = servicePhone();
    x.debtor.name = person();
    if (x.debtor.address !== undefined || rnd() < 0.5) x.debtor.address = address();
    x.account.product = pick(PRODUCTS);
    x.account.contractNo = `${pick(['BT', 'JD', 'XY', 'LOAN', 'HT'])}${int(2019, 2026)}-${digits(int(4, 14))}`;
    const principal = int(500_00, 300_000_00);
    const interest = Math.round(principal * (0.005 + rnd() * 0.02));
    // Overdue charges stay under the licensed lenders' cap (24 % a year) for the days overdue.
    const cap = Math.floor((principal * 0.2 * overdueDays) / 365);
    x.debt = {
      principal: yuan(principal),
      interest: yuan(interest),
      overdueInterest: yuan(Math.floor(cap * rnd() * 0.7)),
      penalty: yuan(rnd() < 0.3 ? Math.floor(cap * 0.15 * rnd()) : 0),
      fees: yuan(rnd() < 0.2 ? Math.floor(cap * 0.1 * rnd()) : 0),
      paid: yuan(rnd() < 0.3 ? int(0, Math.floor(principal / 3)) : 0),
    };
    if (x.demand) x.demand.days = int(7, 15);
    if (x.lawFirm) {
      x.lawFirm.name = pick(FIRMS);
      x.lawFirm.address = address();
      x.lawFirm.phone = `0${int(10, 29)}-${digits(8)}`;
    }
    if (x.lawyers)
      x.lawyers = Array.from({ length: int(1, 2) }, () => ({
        name: person(),
        licenseNo: digits(17),
        ...(rnd() < 0.5 ? { phone: `0${int(10, 29)}-${digits(8)}` } : {}),
      }));
    letters.push(x);
  }
  return letters;
}
