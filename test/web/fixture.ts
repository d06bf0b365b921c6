/** A firm, its client, a lawyer, an assistant and an admin with passwords, an engagement; and a client's spreadsheet. */
import { join } from 'node:path';
import { openRegistry } from '../../src/app/library.js';
import { COLUMNS, writeXlsx } from '../../src/imports/index.js';
import { addDays, todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { mandatePdf } from '../fixtures/mandate.js';
import { example, restated } from '../helpers.js';
import { ACTOR, FIRM, LAWYER, PASSWORD } from '../support/world.js';

export { PASSWORD };
export const today = todayInShanghai();

export async function setUpFirm(dir: string): Promise<Record<string, string>> {
  const reg = openRegistry({ db: join(dir, 'hanjian.db') });
  const o = reg.orgs;
  const client = await o.addOrg(
    {
      kind: 'creditor',
      name: '北京某某科技有限公司',
      creditCode: '91110108MA01ABCD2H',
      address: '北京市海淀区某某路1号某某大厦8层',
      phone: '400-800-1234',
    },
    'test',
  );
  const other = await o.addOrg(
    {
      kind: 'creditor',
      name: '深圳某某信息技术有限公司',
      creditCode: '9144030071526726XG',
      address: '深圳市南山区某某路2号',
      phone: '400-800-5678',
    },
    'test',
  );
  const firm = await o.addOrg(FIRM, ACTOR);
  const lawyer = await o.addUser({ ...LAWYER, orgId: firm.id, password: PASSWORD }, ACTOR);
  await o.addUser({ orgId: firm.id, login: 'zhaoliu', name: '赵六', role: 'assistant', password: PASSWORD }, 'test');
  await o.addUser({ orgId: firm.id, login: 'admin', name: '欧阳娜娜', role: 'admin', password: PASSWORD }, 'test');
  await o.addUser({ orgId: other.id, login: 'other', name: '钱七', role: 'admin', password: PASSWORD }, 'test');
  // The signed 授权委托书, stored: every lawyer's letter lists it, and is issued only with it.
  const stored = await reg.mandates.store(await mandatePdf());
  const eng = await o.addEngagement(
    {
      creditorOrgId: client.id,
      firmOrgId: firm.id,
      signedOn: addDays(today, -30),
      startsOn: addDays(today, -30),
      products: ['白条'],
      lawyerIds: [lawyer.id],
      mandateSha256: stored.sha256,
      mandateFile: stored.file,
    },
    'test',
  );
  await reg.close();
  return { client: client.id, firm: firm.id, lawyer: lawyer.id, eng: eng.id };
}

/** `n` lawyer's letters the client requests under the engagement of setUpFirm, pending the lawyer's review: their ids. */
export async function pendingRequests(dir: string, ids: Record<string, string>, n: number): Promise<string[]> {
  const reg = openRegistry({ db: join(dir, 'hanjian.db') });
  try {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const x = example('lawyer-letter');
      for (const k of ['lawFirm', 'lawyers', 'letterNo', 'issueDate']) delete x[k];
      // Amounts as of the day it is requested (the day approval itemises them at), then no asOf: the review fills it in.
      restated(x, todayInShanghai());
      delete x.asOf;
      x.account.contractNo = `REQ-${i + 1}`;
      x.history = {
        overdueCount12m: 2,
        lettersSent: [
          { kind: 'demand', date: addDays(today, -9), deadline: addDays(today, -2), delivery: 'delivered' },
        ],
      };
      out.push(
        (
          await reg.requests.request(
            { engagement: ids.eng, letter: x },
            { orgId: ids.client!, userId: null, keyId: 'test', scopes: null },
          )
        ).id,
      );
    }
    return out;
  } finally {
    await reg.close();
  }
}

const NAMES = [
  '张三',
  '李小红',
  '王建国',
  '赵敏',
  '孙悦',
  '周杰',
  '吴秀兰',
  '郑国强',
  '阿依古丽·买买提艾力',
  '冯晓',
  '陈静',
  '褚明',
  '卫东',
  '蒋丽',
  '沈浩',
  '韩梅梅',
  '杨帆',
  '朱玲',
  '秦岭',
  '许晴',
];

/** A client's list of `n` overdue accounts; `bad` maps a spreadsheet row number to the cells that make it wrong. */
export function clientSheet(n: number, bad: Record<number, Record<string, string>> = {}): Uint8Array {
  const rows = Array.from({ length: n }, (_, i) => {
    const rowNo = i + 2;
    const v: Record<string, string> = {
      债务人姓名: NAMES[i % NAMES.length]!,
      身份证号: '110105199003071239',
      手机号: '13800138000',
      地址: '北京市朝阳区某某街道某某小区3号楼2单元501室',
      合同编号: `BT2025-${String(i + 1).padStart(6, '0')}`,
      产品: '白条',
      合同日期: addDays(today, -400),
      到期日: addDays(today, -60),
      本金: `${12000 + i * 100}.00`,
      利息: '360.00',
      逾期利息: '',
      违约金: '',
      费用: '',
      已还款: '',
      欠款合计: '',
      计至日期: '',
      年利率: '',
      逾期日利率: '',
      近12个月逾期次数: '2',
      催告函日期: addDays(today, -20),
      催告函还款期限: addDays(today, -13),
      催告函已送达: '是',
      ...bad[rowNo],
    };
    return COLUMNS.map((c) => v[c.header] ?? '');
  });
  return writeXlsx({ name: '逾期清单', header: COLUMNS.map((c) => c.header), rows });
}

/** A browser's cookie jar for the workspace over plain HTTP, as far as the tests need one. */
export function webClient(baseUrl: () => string) {
  const jar: Record<string, string> = {};
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const i = kv!.indexOf('=');
      jar[kv!.slice(0, i)] = kv!.slice(i + 1);
    }
    return r;
  };
  const cookie = () =>
    Object.entries(jar)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  const get = async (path: string, headers: Record<string, string> = {}) =>
    keep(await fetch(baseUrl() + path, { headers: { ...headers, cookie: cookie() }, redirect: 'manual' }));
  const post = async (path: string, body: URLSearchParams | FormData) =>
    keep(await fetch(baseUrl() + path, { method: 'POST', headers: { cookie: cookie() }, body, redirect: 'manual' }));
  const csrf = async (path: string) => /name="_csrf" value="([^"]+)"/.exec(await (await get(path)).text())![1]!;
  const signIn = async (login: string, password = PASSWORD, next?: string) =>
    post(
      '/app/signin',
      new URLSearchParams({ _csrf: await csrf('/app/signin'), login, password, ...(next ? { next } : {}) }),
    );
  /**
   * The review queue's batch approval form as the lawyer sends it: the count and total it shows,
   * and the password asked again.
   */
  const batchApproval = async (batchId: string, password = PASSWORD) => {
    const html = await (await get('/app/review')).text();
    const form = html.slice(html.indexOf(`action="/app/review/batch/${batchId}/approve"`));
    const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)![1]!;
    return new URLSearchParams({ _csrf: value('_csrf'), count: value('count'), totalFen: value('totalFen'), password });
  };
  return { jar, get, post, csrf, signIn, batchApproval };
}
