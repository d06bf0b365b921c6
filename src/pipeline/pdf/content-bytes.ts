/**
 * A page's text operators as bytes, appended in place. Why: built as strings, a two-page
 * letter's ~2,000 glyphs made ~600 KB of short-lived strings per render (concatenated hex,
 * joined TJ arrays, then the page's text converted to bytes once more) — a third of what a
 * render allocates, and with it most young-generation collections (issue 16). Operators are
 * ASCII, so one byte per character.
 */
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

export class ContentBytes {
  private buf: Buffer;
  private length = 0;

  constructor(initial = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get size(): number {
    return this.length;
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  /** ASCII text (operators, names, numbers). */
  text(s: string): this {
    this.room(s.length);
    // Operators and numbers are a few characters: a loop beats the native write's call cost.
    const b = this.buf;
    let i = this.length;
    for (let k = 0; k < s.length; k++) b[i++] = s.charCodeAt(k);
    this.length = i;
    return this;
  }

  byte(b: number): this {
    this.room(1);
    this.buf[this.length++] = b;
    return this;
  }

  /** Four lowercase hex digits of a 16-bit code (a CID in a hex string). */
  hex4(code: number): this {
    this.room(4);
    const b = this.buf;
    let i = this.length;
    b[i++] = HEX_DIGITS[(code >> 12) & 15]!;
    b[i++] = HEX_DIGITS[(code >> 8) & 15]!;
    b[i++] = HEX_DIGITS[(code >> 4) & 15]!;
    b[i++] = HEX_DIGITS[code & 15]!;
    this.length = i;
    return this;
  }

  /** The bytes so far, copied out (the builder is reused), and the builder emptied. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.length));
    this.length = 0;
    return out;
  }

  /** The bytes so far as a string (tests and diagnostics). */
  toString(): string {
    return this.buf.toString('latin1', 0, this.length);
  }
}

/** A number as the operators write it: at most three decimals, no trailing zeros. */
export const fmt = (n: number): string => String(Math.round(n * 1000) / 1000);
