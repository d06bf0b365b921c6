/**
 * Personal data at rest (names, ID numbers, phones, addresses, a debtor's own words) is
 * encrypted before any store keeps it. The parts see only this interface; the key and the
 * cipher live in store/data-key.ts, configured once by the app.
 */
export interface Vault {
  /** Where the key came from (a variable's name or a file), for messages — never the key. */
  readonly source: string;
  encrypt(plain: string): string;
  /** Decrypts what `encrypt` made; text stored before encryption existed is returned as it is. */
  decrypt(stored: string): string;
  /** A key for another purpose, derived from this one (HKDF-SHA256 under its own label): the audit chain's, when none is configured. */
  derive?(label: string): Buffer;
}
