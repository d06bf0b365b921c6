/**
 * PAdES B-B signing of an issued letter (adbe.pkcs7.detached, SHA-256): the signature field is
 * added to the rendered PDF as an incremental update by @signpdf/placeholder-plain, so the
 * rendering stages stay untouched and the unsigned render is a byte prefix of the signed file.
 * The CMS structure is built by node-forge; nothing here writes ASN.1 by hand. With a TSA
 * configured for the sender, the signature value is time-stamped (RFC 3161, timestamp.ts) and
 * the token added as the SignerInfo's unsigned attribute id-aa-signatureTimeStampToken.
 */

import { constants, createHash, privateEncrypt } from 'node:crypto';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ADOBE_PKCS7_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import { HanjianError } from '../shared/errors.js';
import type { LetterSignature } from './signature.js';
import type { SigningKey } from './signing-keys.js';
import { requestTimestamp, type Timestamp, type TsaOptions } from './tsa/timestamp.js';

/** id-aa-signatureTimeStampToken (RFC 3161 appendix A): the unsigned attribute holding a token over the signature value. */
const SIGNATURE_TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';

/** The CMS came out larger than the placeholder's room: signed again with `needed` bytes reserved. */
class RoomTooSmall extends Error {
  constructor(readonly needed: number) {
    super(`the signature needs ${needed} bytes`);
  }
}

/** A signer over a key opened once at start (the P12 signer would re-derive it for every letter). */
class OpenedKeySigner extends Signer {
  /** The TSA's token of the last signature, when the sender has a TSA. */
  timestamp: Timestamp | null = null;

  constructor(
    private signing: SigningKey,
    private room: number,
  ) {
    super();
  }

  override async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdf.toString('binary'));
    p7.addCertificate(this.signing.certificate);
    for (const c of this.signing.chain) p7.addCertificate(c);
    p7.addSigner({
      key: nodeRsaSigner(this.signing) as unknown as forge.pki.rsa.PrivateKey,
      certificate: this.signing.certificate,
      digestAlgorithm: forge.pki.oids.sha256!,
      // The order matters to some EU validators (as in @signpdf/signer-p12).
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType!, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime!, value: (signingTime ?? new Date()) as unknown as string },
        { type: forge.pki.oids.messageDigest! },
      ],
    });
    p7.sign({ detached: true });
    if (this.signing.tsa) await this.addTimestamp(p7, this.signing.tsa);
    const der = Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
    if (der.length > this.room) throw new RoomTooSmall(der.length);
    return der;
  }

  /** Stamps the signature value and adds the token as the SignerInfo's unsigned attribute ([1] IMPLICIT SET OF Attribute). */
  private async addTimestamp(p7: forge.pkcs7.PkcsSignedData, tsa: TsaOptions): Promise<void> {
    const signed = p7 as unknown as { signers: { signature: string }[]; signerInfos: forge.asn1.Asn1[] };
    this.timestamp = await requestTimestamp(Buffer.from(signed.signers[0]!.signature, 'binary'), tsa);
    const { asn1 } = forge;
    const attribute = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(SIGNATURE_TIMESTAMP_TOKEN).getBytes()),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [this.timestamp.token]),
    ]);
    (signed.signerInfos[0]!.value as forge.asn1.Asn1[]).push(
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 1, true, [attribute]),
    );
  }
}

/**
 * What node-forge's PKCS#7 code calls to sign the signed attributes' digest, with node:crypto
 * doing the RSA: RSASSA-PKCS1-v1_5 is the DigestInfo (built with node-forge's ASN.1 builder,
 * as node-forge's own RSA signing does) under PKCS#1 type-1 padding. Deterministic.
 */
export function nodeRsaSigner(signing: SigningKey): { sign(md: forge.md.MessageDigest): string } {
  return {
    sign(md) {
      const { asn1 } = forge;
      const digestInfo = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(forge.pki.oids.sha256!).getBytes()),
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
        ]),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, md.digest().getBytes()),
      ]);
      const der = Buffer.from(asn1.toDer(digestInfo).getBytes(), 'binary');
      return privateEncrypt({ key: signing.nodeKey, padding: constants.RSA_PKCS1_PADDING }, der).toString('binary');
    },
  };
}

/**
 * Bytes reserved for the CMS signature: the certificates it embeds, the RSA signature and the
 * signed attributes, with room to spare. The placeholder is written as hex, so every byte not
 * needed costs two in the file (the library's default 8 KB adds 16 KB to every letter).
 */
