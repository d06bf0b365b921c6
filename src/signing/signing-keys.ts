/**
 * Signing keys are operator configuration per sender, like seals: a JSON file maps the
 * sender's full name to a PKCS#12 file and where its password is kept —
 *   { "北京某某律师事务所": { "p12": "keys/firm.p12", "passwordEnv": "FIRM_P12_PASSWORD" } }
 *   { "北京某某科技有限公司": { "p12": "/etc/hanjian/creditor.p12", "passwordFile": "/run/secrets/p12", "tsaUrl": "https://tsa.example/tsr" } }
 * Paths are relative to the file's folder. A sender's "tsaUrl" (RFC 3161) wins over the
 * operator's default TSA (HANJIAN_TSA_URL); with neither, its letters are signed unstamped.
 * Every key is opened when the file is loaded (service start, openRegistry), so a wrong
 * password, an unreadable file or a certificate outside its validity stops the start, named,
 * instead of failing letter by letter. Passwords are never kept in messages or logs.
 */
import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import forge from 'node-forge';
import { HanjianError } from '../shared/errors.js';
import type { TsaOptions } from './tsa/timestamp.js';
import { loadTsaTrust } from './tsa/tsa-trust.js';

export interface SigningKey {
  sender: string;
  key: forge.pki.rsa.PrivateKey;
  /** The same key for node:crypto, which signs some 50× faster than node-forge's JavaScript RSA. */
  nodeKey: KeyObject;
  certificate: forge.pki.Certificate;
  /** The rest of the chain from the PKCS#12 file, embedded so a verifier can build the path. */
  chain: forge.pki.Certificate[];
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** The sender's time-stamping authority: its signatures carry an RFC 3161 token; none, no token. */
  tsa?: TsaOptions;
}

/** The operator's default TSA for every sender without its own "tsaUrl", and how long to wait for any TSA. */
export interface TsaDefaults {
  url?: string;
  timeoutMs?: number;
  /** Roots every sender's TSA must chain to (HANJIAN_TSA_TRUST, read with loadTsaTrust). */
  trust?: X509Certificate[];
}

/** How long a letter waits for the TSA's answer before it is refused (TSA_UNAVAILABLE). */
export const DEFAULT_TSA_TIMEOUT_MS = 10_000;

export type SigningKeys = Record<string, SigningKey>;

/** A signing problem is an operator's configuration error: CONFIG_INVALID, naming the file (as the error's path, once). */
export function signingInvalid(file: string, zh: string, en: string): HanjianError {
  return new HanjianError({
    code: 'CONFIG_INVALID',
    category: 'internal',
    path: file,
    zh: `签名配置无效：${zh}`,
    en: `invalid signing configuration: ${en}`,
  });
}

const FILE_KINDS = {
  config: ['配置文件', 'configuration file'],
  p12: ['证书文件', 'PKCS#12 file'],
  password: ['密码文件', 'password file'],
} as const;

/** Reads a file the signing configuration needs; the error names it once (`named`, the error's path, may name it already). */
function readOrFail(file: string, kind: keyof typeof FILE_KINDS, named: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    const [zh, en] = FILE_KINDS[kind];
    const which = named.includes(file) ? '' : ` ${file}`;
    throw signingInvalid(named, `无法读取${zh}${which}（${reason}）`, `cannot read the ${en}${which} (${reason})`);
  }
}

interface Entry {
  p12: string;
  passwordEnv?: string;
  passwordFile?: string;
  tsaUrl?: string;
}

const ENTRY_KEYS = new Set(['p12', 'passwordEnv', 'passwordFile', 'tsaUrl']);

