/**
 * The TSA's own signature on a time-stamp token (a CMS SignedData over a TSTInfo): the token
 * must carry the TSA's certificate (we ask with certReq), that certificate must be for time
 * stamping (extendedKeyUsage timeStamping, RFC 3161 section 2.3), and its key must verify the
 * SignerInfo's signature over signed attributes whose messageDigest is the TSTInfo's digest.
 * A token failing this would be embedded as a timestamp no validator accepts. Whether the TSA
 * itself is trusted is the validator's question (its roots); the operator may also name roots
 * here (tsa-trust.ts), and then a TSA outside them is refused.
 */
import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { subjectOf, validAt } from './tsa-trust.js';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

const EKU_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const CONTENT_TYPE = '1.2.840.113549.1.9.3';
const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const RSASSA_PSS = '1.2.840.113549.1.1.10';
/** The digests a token's SignerInfo may use, by OID, as node:crypto names them. */
const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const kids = (a: Asn1 | undefined): Asn1[] => (a && Array.isArray(a.value) ? a.value : []);
const is = (a: Asn1 | undefined, tagClass: number, type: number) => !!a && a.tagClass === tagClass && a.type === type;
const der = (a: Asn1) => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
const oidOf = (a: Asn1 | undefined) =>
  is(a, asn1.Class.UNIVERSAL, asn1.Type.OID) ? asn1.derToOid(a!.value as string) : '';

/** The token's certificates that node can read (attribute certificates and the like are left out). */
function certificatesOf(signedData: Asn1): X509Certificate[] {
  const set = kids(signedData).find((a) => is(a, asn1.Class.CONTEXT_SPECIFIC, 0));
  return kids(set).flatMap((c) => {
    try {
      return [new X509Certificate(der(c))];
    } catch {
      return [];
    }
  });
}

/** One signed attribute's single value. */
function attribute(signedAttrs: Asn1, type: string): Asn1 | undefined {
  const attr = kids(signedAttrs).find((a) => oidOf(kids(a)[0]) === type);
  return kids(kids(attr)[1])[0];
}

/**
 * Checks the TSA's signature on the token and returns the TSA's name (its certificate's
 * subject, most specific first) and certificate. Throws a plain Error saying what is wrong.
 */
export function verifyTokenSignature(
  signedData: Asn1,
  tstInfoDer: Buffer,
  eContentType: string,
): { name: string; certificate: X509Certificate; carried: X509Certificate[] } {
  const carried = certificatesOf(signedData);
  const tsaCert = carried.find((c) => (c.keyUsage ?? []).includes(EKU_TIME_STAMPING));
  if (!tsaCert)
    throw new Error(
      'the token carries no time-stamping certificate (extendedKeyUsage timeStamping), though certReq asked for it',
    );
  const signerInfo = kids(kids(signedData).at(-1))[0];
  const parts = kids(signerInfo);
  const signedAttrs = parts.find((a) => is(a, asn1.Class.CONTEXT_SPECIFIC, 0));
  const at = signedAttrs ? parts.indexOf(signedAttrs) : -1;
  if (!signerInfo || at < 0) throw new Error('the token has no SignerInfo with signed attributes');
  const digestName = DIGESTS[oidOf(kids(parts[2])[0])];
  const signatureAlg = oidOf(kids(parts[at + 1])[0]);
  const signature = parts[at + 2];
  if (!digestName) throw new Error('the token is signed with an unsupported digest');
  if (!is(signature, asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING))
    throw new Error("the token's SignerInfo has no signature");
  const contentType = attribute(signedAttrs!, CONTENT_TYPE);
  const messageDigest = attribute(signedAttrs!, MESSAGE_DIGEST);
  if (oidOf(contentType) !== eContentType) throw new Error("the token's signed content type is not its TSTInfo");
  if (
    !messageDigest ||
    !Buffer.from(messageDigest.value as string, 'binary').equals(createHash(digestName).update(tstInfoDer).digest())
  ) {
    throw new Error("the token's signed message digest does not match its TSTInfo");
  }
  // What was signed is the DER of the attributes as a SET OF (RFC 5652 section 5.4), not the [0] tag they are stored under.
  const signedBytes = der(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, kids(signedAttrs)));
  const key =
    signatureAlg === RSASSA_PSS
      ? { key: tsaCert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }
      : tsaCert.publicKey;
  let ok: boolean;
  try {
    ok = verify(digestName, signedBytes, key, Buffer.from(signature!.value as string, 'binary'));
  } catch {
    throw new Error(`the token's signature algorithm (${signatureAlg}) cannot be checked here`);
  }
  if (!ok) throw new Error("the TSA's signature on the token does not verify with its time-stamping certificate");
  return { name: subjectOf(tsaCert), certificate: tsaCert, carried };
}

/**
 * A token is worth embedding only if its time is one its TSA could vouch for and one this
 * server agrees with: inside the TSA certificate's validity (a validator rejects a token from
 * an expired TSA certificate), and within MAX_CLOCK_SKEW_MS of this server's clock (a TSA
 * with a wrong clock would date the letter wrongly). Throws a plain Error saying which.
 */
export function checkTokenTime(genTime: Date, certificate: X509Certificate, now: Date): void {
  if (!validAt(certificate, genTime)) {
    const [from, to] = [certificate.validFrom, certificate.validTo].map((d) => new Date(d).toISOString());
    throw new Error(
      `the TSA's certificate was not valid at the token's time ${genTime.toISOString()} (valid ${from} – ${to})`,
    );
  }
  const skew = Math.abs(genTime.getTime() - now.getTime());
  if (skew > MAX_CLOCK_SKEW_MS)
    throw new Error(
      `the token's time ${genTime.toISOString()} is ${Math.round(skew / 1000)} s from this server's clock (at most ${MAX_CLOCK_SKEW_MS / 1000} s)`,
    );
}

/** How far a TSA's clock may be from ours: minutes, not hours (both should follow NTP). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
