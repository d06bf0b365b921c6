/**
 * One interface for signing an issued letter, whoever holds the key. Issuing asks the signer
 * for the sender's key by the sender's full name and signs the final render at the issue
 * moment (PAdES B-B, time-stamped when the sender has a TSA). Today's transport opens PKCS#12
 * files the operator configured (signing-keys.ts, sign-pdf.ts); a remote key holder (an HSM,
 * a signing service) is another implementation of the same interface — the model is
 * Documenso's packages/signing, where each transport signs the same prepared PDF.
 */

import { signIssued } from './sign-pdf.js';
import type { LetterSignature } from './signature.js';
import type { SigningKeys } from './signing-keys.js';

export interface SignedPdf {
  pdf: Buffer;
  sha256: string;
  signature: LetterSignature;
}

export interface Signer {
  /** The senders (full names) it holds a key for: letters of any other sender are issued unsigned. */
  senders(): string[];
  /** When each sender's certificate lapses (ISO 8601). */
  expiry(): Record<string, string>;
  /** Signs the render for `sender` at `at`; null when it holds no key for that sender. */
  sign(pdf: Buffer, sender: string, at: Date): Promise<SignedPdf | null>;
}

/** The PKCS#12 keys of the signing file, opened at start. */
export class LocalKeySigner implements Signer {
  constructor(private keys: SigningKeys) {}

  senders(): string[] {
    return Object.keys(this.keys);
  }

  expiry(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.keys).map(([sender, key]) => [sender, key.notAfter]));
  }

  async sign(pdf: Buffer, sender: string, at: Date): Promise<SignedPdf | null> {
    const key = Object.hasOwn(this.keys, sender) ? this.keys[sender]! : null;
    return key ? signIssued(pdf, key, at) : null;
  }
}

/** No keys configured: every letter is issued unsigned. */
export const NO_SIGNER: Signer = {
  senders: () => [],
  expiry: () => ({}),
  sign: async () => null,
};
