/**
 * Passwords: one rule for every way a password is set (the CLI, the workspace, an admin's
 * initial password), and scrypt hashes (node:crypto) `scrypt$N$r$p$salt$hash` compared in
 * constant time.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { HanjianError } from '../shared/errors.js';

/** Characters (code points), not bytes: a Chinese passphrase counts as it reads. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

const N = 16_384;
const R = 8;
const P = 1;

/** Refuses a password too short or too long to be set; the message is the same everywhere. */
export function checkPassword(password: string, path = 'password'): void {
  const n = [...password].length;
  if (n >= MIN_PASSWORD_LENGTH && n <= MAX_PASSWORD_LENGTH) return;
  throw new HanjianError({
    code: 'INVALID_INPUT',
    category: 'invalid_input',
    path,
    zh: `密码应为 ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} 个字符`,
    en: `a password is ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters`,
  });
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFC'), salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string | null): boolean {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    scryptSync(password, 'no-user', 32, { N, r: R, p: P }); // same work whether or not the user exists
    return false;
  }
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const want = Buffer.from(hash, 'base64');
  const got = scryptSync(password.normalize('NFC'), Buffer.from(salt, 'base64'), want.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(got, want);
}
