/**
 * The senders of one-time codes: Aliyun SMS against a local fake of its HTTP API (which checks
 * the V3 signature of the request it received, as Aliyun does), its failures as
 * SMS_UNAVAILABLE without the secret; the file sender's outbox without the full number; and the
 * configuration that picks a sender (app/config.ts `sms`).
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, parseConfig } from '../../src/app/config.js';
import { smsSenderOf } from '../../src/app/from-config.js';
import { AliyunSmsSender } from '../../src/sms/aliyun.js';
import { FileSmsSender, LogSmsSender, OUTBOX_FILE } from '../../src/sms/dev-senders.js';

const ID = 'LTAI5tTestAccessKeyId';
const SECRET = 'test-secret-never-in-a-message-0123456789';
type Answer = { status: number; body: string } | 'hang';
let answer: Answer = { status: 200, body: '' };
const seen: { req: IncomingMessage; query: URLSearchParams; signatureOk: boolean }[] = [];
let server: Server;
let endpoint: string;

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
/** What Aliyun computes from the request it received (signature method V3), written out from its documentation. */
function signatureOf(req: IncomingMessage, rawQuery: string): { expected: string; given: string } {
  const auth = String(req.headers.authorization ?? '');
  const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m || m[1] !== ID) return { expected: 'no', given: auth };
  const names = m[2]!.split(';');
  const canonicalQuery = rawQuery
    .split('&')
    .filter(Boolean)
    .map((kv) => kv.split('='))
    .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const request = [
    req.method,
    req.url!.split('?')[0],
    canonicalQuery,
    names.map((n) => `${n}:${String(req.headers[n] ?? '').trim()}\n`).join(''),
    names.join(';'),
    hex(''),
  ].join('\n');
  return {
    expected: createHmac('sha256', SECRET)
      .update(`ACS3-HMAC-SHA256\n${hex(request)}`)
      .digest('hex'),
    given: m[3]!,
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const rawQuery = req.url!.split('?')[1] ?? '';
    const { expected, given } = signatureOf(req, rawQuery);
    seen.push({ req, query: new URLSearchParams(rawQuery), signatureOk: expected === given });
    if (answer === 'hang') return; // never answers: the sender's time limit
    if (expected !== given) {
      res.writeHead(400, { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({ Code: 'IncompleteSignature', Message: 'The request signature does not conform' }),
      );
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const sender = (timeoutMs = 2_000) =>
  new AliyunSmsSender({
    accessKeyId: ID,
    accessKeySecret: SECRET,
    signName: '某某科技',
    templateCode: 'SMS_123456789',
    endpoint,
    timeoutMs,
  });

describe('Aliyun SMS', () => {
  it('sends SendSms with the number, the signature name, the template and the code, signed (V3); the BizId is the message id', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({ Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'R-1' }),
    };
    const { messageId } = await sender().send({ to: '13698765432', code: '042917', minutes: 10 });
    expect(messageId).toBe('900619746936498440^0');
    const { req, query, signatureOk } = seen.at(-1)!;
    expect(signatureOk).toBe(true);
    expect(req.method).toBe('POST');
    expect(req.headers).toMatchObject({ 'x-acs-action': 'SendSms', 'x-acs-version': '2017-05-25' });
    expect(String(req.headers['x-acs-date'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(String(req.headers['x-acs-signature-nonce'])).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.fromEntries(query)).toEqual({
      PhoneNumbers: '13698765432',
      SignName: '某某科技',
      TemplateCode: 'SMS_123456789',
      TemplateParam: '{"code":"042917"}',
    });
    // Two sends are two nonces.
    await sender().send({ to: '13698765432', code: '042918', minutes: 10 });
    expect(seen.at(-1)!.req.headers['x-acs-signature-nonce']).not.toBe(req.headers['x-acs-signature-nonce']);
  });

  it('a refusal, an error status, a non-JSON answer and no answer are SMS_UNAVAILABLE, naming the provider’s code and never the secret', async () => {
    const cases: [Answer, RegExp][] = [
      [
        {
          status: 200,
          body: JSON.stringify({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' }),
        },
        /isv\.BUSINESS_LIMIT_CONTROL/,
      ],
      [{ status: 500, body: JSON.stringify({ Code: 'InternalError' }) }, /500 InternalError/],
      [{ status: 200, body: '<html>gateway</html>' }, /without a Code/],
      ['hang', /did not answer \((TimeoutError|AbortError)\)/],
    ];
    for (const [a, message] of cases) {
      answer = a;
      const e = await sender(300)
        .send({ to: '13698765432', code: '111111', minutes: 10 })
        .catch((x: unknown) => x as Error & { code: string });
      expect(e, String(message)).toMatchObject({ code: 'SMS_UNAVAILABLE' });
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).not.toContain(SECRET);
    }
  });
});

describe('the file and log senders', () => {
  it('write the code and the masked number, never the full number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-sms-'));
    const { messageId } = await new FileSmsSender(dir).send({ to: '13698765432', code: '123456', minutes: 10 });
    const text = readFileSync(join(dir, OUTBOX_FILE), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ messageId, to: '136****5432', code: '123456' });
    expect(text).not.toContain('13698765432');
    const lines: Record<string, unknown>[] = [];
    await new LogSmsSender((e) => lines.push(e)).send({ to: '13698765432', code: '654321', minutes: 10 });
    expect(lines[0]).toMatchObject({ to: '136****5432', code: '654321', level: 'warn' });
    expect(JSON.stringify(lines)).not.toContain('13698765432');
  });
});