function signatureRoom(signing: SigningKey): number {
  const der = (c: forge.pki.Certificate) => forge.asn1.toDer(forge.pki.certificateToAsn1(c)).length();
  const certs = [signing.certificate, ...signing.chain].reduce((n, c) => n + der(c), 0);
  return certs + signing.key.n.bitLength() / 8 + 1024 + (signing.tsa ? tokenRoom(signing.tsa.url) : 0);
}

/**
 * Room for a TSA's token: as large as its last one plus some slack (a token's size hardly varies:
 * the same certificates, a serial number and a time), or a guess that fits a token with a
 * certificate chain of a few certificates before the first one is seen.
 */
const lastTokenSize = new Map<string, number>();
const tokenRoom = (url: string) => (lastTokenSize.get(url) ?? 6144) + 256;

/**
 * Signs `pdf` as of `signingTime` (the issue moment). With the same key, bytes and time the
 * result is the same bytes: RSA PKCS#1 v1.5 signatures are deterministic (a time-stamped one is not: the TSA's time is its own).
 */
export async function signLetterPdf(pdf: Buffer, signing: SigningKey, signingTime: Date): Promise<Buffer> {
  return (await signAndStamp(pdf, signing, signingTime)).pdf;
}

/** Signs, and time-stamps when the sender has a TSA; a token larger than the room guessed is signed again with room for it. */
export async function signAndStamp(
  pdf: Buffer,
  signing: SigningKey,
  signingTime: Date,
): Promise<{ pdf: Buffer; timestamp: Timestamp | null }> {
  const room = signatureRoom(signing);
  try {
    return await signWithRoom(pdf, signing, signingTime, room);
  } catch (e) {
    if (!(e instanceof RoomTooSmall)) throw e;
    return signWithRoom(pdf, signing, signingTime, e.needed + 256);
  }
}

async function signWithRoom(
  pdf: Buffer,
  signing: SigningKey,
  signingTime: Date,
  room: number,
): Promise<{ pdf: Buffer; timestamp: Timestamp | null }> {
  const withField = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: '出具函件 / letter issued',
    contactInfo: '',
    name: signing.sender,
    location: '',
    signingTime,
    signatureLength: room,
    subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    widgetRect: [0, 0, 0, 0], // invisible: the visible seal is drawn by the renderer
    appName: 'hanjian',
  });
  const signer = new OpenedKeySigner(signing, room);
  const signed = await new SignPdf().sign(withField, signer, signingTime);
  if (signer.timestamp && signing.tsa)
    lastTokenSize.set(
      signing.tsa.url,
      Buffer.from(forge.asn1.toDer(signer.timestamp.token).getBytes(), 'binary').length,
    );
  return { pdf: signed, timestamp: signer.timestamp };
}

/** Signs an issued letter's render at the issue moment; refuses when the certificate lapsed since the keys were loaded. */
export async function signIssued(
  pdf: Buffer,
  signing: SigningKey,
  issuedAt: Date,
): Promise<{ pdf: Buffer; sha256: string; signature: LetterSignature }> {
  if (issuedAt < new Date(signing.notBefore) || issuedAt > new Date(signing.notAfter)) {
    throw new HanjianError({
      code: 'SIGNING_UNAVAILABLE',
      category: 'conflict',
      path: 'sender',
      zh: `出具方“${signing.sender}”的签名证书不在有效期内（${signing.notBefore} – ${signing.notAfter}），不能出具：请更换证书后重启服务`,
      en: `the signing certificate of "${signing.sender}" is outside its validity (${signing.notBefore} – ${signing.notAfter}): replace it and restart`,
    });
  }
  const { pdf: signed, timestamp } = await signAndStamp(pdf, signing, issuedAt);
  return {
    pdf: signed,
    sha256: createHash('sha256').update(signed).digest('hex'),
    signature: {
      unsignedSha256: createHash('sha256').update(pdf).digest('hex'),
      subject: signing.subject,
      issuer: signing.issuer,
      notBefore: signing.notBefore,
      notAfter: signing.notAfter,
      signedAt: issuedAt.toISOString(),
      // Only a time-stamped signature has the key: an unstamped one is recorded (and exported) exactly as before.
      ...(timestamp ? { timestamp: { at: timestamp.at, tsa: timestamp.tsa } } : {}),
    },
  };
}
