/** What the registry records of an issued letter's signature (and shows of it to anyone verifying). */

/** Who signed an issued letter, with what certificate, when (the issue moment). */
export interface LetterSignature {
  /** The sha256 of the render before signing: a byte prefix of the stored, signed file. */
  unsignedSha256: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  signedAt: string;
  /** A signature time-stamped by the sender's TSA (RFC 3161): the TSA's time (genTime) and who the TSA is. Absent when not stamped. */
  timestamp?: SignatureTimestamp;
}

export interface SignatureTimestamp {
  at: string;
  tsa: string;
}

export type PublicSignature = Omit<LetterSignature, 'unsignedSha256' | 'timestamp'> & {
  timestamp: SignatureTimestamp | null;
};

/** What anyone may see of a letter's signature: the signer's certificate, the signing time and the TSA's timestamp. */
export function publicSignature(s: LetterSignature | null): PublicSignature | null {
  return s
    ? {
        subject: s.subject,
        issuer: s.issuer,
        notBefore: s.notBefore,
        notAfter: s.notAfter,
        signedAt: s.signedAt,
        timestamp: s.timestamp ?? null,
      }
    : null;
}
