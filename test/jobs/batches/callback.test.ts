/** The completion callback's guards: server-side request forgery, https in production, the signature, the backoff. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  checkCallbackUrl,
  deliverCallback,
  isPublicAddress,
  signatureHeader,
} from '../../../src/jobs/batches/callback.js';

const production = { httpsOnly: true, allowPrivate: false };

describe('callback addresses', () => {
  it('tells public addresses from loopback, private, link-local, CGNAT, mapped and reserved ones', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])
      expect(isPublicAddress(a), a).toBe(true);
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not-an-ip',
    ])
      expect(isPublicAddress(a), a).toBe(false);
  });

  it('refuses every IPv6 form that carries or reaches an IPv4 address, and the deprecated site-local range (issue 32, low 13)', () => {
    const passed = [
      // IPv4-compatible (::/96), whatever the address inside: ::127.0.0.1 is ::7f00:1.
      '::127.0.0.1',
      '::7f00:1',
      '::8.8.8.8',
      // IPv4-mapped, in dotted and in hex form, even of a public address (a DNS answer never needs one).
      '::ffff:8.8.8.8',
      '::ffff:7f00:1',
      '0:0:0:0:0:ffff:a00:1',
      // SIIT IPv4-translated (::ffff:0:0:0/96) and NAT64 (64:ff9b::/96, local-use 64:ff9b:1::/48).
      '::ffff:0:7f00:1',
      '64:ff9b::7f00:1',
      '64:ff9b::8.8.8.8',
      '64:ff9b:1::a00:1',
      // Site-local (fec0::/10, deprecated but still routed by some stacks).
      'fec0::1',
      'feff::1',
      // 6to4 (2002::/16: 2002:7f00:1:: is 127.0.0.1's) and Teredo (2001::/32).
      '2002:7f00:1::1',
      '2002:808:808::1',
      '2001::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      // Discard-only, ORCHIDv2, documentation.
      '100::1',
      '2001:20::1',
      '3fff::1',
      '192.88.99.1',
    ].filter(isPublicAddress);
    expect(passed).toEqual([]);
    for (const url of [
      'https://[::127.0.0.1]/x',
      'https://[::ffff:8.8.8.8]/x',
      'https://[2002:7f00:1::1]/x',
      'https://[fec0::1]/x',
    ])
      expect(() => checkCallbackUrl(url, production), url).toThrow(
        expect.objectContaining({ code: 'CALLBACK_URL_INVALID' }),
      );
  });

  it('in production: https only, no credentials, no loopback or private host — each refused with callbackUrl named', () => {
    expect(checkCallbackUrl('https://crm.example.com/hooks?x=1', production)).toBe('https://crm.example.com/hooks?x=1');
    for (const url of [
      'http://crm.example.com/hooks',
      'https://a:b@crm.example.com/',
      'https://127.0.0.1/x',
      'https://localhost/x',
      'https://[::1]/x',
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.5/x',
      'https://api.localhost/x',
      `https://example.com/${'x'.repeat(2001)}`,
      'javascript:alert(1)',
    ]) {
      expect(() => checkCallbackUrl(url, production), url).toThrow(
        expect.objectContaining({ code: 'CALLBACK_URL_INVALID', path: 'callbackUrl' }),
      );
    }
    // Outside production http is allowed; private addresses only when configured.
    expect(checkCallbackUrl('http://crm.example.com/h', { httpsOnly: false, allowPrivate: false })).toBe(
      'http://crm.example.com/h',
    );
    expect(checkCallbackUrl('http://127.0.0.1:9/h', { httpsOnly: false, allowPrivate: true })).toBe(
      'http://127.0.0.1:9/h',
    );
  });

  it('refuses, when calling, a name that resolves to a loopback address (no request is made)', async () => {
    const r = await deliverCallback('https://localhost:1/x', '{}', 's'.repeat(32), production, {});
    expect(r).toEqual({ ok: false, error: 'the callback host resolves to a non-public address' });
  });
});

describe('the signature and the backoff', () => {
  it('signs t.body with HMAC-SHA256 as the README shows', () => {
    const h = signatureHeader('secret-0123456789abcdef0123456789ab', '{"a":1}', 1_764_000_000);
    expect(h).toBe(
      `t=1764000000,v1=${createHmac('sha256', 'secret-0123456789abcdef0123456789ab').update('1764000000.{"a":1}').digest('hex')}`,
    );
  });

  it('doubles from the base and stops at an hour', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(20, 30_000)).toBe(3_600_000);
  });
});