describe('the sms setting', () => {
  const log = () => {};
  it('picks the sender: the file sender outside production by default, none in production; aliyun with its secret inline or in a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanjian-sms-'));
    const dev = smsSenderOf(parseConfig({ db: join(dir, 'h.db') }), log, false);
    expect(dev).toBeInstanceOf(FileSmsSender);
    expect((dev as FileSmsSender).file).toBe(join(dir, OUTBOX_FILE));
    expect(smsSenderOf(parseConfig({ db: join(dir, 'h.db') }), log, true)).toBeNull();
    expect(smsSenderOf(parseConfig({ sms: { provider: 'log' } }), log, true)).toBeInstanceOf(LogSmsSender);
    writeFileSync(join(dir, 'secret'), `${SECRET}\n`);
    const aliyun = {
      provider: 'aliyun',
      accessKeyId: ID,
      accessKeySecretFile: join(dir, 'secret'),
      signName: '某某科技',
      templateCode: 'SMS_123456789',
    };
    // From the environment, as JSON or as a file holding it.
    const env = configFromEnv({ HANJIAN_SMS: JSON.stringify(aliyun) });
    expect(smsSenderOf(env, log, true)).toBeInstanceOf(AliyunSmsSender);
    writeFileSync(join(dir, 'sms.json'), JSON.stringify(aliyun));
    expect(configFromEnv({ HANJIAN_SMS_FILE: join(dir, 'sms.json') }).sms).toMatchObject({ provider: 'aliyun' });
  });

  it('refuses an incomplete or misspelt provider setting, naming it', () => {
    const base = { provider: 'aliyun', accessKeyId: ID, signName: '某某科技', templateCode: 'SMS_123456789' };
    expect(() => parseConfig({ sms: base })).toThrow(/accessKeySecret or accessKeySecretFile/);
    expect(() => parseConfig({ sms: { ...base, accessKeySecret: SECRET, templateCode: '123' } })).toThrow(
      /templateCode/,
    );
    expect(() => parseConfig({ sms: { provider: 'tencent' } })).toThrow(/sms/);
    expect(() => parseConfig({ sms: { provider: 'file', folder: '/tmp' } })).toThrow(/folder/);
    const missing = parseConfig({ sms: { ...base, accessKeySecretFile: '/nonexistent/secret' } });
    expect(() => smsSenderOf(missing, log, true)).toThrow(/accessKeySecretFile/);
  });
});
