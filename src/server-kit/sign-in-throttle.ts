/**
 * The sign-in throttle: failed attempts counted per (address, login) pair, with exponential
 * back-off, so nobody can keep a known login locked out from elsewhere. After `free` failures
 * the pair waits `baseSeconds`, then twice as long after each further failure, up to
 * `maxSeconds` (never a hard lock); a success clears the pair, and a pair idle for
 * `forgetAfterMs` is forgotten. The owner coming from another address has a pair of their own,
 * so their right password still works while an attacker's pair waits.
 *
 * One address spraying many logins is slowed too: its failures across all logins fill a bucket
 * of `perAddressPerMinute` (that address only; successes take nothing). Addresses are compared
 * by their /64 for IPv6 (one host owns a whole /64) and as plain IPv4 for IPv4-mapped ones.
 * Memory is bounded: the least recently used pairs are evicted first.
 */
import { TokenBuckets } from './buckets.js';

export interface SignInThrottleOptions {
  /** Failures a pair may have before it waits. */
  free: number;
  /** The first wait after the free failures, in seconds; doubled after each further failure. */
  baseSeconds: number;
  /** The longest wait, in seconds. */
  maxSeconds: number;
  /** A pair idle this long is forgotten. */
  forgetAfterMs: number;
  /** Failed attempts per minute from one address, across all logins. */
  perAddressPerMinute: number;
  maxPairs: number;
}

export const SIGN_IN_THROTTLE: SignInThrottleOptions = {
  free: 5,
  baseSeconds: 30,
  maxSeconds: 15 * 60,
  forgetAfterMs: 24 * 3600_000,
  perAddressPerMinute: 30,
  maxPairs: 10_000,
};

/** The part of an address one client owns: IPv4 as is, IPv6 by its /64. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const bare = ip.replace(/%.*$/, '').toLowerCase();
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class SignInThrottle {
  private pairs = new Map<string, { failures: number; until: number; at: number }>();
  private perAddress = new TokenBuckets();
  private options: SignInThrottleOptions;

  constructor(options: Partial<SignInThrottleOptions> = {}) {
    this.options = { ...SIGN_IN_THROTTLE, ...options };
  }

  get size(): number {
    return this.pairs.size;
  }

  /** Seconds this pair must wait before its next attempt (0: go ahead); counts nothing. */
  wait(ip: string, login: string, now = Date.now()): number {
    const address = addressKey(ip);
    const pair = this.live(this.key(address, login), now);
    const pairWait = pair && pair.until > now ? Math.ceil((pair.until - now) / 1000) : 0;
    return Math.max(pairWait, this.perAddress.wait(address, this.options.perAddressPerMinute, now));
  }

  /** A wrong login or password: counts against the pair and the address. */
  failed(ip: string, login: string, now = Date.now()): void {
    this.countPair(ip, login, now);
    this.addressFailed(ip, now);
  }

  /**
   * An attempt about to be checked: the seconds to wait (0: go ahead, and the attempt is counted
   * against the pair at once, so parallel guesses count too; `succeeded` clears it, `addressFailed`
   * counts a wrong one against the address).
   */
  attempt(ip: string, login: string, now = Date.now()): number {
    const wait = this.wait(ip, login, now);
    if (!wait) this.countPair(ip, login, now);
    return wait;
  }

  /** A wrong attempt, against its address (across logins): successes take nothing from it. */
  addressFailed(ip: string, now = Date.now()): void {
    this.perAddress.take(addressKey(ip), this.options.perAddressPerMinute, now);
  }

  private countPair(ip: string, login: string, now: number): void {
    const address = addressKey(ip);
    const key = this.key(address, login);
    const pair = this.live(key, now) ?? { failures: 0, until: 0, at: now };
    pair.failures++;
    pair.at = now;
    const over = pair.failures - this.options.free;
    if (over >= 0)
      pair.until = now + Math.min(this.options.maxSeconds, this.options.baseSeconds * 2 ** Math.min(over, 30)) * 1000;
    this.pairs.delete(key);
    this.pairs.set(key, pair);
    for (const k of this.pairs.keys()) {
      if (this.pairs.size <= this.options.maxPairs) break;
      this.pairs.delete(k);
    }
  }

  /** The right password: the pair starts afresh. */
  succeeded(ip: string, login: string): void {
    this.pairs.delete(this.key(addressKey(ip), login));
  }

  private key(address: string, login: string): string {
    return `${address}\u0000${login.trim().toLowerCase()}`;
  }

  private live(key: string, now: number) {
    const pair = this.pairs.get(key);
    if (pair && now - pair.at > this.options.forgetAfterMs) {
      this.pairs.delete(key);
      return undefined;
    }
    return pair;
  }
}
