/**
 * Repayment plans over HTTP: the creditor's settings, a demand that offers them (the attachment
 * in the PDF), acceptance on the public verification page (CSRF, limits, the one-time code sent
 * to the contract's phone), the 还款计划确认函 issued through the registry, the plan-accepted
 * event, and the policy suspended by the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../src/pipeline/schema/dates.js';
import { dated } from '../helpers.js';
import { readPdf } from '../pipeline/pdf/extract.js';
import { lastCode, outbox } from '../support/sms.js';
import { KEYS, startTestServer, type TestServer } from './server-helper.js';

const ADMIN = 'k-admin-0123456789abcdef0123456789abcde';
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    apiKeys: [
      { id: 'all', key: KEYS.all, scopes: ['preview', 'read', 'issue:reminder', 'issue:demand', 'deliver', 'request'] },
      { id: 'admin', key: ADMIN, scopes: ['admin', 'read'] },
    ],
  });
});
afterAll(async () => {
  await s.close();
});

const today = todayInShanghai();
const form = (path: string, fields: Record<string, string>, cookie?: string) =>
  s.call('POST', path, {
    key: null,
    raw: new URLSearchParams(fields).toString(),
    type: 'application/x-www-form-urlencoded',
    headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
  });
const strip = (t: string) => t.replace(/\s+/g, '');

describe('repayment plans', () => {
  let issued: { id: string; number: string; verifyCode: string };

  it('settings: admin scope, validated, naming the field', async () => {
    const settings = { terms: [3, 6, 12], firstDueDays: 15, minInstalment: '800.00', graceDays: 10 };
    expect((await s.call('PUT', '/v1/plan-settings', { body: settings })).status).toBe(403);
    const bad = await s.call('PUT', '/v1/plan-settings', { key: ADMIN, body: { ...settings, terms: [6, 3] } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('"path":"terms"');
    const ok = await s.call('PUT', '/v1/plan-settings', { key: ADMIN, body: settings });
    expect(ok.status).toBe(200);
    expect(await (await s.call('GET', '/v1/plan-settings')).json()).toMatchObject({
      settings: { terms: [3, 6, 12], minInstalment: '800.00' },
    });
  });

  it('a demand@3 offers them as 附件：分期还款方案; the caller cannot type plans or a previous letter in', async () => {
    const demand: Record<string, any> = { ...dated('demand', today), template: 'demand@3' };
    demand.account.contractNo = 'PLAN-001';
    demand.debt = {
      principal: '8000.00',
      interest: '734.00',
      overdueInterest: '0.00',
      penalty: '0.00',
      paid: '0.00',
      basis: 'ledger',
    };
    delete demand.terms; // the creditor's own figures, not the example's schedule
    for (const [field, value] of [
      ['plans', { terms: [3], firstDueDays: 15 }],
      ['previous', { kind: 'reminder', number: 'X（2026）第1号', issueDate: today, sender: 'self' }],
    ] as const) {
      const r = await s.call('POST', '/v1/letters', {
        body: { ...demand, [field]: value },
        headers: { 'idempotency-key': `p-${field}` },
      });
      expect(r.status).toBe(422);
      const problem = await r.json();
      expect(problem).toMatchObject({ code: 'FROM_REGISTRY' });
      expect(JSON.stringify(problem)).toContain(field);
    }
    const r = await s.call('POST', '/v1/letters', { body: demand, headers: { 'idempotency-key': 'p-1' } });
    expect(r.status).toBe(201);
    issued = (await r.json()) as typeof issued;
    const pdf = await readPdf(Buffer.from(await (await s.call('GET', `/v1/letters/${issued.id}/pdf`)).arrayBuffer()));
    const text = pdf.lines.map((l) => strip(l.text));
    expect(text).toContain('附件：分期还款方案');
    // 8,734.00 with an 800.00 minimum: 3 and 6 instalments are offered, 12 (727.83) is not.
    expect(text.filter((t) => /^方案\d：分\d+期/.test(t))).toEqual([
      '方案1：分3期（单位：人民币元）',
      '方案2：分6期（单位：人民币元）',
    ]);
  });

  it('the debtor accepts one option on the verification page: recorded, confirmed by a 还款计划确认函, the policy suspended', async () => {
    const page = await s.call(
      'GET',
      `/v1/verify?number=${encodeURIComponent(issued.number)}&code=${issued.verifyCode}`,
      { key: null, headers: { accept: 'text/html' } },
    );
    const html = await page.text();
    expect(html).toContain('选择分期还款方案');
    expect([...html.matchAll(/name="terms" value="(\d+)"/g)].map((m) => m[1])).toEqual(['3', '6']);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const fields = { number: issued.number, code: issued.verifyCode, csrf, terms: '6' };
    expect(html).toContain('获取短信验证码');
    expect(html).toContain('136****5432');

    for (const path of ['/v1/verify/plans/code', '/v1/verify/plans']) {
      expect((await form(path, fields)).status).toBe(403); // no cookie
      expect((await form(path, { ...fields, terms: '12' }, cookie)).status).toBe(422); // not offered
      expect((await form(path, { ...fields, code: 'WRONG1' }, cookie)).status).toBe(404);
    }
    // Both forms share one body parser and its 8 KB limit (the 413 page itself: debtor-pages.test.ts). Refused from
    // Content-Length, the connection closes after the answer: on a loaded machine the client may see the reset first.
    const tooLarge = await form('/v1/verify/plans', { ...fields, terms: 'x'.repeat(9000) }, cookie).catch(
      (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message,
    );
    expect([413, 'ECONNRESET']).toContain(typeof tooLarge === 'string' ? tooLarge : tooLarge.status);
    // The number and the code printed on the letter are not enough: without a one-time code, refused.
    const bare = await form('/v1/verify/plans', fields, cookie);
    expect([bare.status, ((await bare.json()) as { code: string }).code]).toEqual([403, 'PLAN_CODE_REQUIRED']);
    expect(outbox(s.dir)).toHaveLength(0); // no code was sent for a refused request

    // Step one: a code for the 6-instalment option, to the phone on the contract.
    const sent = await form('/v1/verify/plans/code', fields, cookie);
    expect(sent.status, await sent.clone().text()).toBe(202);
    const sentBody = (await sent.json()) as { terms: number; sentTo: string; expiresAt: string; resendAt: string };
    expect(sentBody).toMatchObject({ terms: 6, sentTo: '136****5432' });
    expect(Date.parse(sentBody.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    const [message] = outbox(s.dir);
    expect(message).toMatchObject({ to: '136****5432' });
    expect(message!.code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(message)).not.toContain('13698765432'); // the outbox holds no full number
    // Asked again at once: refused for a minute (the code sent still works).
    const again = await form('/v1/verify/plans/code', fields, cookie);
    expect([again.status, again.headers.get('retry-after')]).toEqual([429, '60']);
    expect(((await again.json()) as { code: string }).code).toBe('PLAN_CODE_TOO_SOON');

    // Without the code, with a wrong one, or with the code for another option: refused, each with its own code.
    const wrong = String((Number(message!.code) + 1) % 1_000_000).padStart(6, '0');
    for (const [extra, code] of [
      [{}, 'PLAN_CODE_REQUIRED'],
      [{ smsCode: wrong }, 'PLAN_CODE_INVALID'],
      [{ smsCode: message!.code, terms: '3' }, 'PLAN_CODE_MISMATCH'],
    ] as const) {
      const r = await form('/v1/verify/plans', { ...fields, ...extra }, cookie);
      expect([r.status, ((await r.json()) as { code: string }).code]).toEqual([403, code]);
    }
    const ok = await form('/v1/verify/plans', { ...fields, smsCode: lastCode(s.dir) }, cookie);
    expect(ok.status, await ok.clone().text()).toBe(201);
    const body = (await ok.json()) as {
      plan: { id: string; terms: number };
      confirmation: { number: string; verifyUrl: string };
    };
    expect(body.plan.terms).toBe(6);
    // The same choice again is the same plan and letter; another choice is refused.
    expect(await (await form('/v1/verify/plans', fields, cookie)).json()).toMatchObject({
      confirmation: { number: body.confirmation.number },
    });
    expect(await (await form('/v1/verify/plans', { ...fields, terms: '3' }, cookie)).json()).toMatchObject({
      code: 'PLAN_ALREADY_ACCEPTED',
    });

    // Listed for the creditor, with the confirmation letter; its table is the accepted schedule.
    const list = (await (await s.call('GET', '/v1/plans')).json()) as {
      plans: {
        terms: number;
        instalments: { dueDate: string; amount: string }[];
        confirmation: { id: string; number: string };
      }[];
    };
    const plan = list.plans[0]!;
    expect(plan.confirmation.number).toBe(body.confirmation.number);
    expect(plan.instalments.reduce((a, i) => a + Math.round(Number(i.amount) * 100), 0)).toBe(873400);
    const conf = await readPdf(
      Buffer.from(await (await s.call('GET', `/v1/letters/${plan.confirmation.id}/pdf`)).arrayBuffer()),
    );
    const confText = conf.lines.map((l) => strip(l.text));
    expect(confText).toContain('还款计划确认函');
    expect(confText.join('')).toContain(`${issued.number}逾期催告函附有分期还款方案`);
    const [first] = plan.instalments;
    const [y, m, d] = first!.dueDate.split('-').map(Number);
    expect(confText).toContain(
      `第1期${y}年${m}月${d}日${Number(first!.amount).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    );

    // The offer letter's events and the verification page show it.
    const events = (await (await s.call('GET', `/v1/letters/${issued.id}/events`)).json()) as {
      state: string;
      events: { type: string }[];
    };
    expect(events).toMatchObject({ state: 'issued', events: [{ type: 'plan-accepted' }] });
    expect(
      await (
        await s.call('GET', `/v1/verify?number=${encodeURIComponent(issued.number)}&code=${issued.verifyCode}`, {
          key: null,
          headers: { accept: 'text/html' },
        })
      ).text(),
    ).toContain('您已于');

    // The policy, from the registry's history of the contract: suspended while the plan is current.
    const rec = (await (
      await s.call('POST', '/v1/recommendations', {
        body: { ...dated('demand', today), account: { ...dated('demand', today).account, contractNo: 'PLAN-001' } },
      })
    ).json()) as { kind: string | null; reasons: string[] };
    expect(rec.kind).toBe(null);
    expect(rec.reasons[0]).toContain('repayment plan current');
    // Nobody issues a confirmation directly: no key has a scope for it.
    expect(
      (
        await s.call('POST', '/v1/letters', {
          body: { kind: 'plan-confirmation' },
          headers: { 'idempotency-key': 'p-c' },
        })
      ).status,
    ).toBe(403);
  });

  it('in a browser: the code page after asking, the same page again with the reason after a wrong code, then the confirmation', async () => {
    const demand: Record<string, any> = { ...dated('demand', today), template: 'demand@3' };
    demand.account.contractNo = 'PLAN-003';
    demand.debt = { principal: '8000.00', interest: '734.00', basis: 'ledger' };
    delete demand.terms;
    const issued = (await (
      await s.call('POST', '/v1/letters', { body: demand, headers: { 'idempotency-key': 'p-3' } })
    ).json()) as { number: string; verifyCode: string };
    const html = { accept: 'text/html' };
    const page = await s.call(
      'GET',
      `/v1/verify?number=${encodeURIComponent(issued.number)}&code=${issued.verifyCode}`,
      { key: null, headers: html },
    );
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const fields = { number: issued.number, code: issued.verifyCode, csrf, terms: '3' };
    const post = (path: string, f: Record<string, string>) =>
      s.call('POST', path, {
        key: null,
        raw: new URLSearchParams(f).toString(),
        type: 'application/x-www-form-urlencoded',
        headers: { ...html, cookie },
      });

    const codePage = await post('/v1/verify/plans/code', fields);
    expect(codePage.status).toBe(202);
    const codeHtml = await codePage.text();
    expect(codeHtml).toContain('验证码已通过短信发送至合同预留的手机号 <b>136****5432</b>');
    expect(codeHtml).toContain('name="smsCode"');
    expect(codeHtml).toContain('autocomplete="one-time-code"');
    expect(codeHtml).toContain('<input type="hidden" name="terms" value="3">');
    // Asked again at once: the same page, saying to wait (the code sent still works).
    const soon = await post('/v1/verify/plans/code', fields);
    expect(soon.status).toBe(429);
    const soonHtml = await soon.text();
    expect(soonHtml).toContain('请 60 秒后再重新获取');
    expect(soonHtml).toContain('name="smsCode"');

    const code = lastCode(s.dir);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const retry = await post('/v1/verify/plans', { ...fields, smsCode: wrong });
    expect(retry.status).toBe(403);
    const retryHtml = await retry.text();
    expect(retryHtml).toContain('验证码不正确，还可再试 4 次');
    expect(retryHtml).toContain('name="smsCode"');
    expect(retryHtml).not.toMatch(/PLAN_CODE|the one-time code/);
    const done = await post('/v1/verify/plans', { ...fields, smsCode: code });
    expect(done.status).toBe(201);
    expect(await done.text()).toContain('您已选择分 3 期还款');
  });

  it('/v1/verify without parameters: a form for a browser, 422 for a client', async () => {
    const page = await s.call('GET', '/v1/verify', { key: null, headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="get" action="/v1/verify">');
    expect(html).toContain('name="number"');
    const half = await s.call('GET', '/v1/verify?number=%3Cb%3E', { key: null, headers: { accept: 'text/html' } });
    expect(half.status).toBe(422);
    expect(await half.text()).toContain('value="&lt;b&gt;"');
    const json = await s.call('GET', '/v1/verify', { key: null, headers: { accept: 'application/json' } });
    expect(json.status).toBe(422);
    expect(await json.json()).toMatchObject({ code: 'VERIFY_QUERY' });
  });
});

describe('a plan that costs interest', () => {
  const fen = (yuan: string) => Math.round(Number(yuan) * 100);

  it('settings above the strictest cap are refused naming annualRateBp; demand@3 cannot carry a costed plan; demand@4 and its confirmation state the cost', async () => {
    const costed = { terms: [3, 6], firstDueDays: 15, graceDays: 10, interest: 'continues', annualRateBp: 1300 };
    const over = await s.call('PUT', '/v1/plan-settings', { key: ADMIN, body: costed });
    expect(over.status).toBe(422);
    const problem = JSON.stringify(await over.json());
    expect(problem).toContain('"path":"annualRateBp"');
    expect(problem).toContain('PLAN_COST_OVER_CAP');
    expect(
      (await s.call('PUT', '/v1/plan-settings', { key: ADMIN, body: { ...costed, annualRateBp: 800 } })).status,
    ).toBe(200);
    expect(await (await s.call('GET', '/v1/plan-settings')).json()).toMatchObject({
      settings: { interest: 'continues', annualRateBp: 800 },
    });

    const demand: Record<string, any> = { ...dated('demand', today), template: 'demand@3' };
    demand.account.contractNo = 'PLAN-002';
    demand.debt = {
      principal: '8000.00',
      interest: '734.00',
      overdueInterest: '0.00',
      penalty: '0.00',
      paid: '0.00',
      basis: 'ledger',
    };
    delete demand.terms; // the creditor's own figures, not the example's schedule
    // A version that says a plan costs nothing is refused rather than printing the plan free or dropping it.
    const v3 = await s.call('POST', '/v1/letters', { body: demand, headers: { 'idempotency-key': 'pc-3' } });
    expect(v3.status).toBe(422);
    expect(JSON.stringify(await v3.json())).toContain('"path":"template"');
    const r = await s.call('POST', '/v1/letters', {
      body: { ...demand, template: 'demand@4' },
      headers: { 'idempotency-key': 'pc-4' },
    });
    expect(r.status).toBe(201);
    const issued = (await r.json()) as { id: string; number: string; verifyCode: string };
    const text = (
      await readPdf(Buffer.from(await (await s.call('GET', `/v1/letters/${issued.id}/pdf`)).arrayBuffer()))
    ).lines.map((l) => strip(l.text));
    const costRows = text.filter((t) => t.startsWith('方案成本（利息）年利率8%'));
    const totals = text.filter((t) => t.startsWith('应还总额'));
    expect(costRows).toHaveLength(2);
    expect(totals).toHaveLength(2);

    // The debtor chooses 3 instalments; the confirmation states the same cost.
    const page = await s.call(
      'GET',
      `/v1/verify?number=${encodeURIComponent(issued.number)}&code=${issued.verifyCode}`,
      { key: null, headers: { accept: 'text/html' } },
    );
    const html = await page.text();
    expect(html).toContain('其中利息（方案成本）');
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const chosen = { number: issued.number, code: issued.verifyCode, csrf, terms: '3' };
    expect((await form('/v1/verify/plans/code', chosen, cookie)).status).toBe(202);
    const ok = await form('/v1/verify/plans', { ...chosen, smsCode: lastCode(s.dir) }, cookie);
    expect(ok.status, await ok.clone().text()).toBe(201);

    const list = (await (await s.call('GET', '/v1/plans')).json()) as {
      plans: {
        letterId: string;
        total: string;
        cost: string;
        annualRateBp: number | null;
        instalments: { amount: string; interest: string }[];
        confirmation: { id: string };
      }[];
    };
    const plan = list.plans.find((p) => p.letterId === issued.id)!;
    expect(plan.annualRateBp).toBe(800);
    expect(fen(plan.cost)).toBeGreaterThan(0);
    expect(plan.instalments.reduce((a, i) => a + fen(i.amount), 0)).toBe(fen(plan.total));
    expect(plan.instalments.reduce((a, i) => a + fen(i.amount) - fen(i.interest), 0)).toBe(873400);
    expect(fen(plan.total)).toBe(873400 + fen(plan.cost));
    // The letter's table for that option printed the same cost and total.
    const costFigures = Number(plan.cost).toLocaleString('en-US', { minimumFractionDigits: 2 });
    const totalFigures = Number(plan.total).toLocaleString('en-US', { minimumFractionDigits: 2 });
    expect(costRows[0]).toBe(`方案成本（利息）年利率8%${costFigures}`);
    expect(totals[0]).toBe(`应还总额3期${totalFigures}`);

    const record = (await (await s.call('GET', `/v1/letters/${plan.confirmation.id}`)).json()) as { template: string };
    expect(record.template).toBe('plan-confirmation@2');
    const conf = (
      await readPdf(Buffer.from(await (await s.call('GET', `/v1/letters/${plan.confirmation.id}/pdf`)).arrayBuffer()))
    ).lines.map((l) => strip(l.text));
    expect(conf).toContain(`计划成本（利息）年利率8%${costFigures}`);
    expect(conf).toContain(`应还总额3期${totalFigures}`);
  });
});
