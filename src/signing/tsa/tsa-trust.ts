/**
 * The operator's trusted roots for time-stamping authorities (HANJIAN_TSA_TRUST), and the
 * check that a token's TSA certificate chains to one of them.
 *
 * Why: without roots any certificate that signs a well-formed token passes — over plain HTTP,
 * as most TSAs are reached, anyone on the path could answer with a token of their own making
 * and their own name in it. With roots the TSA must be one the operator chose; its certificate
 * (or an intermediate the token carries) must be issued by a root, each link valid at the
 * token's time. A root may also be the TSA's own certificate, pinned.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HanjianError } from '../../shared/errors.js';

/** Deeper chains than this are not a TSA's: root → intermediate → … → TSA. */
const MAX_CHAIN = 5;

const trustInvalid = (file: string, zh: string, en: string) =>
  new HanjianError({
    code: 'CONFIG_INVALID',
    category: 'internal',
    path: file,
    zh: `HANJIAN_TSA_TRUST 无效：${zh}`,
    en: `invalid HANJIAN_TSA_TRUST: ${en}`,
  });

/** Reads a PEM file of one or more certificates: the roots a TSA's certificate must chain to. */
export function loadTsaTrust(file: string): X509Certificate[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw trustInvalid(file, `无法读取（${reason}）`, `cannot read it (${reason})`);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0)
    throw trustInvalid(
      file,
      '其中没有 PEM 证书（-----BEGIN CERTIFICATE-----）',
      'no PEM certificate (-----BEGIN CERTIFICATE-----) in it',
    );
  return blocks.map((pem, i) => {
    try {
      return new X509Certificate(pem);
    } catch {
      throw trustInvalid(file, `第 ${i + 1} 个证书无法解析`, `certificate ${i + 1} cannot be parsed`);
    }
  });
}

/** Whether `at` lies in the certificate's validity (both ends included). */
export const validAt = (c: X509Certificate, at: Date) => new Date(c.validFrom) <= at && at <= new Date(c.validTo);
const issuedBy = (c: X509Certificate, issuer: X509Certificate) => c.checkIssued(issuer) && c.verify(issuer.publicKey);
/** node prints a subject one attribute a line, least specific first; as elsewhere here: most specific first. */
export const subjectOf = (c: X509Certificate) => c.subject.split('\n').reverse().join(', ');

/**
 * Returns the subject of the root that `tsa` chains to, through the token's `carried`
 * certificates, every link valid at the token's time `at`. Throws a plain Error otherwise.
 */
export function chainToTrustedRoot(
  tsa: X509Certificate,
  carried: X509Certificate[],
  roots: X509Certificate[],
  at: Date,
): string {
  const pinned = roots.find((r) => r.fingerprint256 === tsa.fingerprint256);
  if (pinned) return subjectOf(pinned);
  let cert = tsa;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    const root = roots.find((r) => issuedBy(cert, r));
    if (root) {
      if (!validAt(root, at)) throw new Error(`the trusted root ${subjectOf(root)} was not valid at the token's time`);
      return subjectOf(root);
    }
    const next = carried.find(
      (c) => c.fingerprint256 !== cert.fingerprint256 && c.ca && issuedBy(cert, c) && validAt(c, at),
    );
    if (!next) break;
    cert = next;
  }
  throw new Error(`the TSA's certificate (${subjectOf(tsa)}) does not chain to a root in HANJIAN_TSA_TRUST`);
}