/** An http(s) URL: a TSA is reached by POST over HTTP (RFC 3161 section 3.4). */
export function isTsaUrl(v: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

function parseEntries(file: string): Record<string, Entry> {
  let raw: unknown;
  try {
    raw = JSON.parse(readOrFail(file, 'config', file).toString('utf8'));
  } catch (e) {
    if (e instanceof HanjianError) throw e;
    throw signingInvalid(file, '不是合法的 JSON', 'not valid JSON');
  }
  const shape = '应为一个对象：发函方全称 → { "p12": 路径, "passwordEnv": 变量名 或 "passwordFile": 路径 }';
  const shapeEn =
    'expected one object: sender\'s full name → { "p12": path, "passwordEnv": VAR or "passwordFile": path }';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw signingInvalid(file, shape, shapeEn);
  for (const [sender, v] of Object.entries(raw)) {
    const e = v as Partial<Entry> | null;
    const ok =
      e !== null &&
      typeof e === 'object' &&
      typeof e.p12 === 'string' &&
      e.p12 !== '' &&
      Object.keys(e).every((k) => ENTRY_KEYS.has(k)) &&
      (typeof e.passwordEnv === 'string') !== (typeof e.passwordFile === 'string');
    if (!ok)
      throw signingInvalid(
        file,
        `“${sender}”：${shape}（passwordEnv 与 passwordFile 二选一；可选 "tsaUrl"）`,
        `"${sender}": ${shapeEn} (exactly one of passwordEnv, passwordFile; optionally "tsaUrl")`,
      );
    if (e.tsaUrl !== undefined && (typeof e.tsaUrl !== 'string' || !isTsaUrl(e.tsaUrl)))
      throw signingInvalid(
        file,
        `“${sender}”的 tsaUrl 应为 http(s) 地址`,
        `"${sender}": tsaUrl must be an http(s) URL`,
      );
  }
  return raw as Record<string, Entry>;
}

function passwordOf(file: string, sender: string, e: Entry, env: NodeJS.ProcessEnv): string {
  if (e.passwordEnv !== undefined) {
    const v = env[e.passwordEnv];
    if (v === undefined)
      throw signingInvalid(
        file,
        `“${sender}”的密码环境变量 ${e.passwordEnv} 未设置`,
        `"${sender}": the password variable ${e.passwordEnv} is not set`,
      );
    return v;
  }
  // A password file usually ends with a newline the password does not contain.
  return readOrFail(resolve(dirname(file), e.passwordFile!), 'password', file)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Distinguished name as "CN=…, O=…, C=…" (most specific first, as pdfsig and browsers print it). */
export function distinguishedName(attrs: forge.pki.CertificateField[]): string {
  // node-forge keeps a UTF8String's value as raw bytes: Chinese names need decoding.
  const text = (a: forge.pki.CertificateField) =>
    (a.valueTagClass as unknown as number) === forge.asn1.Type.UTF8
      ? forge.util.decodeUtf8(String(a.value))
      : String(a.value);
  return [...attrs]
    .reverse()
    .map((a) => `${a.shortName ?? a.name ?? a.type}=${text(a)}`)
    .join(', ');
}

/** Opens one PKCS#12 file: its private key, the certificate matching it, and the rest of the chain. */
export function openP12(bytes: Buffer, password: string, named: string, sender: string, now: Date): SigningKey {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))),
      false,
      password,
    );
  } catch (e) {
    const msg = (e as Error).message ?? '';
    const wrong = /password|MAC|decrypt/i.test(msg);
    throw signingInvalid(
      named,
      wrong ? `“${sender}”的 PKCS#12 密码错误` : `“${sender}”的 PKCS#12 文件无法解析`,
      wrong
        ? `"${sender}": wrong PKCS#12 password`
        : `"${sender}": the PKCS#12 file cannot be parsed (${msg.slice(0, 120)}; a file from OpenSSL 3 may need "openssl pkcs12 -export -legacy")`,
    );
  }
  const bags = (type: string): forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bags(forge.pki.oids.keyBag!)][0];
  const key = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key || !('n' in key))
    throw signingInvalid(
      named,
      `“${sender}”的 PKCS#12 文件中没有 RSA 私钥`,
      `"${sender}": no RSA private key in the PKCS#12 file`,
    );
  const certs = bags(forge.pki.oids.certBag!)
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => !!c);
  const matches = (c: forge.pki.Certificate) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(key.n) === 0 && pub.e?.compareTo(key.e) === 0;
  };
  const certificate = certs.find(matches);
  if (!certificate)
    throw signingInvalid(
      named,
      `“${sender}”的 PKCS#12 文件中没有与私钥匹配的证书`,
      `"${sender}": no certificate in the PKCS#12 file matches its private key`,
    );
  const notBefore = certificate.validity.notBefore.toISOString();
  const notAfter = certificate.validity.notAfter.toISOString();
  if (now < certificate.validity.notBefore)
    throw signingInvalid(
      named,
      `“${sender}”的证书尚未生效（${notBefore} 起）`,
      `"${sender}": the certificate is not valid yet (valid from ${notBefore})`,
    );
  if (now > certificate.validity.notAfter)
    throw signingInvalid(
      named,
      `“${sender}”的证书已于 ${notAfter} 过期`,
      `"${sender}": the certificate expired on ${notAfter}`,
    );
  return {
    sender,
    key,
    nodeKey: createPrivateKey(forge.pki.privateKeyToPem(key)),
    certificate,
    chain: certs.filter((c) => c !== certificate),
    subject: distinguishedName(certificate.subject.attributes),
    issuer: distinguishedName(certificate.issuer.attributes),
    notBefore,
    notAfter,
  };
}

/** The default TSA from the environment the app read (HANJIAN_TSA_URL, HANJIAN_TSA_TIMEOUT_MS, HANJIAN_TSA_TRUST). */
export function tsaDefaultsFromEnv(env: NodeJS.ProcessEnv): TsaDefaults {
  const url = env.HANJIAN_TSA_URL || undefined;
  const timeout = env.HANJIAN_TSA_TIMEOUT_MS ? Number(env.HANJIAN_TSA_TIMEOUT_MS) : undefined;
  const bad = (name: string, zh: string, en: string) =>
    new HanjianError({
      code: 'CONFIG_INVALID',
      category: 'internal',
      path: name,
      zh: `${name} 无效：${zh}`,
      en: `invalid ${name}: ${en}`,
    });
  if (url !== undefined && !isTsaUrl(url))
    throw bad('HANJIAN_TSA_URL', '应为 http(s) 地址', 'an http(s) URL is expected');
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 100 && timeout <= 120_000))
    throw bad('HANJIAN_TSA_TIMEOUT_MS', '应为 100–120000 之间的整数', 'an integer of 100–120000 is expected');
  return { url, timeoutMs: timeout, trust: env.HANJIAN_TSA_TRUST ? loadTsaTrust(env.HANJIAN_TSA_TRUST) : undefined };
}

/** Reads a signing file and opens every key it names, now; each sender gets its own TSA, else the default one. */
export function loadSigningConfig(
  file: string,
  env: NodeJS.ProcessEnv,
  now = new Date(),
  tsa: TsaDefaults = {},
): SigningKeys {
  const out: SigningKeys = {};
  for (const [sender, e] of Object.entries(parseEntries(file))) {
    const p12 = resolve(dirname(file), e.p12);
    const key = openP12(
      readOrFail(p12, 'p12', file),
      passwordOf(file, sender, e, env),
      `${file} → ${p12}`,
      sender,
      now,
    );
    const url = e.tsaUrl ?? tsa.url;
    out[sender] = url
      ? {
          ...key,
          tsa: {
            url,
            timeoutMs: tsa.timeoutMs ?? DEFAULT_TSA_TIMEOUT_MS,
            ...(tsa.trust?.length ? { trust: tsa.trust } : {}),
          },
        }
      : key;
  }
  return out;
}
