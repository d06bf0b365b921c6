/**
 * Aliyun SMS (阿里云短信服务, Dysmsapi 2017-05-25, SendSms) over its HTTP API, signed with
 * Aliyun's signature method V3 (ACS3-HMAC-SHA256), without the SDK:
 *
 *   POST https://dysmsapi.aliyuncs.com/?PhoneNumbers=…&SignName=…&TemplateCode=…&TemplateParam={"code":"123456"}
 *   x-acs-action: SendSms, x-acs-version: 2017-05-25, x-acs-date (UTC, seconds), x-acs-signature-nonce,
 *   x-acs-content-sha256 (of the empty body), host
 *   Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>
 *
 * where Signature = hex(HMAC-SHA256(AccessKeySecret, "ACS3-HMAC-SHA256\n" + hex(SHA-256(CanonicalRequest))))
 * and CanonicalRequest = method \n path \n sorted RFC 3986 query \n "name:value\n" per signed header
 * (lower case, sorted) \n signed header names joined by ";" \n hex(SHA-256(body)).
 * The answer `{"Code":"OK","BizId":…}` is a message accepted for delivery; its BizId is the
 * message id kept in the acceptance record. Any other Code, a non-2xx status, a timeout or a
 * network error is SMS_UNAVAILABLE (the message names the provider's code, never the secret).
 * The template (approved in the Aliyun console) has one variable, ${code}.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { type SmsMessage, type SmsSender, smsUnavailable } from './sender.js';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature (短信签名), e.g. 某某科技. */
  signName: string;
  /** The approved template's code (模板 CODE), e.g. SMS_123456789, whose text has ${code}. */
  templateCode: string;
  /** Default https://dysmsapi.aliyuncs.com. */
  endpoint?: string;
  timeoutMs?: number;
}

export const ALIYUN_SMS_ENDPOINT = 'https://dysmsapi.aliyuncs.com';
const ALGORITHM = 'ACS3-HMAC-SHA256';

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** RFC 3986 percent-encoding: unreserved characters stay, everything else (spaces as %20) is encoded. */
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
}

/** The request's URL and headers, signed (exported for the test, which checks the signature independently). */
export function signAliyunRequest(o: {
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  action: string;
  version: string;
  query: Record<string, string>;
  date: Date;
  nonce: string;
}): SignedRequest {
  const url = new URL(o.endpoint);
  const query = Object.keys(o.query)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(o.query[k]!)}`)
    .join('&');
  const headers: Record<string, string> = {
    host: url.host,
    'x-acs-action': o.action,
    'x-acs-version': o.version,
    'x-acs-date': o.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': o.nonce,
    'x-acs-content-sha256': sha256Hex(''),
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    'POST',
    url.pathname || '/',
    query,
    names.map((n) => `${n}:${headers[n]!.trim()}\n`).join(''),
    names.join(';'),
    headers['x-acs-content-sha256'],
  ].join('\n');
  const signature = createHmac('sha256', o.accessKeySecret)
    .update(`${ALGORITHM}\n${sha256Hex(canonical)}`)
    .digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${o.accessKeyId},SignedHeaders=${names.join(';')},Signature=${signature}`;
  return { url: `${url.origin}${url.pathname || '/'}?${query}`, headers };
}

export class AliyunSmsSender implements SmsSender {
  readonly name = 'aliyun';
  readonly label = '阿里云短信服务';
  readonly real = true;

  constructor(private o: AliyunSmsOptions) {}

  async send(m: SmsMessage): Promise<{ messageId: string }> {
    const { url, headers } = signAliyunRequest({
      endpoint: this.o.endpoint ?? ALIYUN_SMS_ENDPOINT,
      accessKeyId: this.o.accessKeyId,
      accessKeySecret: this.o.accessKeySecret,
      action: 'SendSms',
      version: '2017-05-25',
      query: {
        PhoneNumbers: m.to,
        SignName: this.o.signName,
        TemplateCode: this.o.templateCode,
        TemplateParam: JSON.stringify({ code: m.code }),
      },
      date: new Date(),
      nonce: randomBytes(16).toString('hex'),
    });
    const { host: _host, ...sent } = headers; // fetch sets Host from the URL (the same value was signed)
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { ...sent, accept: 'application/json' },
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw smsUnavailable(`Aliyun SMS did not answer (${(e as Error).name})`, e);
    }
    const text = await res.text().catch(() => '');
    let body: { Code?: unknown; Message?: unknown; BizId?: unknown } = {};
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: reported below */
    }
    if (!res.ok || body.Code !== 'OK' || typeof body.BizId !== 'string' || !body.BizId)
      throw smsUnavailable(
        `Aliyun SMS answered ${res.status} ${typeof body.Code === 'string' ? body.Code : 'without a Code'}${typeof body.Message === 'string' ? `: ${body.Message.slice(0, 200)}` : ''}`,
      );
    return { messageId: body.BizId };
  }
}
