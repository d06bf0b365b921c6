/**
 * RFC 3161 time-stamping of a signature value: the request (SHA-256 imprint, a fresh nonce,
 * certReq so the token carries the TSA's certificate), the HTTP exchange with the operator's
 * TSA, and the checks on its reply — granted, our imprint, our nonce, the TSA's signature
 * (timestamp-token.ts) — before the token is embedded. Built and parsed with node-forge's
 * ASN.1 API, as the rest of the signing code.
 * Any failure is an error naming the TSA: the letter is not issued half-stamped.
 */
import { createHash, randomBytes, type X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { HanjianError } from '../../shared/errors.js';
import { checkTokenTime, verifyTokenSignature } from './timestamp-token.js';
import { chainToTrustedRoot } from './tsa-trust.js';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

/** id-ct-TSTInfo: the content type of a time-stamp token's SignedData. */
const TST_INFO = '1.2.840.113549.1.9.16.1.4';
const SIGNED_DATA = '1.2.840.113549.1.7.2';
/** A token is a few KB (TSTInfo, the TSA's signature and certificate chain); anything far larger is not one. */
const MAX_REPLY_BYTES = 256 * 1024;

export interface TsaOptions {
  url: string;
  timeoutMs: number;
  /** Roots the TSA's certificate must chain to (HANJIAN_TSA_TRUST); none: any TSA whose token checks out. */
  trust?: X509Certificate[];
}

/** A granted token, and what the registry records of it. */
export interface Timestamp {
  /** The TimeStampToken (a CMS ContentInfo) as ASN.1, to embed as id-aa-signatureTimeStampToken. */
  token: Asn1;
  /** The TSA's time (TSTInfo genTime), ISO 8601. */
  at: string;
  /** The TSA: the subject of its time-stamping certificate (most specific first). */
  tsa: string;
}

/** The TSA as it may be named in messages: no credentials, no query (either may hold a secret). */
export function tsaLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export function tsaUnavailable(tsa: TsaOptions, zh: string, en: string, cause?: unknown): HanjianError {
  const at = tsaLabel(tsa.url);
  return new HanjianError({
    code: 'TSA_UNAVAILABLE',
    category: 'internal',
    cause,
    zh: `时间戳服务 ${at} 不可用（${zh}），函件未出具，请稍后重试`,
    en: `the time-stamping authority ${at} is unavailable (${en}): the letter was not issued; retry later`,
  });
}

export function tsaReplyInvalid(tsa: TsaOptions, zh: string, en: string, cause?: unknown): HanjianError {
  const at = tsaLabel(tsa.url);
  return new HanjianError({
    code: 'TSA_REPLY_INVALID',
    category: 'internal',
    cause,
    zh: `时间戳服务 ${at} 的应答无效（${zh}），函件未出具`,
    en: `the time-stamping authority ${at} answered with an invalid reply (${en}): the letter was not issued`,
  });
}

const oid = (o: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
const seq = (values: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, values);

/** A positive INTEGER's content bytes without leading zeros, for comparing nonces however they were padded. */
const magnitude = (bytes: string) => bytes.replace(/^\x00+/, '');

/** TimeStampReq v1 over a SHA-256 digest, with a nonce and certReq. */
export function timeStampRequest(digest: Buffer, nonce: Buffer): Buffer {
  const req = seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(1).getBytes()),
    seq([
      seq([oid(forge.pki.oids.sha256!), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, digest.toString('binary')),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, nonce.toString('binary')),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, '\xff'),
  ]);
  return Buffer.from(asn1.toDer(req).getBytes(), 'binary');
}

/** A nonce of 64 random bits, a positive INTEGER (high bit clear, no leading zero byte). */
export function newNonce(): Buffer {
  const n = randomBytes(8);
  n[0] = (n[0]! & 0x7f) | 0x01;
  return n;
}

interface Expected {
  digest: Buffer;
  nonce: Buffer;
  /** This server's clock when the reply came (default: now). */
  now?: Date;
  /** Roots the TSA must chain to, if the operator named any. */
  trust?: X509Certificate[];
}

/** The child of `parent` at `i`, which must have the tag given; otherwise the reply is not what RFC 3161 says. */
function child(parent: Asn1, i: number, type: number, what: string, tagClass: number = asn1.Class.UNIVERSAL): Asn1 {
  const c = Array.isArray(parent.value) ? parent.value[i] : undefined;
  if (!c || c.tagClass !== tagClass || c.type !== type) throw new Error(`${what} missing or malformed`);
  return c;
}
const bytesOf = (a: Asn1) => a.value as string;
/** Strict DER, every byte parsed, BIT STRINGs left as bytes (so a certificate re-encodes byte for byte). */
const fromDer = (bytes: string): Asn1 =>
  (asn1.fromDer as unknown as (b: forge.util.ByteStringBuffer, o: object) => Asn1)(forge.util.createBuffer(bytes), {
    strict: true,
    parseAllBytes: true,
    decodeBitStrings: false,
  });

/**
 * Checks a TimeStampResp against the request and returns its token. Throws a plain Error
 * saying what is wrong; the caller names the TSA.
 */
