/** A firm, its client, a lawyer, an assistant and an admin with passwords, an engagement; and a client's spreadsheet. */
import { join } from 'node:path';
import { openRegistry } from '../../src/app/library.js';
import { COLUMNS, writeXlsx } from '../../src/imports/index.js';
import type { Caller } from '../../src/orgs/model.js';
import { addDays, todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { addWorld, PASSWORD, requestLawyerLetters } from '../support/world.js';

export { PASSWORD };
export const today = todayInShanghai();

/** The world's records by the names the web tests use: client, firm, lawyer, eng (the engagement). */
export async function setUpFirm(dir: string): Promise<Record<string, string>> {
  const reg = openRegistry({ db: join(dir, 'hanjian.db') });
  try {
    // The signed 授权委托书 is stored (the registry has mandates): every lawyer's letter lists it.
    const w = await addWorld(reg, { today });
    return { client: w.client.id, firm: w.firm.id, lawyer: w.lawyer.id, eng: w.engagement.id };
  } finally {
    await reg.close();
  }
}

/** The lawyer of setUpFirm as a caller of the parts (approving as the review does). */
export const lawyerCaller = (ids: Record<string, string>): Caller => ({
  orgId: ids.firm!,
  userId: ids.lawyer!,
  keyId: 'test',
  scopes: null,
});

/** `n` lawyer's letters the client requests under the engagement of setUpFirm, pending the lawyer's review: their ids. */
export async function pendingRequests(dir: string, ids: Record<string, string>, n: number): Promise<string[]> {
  const reg = openRegistry({ db: join(dir, 'hanjian.db') });
  try {
    return await requestLawyerLetters(reg, { engagementId: ids.eng!, clientOrgId: ids.client! }, n, today);
  } finally {
    await reg.close();
  }
}

/**
 * Approves, as the lawyer of setUpFirm, the requests named — else those pending, in the order of
 * their contract numbers (the rows of an imported sheet), the first `first` of them or all: the
 * letters issued, in that order.
 */
export async function approveAs(
  dir: string,
  ids: Record<string, string>,
  o: { requestIds?: string[]; first?: number } = {},
): Promise<{ id: string; number: string }[]> {
  const reg = openRegistry({ db: join(dir, 'hanjian.db') });
  try {
    const lawyer = lawyerCaller(ids);
    const named =
      o.requestIds ??
      (await reg.requests.list(lawyer, 'pending_review'))
        .sort((a, b) => a.contractNo.localeCompare(b.contractNo))
        .slice(0, o.first)
        .map((r) => r.id);
    const out: { id: string; number: string }[] = [];
    for (const id of named) {
      const { record } = await reg.requests.approve(id, lawyer);
      out.push({ id: record.id, number: record.number });
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

/** What an assistant answers on the import form besides the file and the engagement. */
export const IMPORT_FIELDS = {
  online: '某某APP—我的—立即还款',
  demandDays: '7',
  delivery: 'ems',
  contractType: 'loan',
};

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
  /** The import form with the answers every test gives, `fields` over them (the engagement, a kind): its answer. */
  const upload = async (bytes: Uint8Array, fields: Record<string, string>, name = 'list.xlsx') => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ _csrf: await csrf('/app/import'), ...IMPORT_FIELDS, ...fields }))
      form.append(k, v);
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    return post('/app/import', form);
  };
  return { jar, get, post, csrf, signIn, batchApproval, upload };
}
