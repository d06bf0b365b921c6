/** The sign-in throttle: per (address, login) pair, exponential back-off with a ceiling, never a hard lock. */
import { describe, expect, it } from 'vitest';
import { addressKey, SignInThrottle } from '../../src/server-kit/sign-in-throttle.js';

const t0 = Date.parse('2026-12-07T08:00:00Z');

describe('the sign-in throttle', () => {
  it('lets a pair fail 5 times, then backs off 30 s, 60 s, 120 s … up to 15 minutes', () => {
    const th = new SignInThrottle();
    let now = t0;
    for (let i = 0; i < 5; i++) {
      expect(th.wait('203.0.113.9', 'admin', now)).toBe(0);
      th.failed('203.0.113.9', 'admin', now);
    }
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const w = th.wait('203.0.113.9', 'admin', now);
      waits.push(w);
      now += w * 1000; // the attacker waits exactly as long as told, then fails again
      expect(th.wait('203.0.113.9', 'admin', now)).toBe(0);
      th.failed('203.0.113.9', 'admin', now);
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('never holds the owner back from another address, nor another login from the same address', () => {
    const th = new SignInThrottle();
    for (let i = 0; i < 20; i++) th.failed('203.0.113.9', 'Admin', t0);
    expect(th.wait('203.0.113.9', 'admin', t0)).toBeGreaterThan(0); // logins compare case-blind
    expect(th.wait('198.51.100.7', 'admin', t0)).toBe(0);
    expect(th.wait('203.0.113.9', 'lisi', t0)).toBe(0);
  });

  it('clears a pair on success and forgets an idle one', () => {
    const th = new SignInThrottle();
    for (let i = 0; i < 6; i++) th.failed('203.0.113.9', 'admin', t0);
    th.succeeded('203.0.113.9', 'admin');
    expect(th.wait('203.0.113.9', 'admin', t0)).toBe(0);
    for (let i = 0; i < 6; i++) th.failed('203.0.113.9', 'admin', t0);
    expect(th.wait('203.0.113.9', 'admin', t0 + 24 * 3600_000 + 1)).toBe(0);
  });

  it('slows one address spraying many logins (that address only)', () => {
    const th = new SignInThrottle();
    for (let i = 0; i < 30; i++) th.failed('203.0.113.9', `user${i}`, t0);
    expect(th.wait('203.0.113.9', 'someone-new', t0)).toBeGreaterThan(0);
    expect(th.wait('198.51.100.7', 'someone-new', t0)).toBe(0);
  });

  it('keeps its memory bounded', () => {
    const th = new SignInThrottle({ maxPairs: 100 });
    for (let i = 0; i < 1000; i++) th.failed(`10.0.${i >> 8}.${i & 255}`, 'admin', t0);
    expect(th.size).toBe(100);
  });

  it('compares IPv6 addresses by their /64 and IPv4-mapped ones as IPv4', () => {
    expect(addressKey('2001:db8:0:1::5')).toBe(addressKey('2001:db8:0:1:ffff::9'));
    expect(addressKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8:0:2::5')).not.toBe(addressKey('2001:db8:0:1::5'));
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('counts an attempt at once, and a success takes nothing from the address (many people sign in from one office)', () => {
    const th = new SignInThrottle();
    for (let i = 0; i < 100; i++) {
      expect(th.attempt('203.0.113.9', `user${i}`, t0)).toBe(0);
      th.succeeded('203.0.113.9', `user${i}`);
    }
    expect(th.wait('203.0.113.9', 'user0', t0)).toBe(0);
    // Parallel guesses: each attempt is counted before any answer.
    for (let i = 0; i < 5; i++) expect(th.attempt('198.51.100.7', 'admin', t0)).toBe(0);
    expect(th.attempt('198.51.100.7', 'admin', t0)).toBe(30);
  });
});