export function acceptReply(der: Buffer, expected: Expected): { token: Asn1; at: string; tsa: string } {
  let resp: Asn1;
  try {
    resp = fromDer(der.toString('binary'));
  } catch {
    throw new Error('not a DER TimeStampResp');
  }
  const statusInfo = child(resp, 0, asn1.Type.SEQUENCE, 'PKIStatusInfo');
  const status = asn1.derToInteger(bytesOf(child(statusInfo, 0, asn1.Type.INTEGER, 'PKIStatus')));
  if (status !== 0 && status !== 1) {
    const freeText = (statusInfo.value as Asn1[])[1];
    const text =
      freeText && Array.isArray(freeText.value)
        ? (freeText.value as Asn1[]).map((s) => forge.util.decodeUtf8(bytesOf(s))).join('; ')
        : '';
    throw new Error(`the request was not granted (PKIStatus ${status}${text ? `: ${text.slice(0, 200)}` : ''})`);
  }
  const token = child(resp, 1, asn1.Type.SEQUENCE, 'TimeStampToken');
  if (asn1.derToOid(bytesOf(child(token, 0, asn1.Type.OID, 'token content type'))) !== SIGNED_DATA)
    throw new Error('the token is not a CMS SignedData');
  const signedData = child(
    child(token, 1, 0, 'token content', asn1.Class.CONTEXT_SPECIFIC),
    0,
    asn1.Type.SEQUENCE,
    'SignedData',
  );
  const encap = child(signedData, 2, asn1.Type.SEQUENCE, 'encapContentInfo');
  if (asn1.derToOid(bytesOf(child(encap, 0, asn1.Type.OID, 'eContentType'))) !== TST_INFO)
    throw new Error('the token does not hold a TSTInfo');
  const eContent = child(
    child(encap, 1, 0, 'eContent', asn1.Class.CONTEXT_SPECIFIC),
    0,
    asn1.Type.OCTETSTRING,
    'eContent',
  );
  const tstInfo = fromDer(bytesOf(eContent));
  const imprint = child(tstInfo, 2, asn1.Type.SEQUENCE, 'messageImprint');
  const hashAlg = asn1.derToOid(
    bytesOf(child(child(imprint, 0, asn1.Type.SEQUENCE, 'hashAlgorithm'), 0, asn1.Type.OID, 'hashAlgorithm')),
  );
  const hashed = Buffer.from(bytesOf(child(imprint, 1, asn1.Type.OCTETSTRING, 'hashedMessage')), 'binary');
  if (hashAlg !== forge.pki.oids.sha256 || !hashed.equals(expected.digest))
    throw new Error('the token stamps another message imprint than the one requested');
  const genTime = asn1.generalizedTimeToDate(bytesOf(child(tstInfo, 4, asn1.Type.GENERALIZEDTIME, 'genTime')));
  // After genTime: accuracy (SEQUENCE), ordering (BOOLEAN), nonce (INTEGER), tsa ([0]), extensions ([1]) — all optional.
  const rest = (tstInfo.value as Asn1[]).slice(5);
  const nonce = rest.find((a) => a.tagClass === asn1.Class.UNIVERSAL && a.type === asn1.Type.INTEGER);
  if (!nonce || magnitude(bytesOf(nonce)) !== magnitude(expected.nonce.toString('binary')))
    throw new Error(
      nonce ? 'the nonce differs from the one requested (a replayed or misdirected reply)' : 'the token has no nonce',
    );
  const tsa = verifyTokenSignature(signedData, Buffer.from(bytesOf(eContent), 'binary'), TST_INFO);
  checkTokenTime(genTime, tsa.certificate, expected.now ?? new Date());
  if (expected.trust?.length) chainToTrustedRoot(tsa.certificate, tsa.carried, expected.trust, genTime);
  return { token, at: genTime.toISOString(), tsa: tsa.name };
}

const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
/** A connection closed under a request before any answer (not a refusal to connect, not a timeout). */
function connectionDropped(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } } | null)?.cause;
  return (e as Error)?.name === 'TypeError' && typeof cause?.code === 'string' && DROPPED.has(cause.code);
}

/**
 * Asks the TSA to stamp `signatureValue` (the SignerInfo's signature, as RFC 3161 appendix A
 * says) and returns the checked token. Down, slow (past timeoutMs) or a non-2xx answer:
 * TSA_UNAVAILABLE; a reply that fails a check: TSA_REPLY_INVALID.
 */
export async function requestTimestamp(signatureValue: Buffer, tsa: TsaOptions): Promise<Timestamp> {
  const digest = createHash('sha256').update(signatureValue).digest();
  const nonce = newNonce();
  let reply: Buffer;
  try {
    const signal = AbortSignal.timeout(tsa.timeoutMs);
    const post = () =>
      fetch(tsa.url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
        body: new Uint8Array(timeStampRequest(digest, nonce)),
        signal,
        redirect: 'error',
      });
    // A kept-alive connection the TSA closed as we reused it fails before any answer: asked again once, on a
    // new connection, within the same timeout (a time-stamp request has no effect to repeat).
    const res = await post().catch((e: unknown) => (connectionDropped(e) ? post() : Promise.reject(e)));
    if (!res.ok) {
      await res.body?.cancel();
      throw tsaUnavailable(tsa, `HTTP ${res.status}`, `HTTP ${res.status}`);
    }
    if (Number(res.headers.get('content-length') ?? 0) > MAX_REPLY_BYTES) {
      await res.body?.cancel();
      throw tsaReplyInvalid(tsa, '应答过大', `a reply over ${MAX_REPLY_BYTES} bytes`);
    }
    reply = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    if (e instanceof HanjianError) throw e;
    const name = (e as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw tsaUnavailable(tsa, `${tsa.timeoutMs} 毫秒内未应答`, `no answer within ${tsa.timeoutMs} ms`, e);
    const code = ((e as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    throw tsaUnavailable(tsa, `无法连接${code ? `：${code}` : ''}`, `cannot connect${code ? `: ${code}` : ''}`, e);
  }
  if (reply.length > MAX_REPLY_BYTES) throw tsaReplyInvalid(tsa, '应答过大', `a reply over ${MAX_REPLY_BYTES} bytes`);
  try {
    return acceptReply(reply, { digest, nonce, trust: tsa.trust });
  } catch (e) {
    const why = (e as Error).message;
    throw tsaReplyInvalid(tsa, why, why, e);
  }
}
