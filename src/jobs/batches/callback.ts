/**
 * The completion callback: a POST of the batch's progress to the caller's `callbackUrl`,
 * signed with HMAC-SHA256 — `Hanjian-Signature: t=<unix seconds>,v1=<hex>` over `<t>.<body>`
 * — so the receiver can check that it came from this service and is fresh. The address is
 * checked twice against server-side request forgery: when the batch is posted (scheme, no
 * credentials, no literal private address) and when it is called (every address the name
 * resolves to; the connection is pinned to the checked address, so a second DNS answer cannot
 * point it elsewhere). Redirects are not followed.
 */
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { HanjianError } from '../../shared/errors.js';

export interface CallbackPolicy {
  /** Production: https only. */
  httpsOnly: boolean;
  /** Loopback, private, link-local and other non-public addresses (for a receiver inside the network, or tests). */
  allowPrivate: boolean;
}

/** IPv4 addresses a callback must not reach unless allowed: loopback, private, link-local, CGNAT, the 6to4 relay anycast, multicast, reserved. */
const NON_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(net, bits, 'ipv4');
/**
 * IPv6 ranges a callback never needs: besides loopback, unique-local, link-local and multicast,
 * every form that carries or reaches an IPv4 address — IPv4-compatible (::/96), IPv4-mapped
 * (::ffff:0:0/96, even of a public address: a DNS answer never needs one), SIIT's translated
 * addresses (::ffff:0:0:0/96), NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48), 6to4
 * (2002::/16) and Teredo (2001::/32) — since a gateway on the way may turn it into a private
 * IPv4 address this check never saw; and the deprecated site-local fec0::/10, discard-only,
 * ORCHIDv2, benchmarking and documentation ranges (IANA's special-purpose registry).
 */
const NON_PUBLIC_V6: [string, number][] = [
  ['::', 96],
  ['::ffff:0:0', 96],
  ['::ffff:0:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:2::', 48],
  ['2001:10::', 28],
  ['2001:20::', 28],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];
// A list of its own: BlockList checks an IPv4 address against IPv6 rules as ::ffff:a.b.c.d, so
// the mapped range above would refuse every IPv4 address.
const NON_PUBLIC_6 = new BlockList();
for (const [net, bits] of NON_PUBLIC_V6) NON_PUBLIC_6.addSubnet(net, bits, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NON_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return false;
  // Zone ids (fe80::1%eth0) are link-local anyway; BlockList reads the address without one.
  return !NON_PUBLIC_6.check(address.replace(/%.*$/, ''), 'ipv6');
}

const refuse = (zh: string, en: string) =>
  new HanjianError({ code: 'CALLBACK_URL_INVALID', category: 'invalid_input', path: 'callbackUrl', zh, en });

/** Checked when the batch is posted: a clear 422 now rather than a callback that can never be delivered. */
export function checkCallbackUrl(raw: string, policy: CallbackPolicy): string {
  if (raw.length > 2_000)
    throw refuse('回调地址过长（至多 2000 字符）', 'the callback URL is longer than 2,000 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('回调地址不是合法的 URL', 'the callback URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !policy.httpsOnly))
    throw refuse(
      '回调地址须为 https',
      policy.httpsOnly ? 'the callback URL must be https' : 'the callback URL must be http or https',
    );
  if (url.username || url.password)
    throw refuse('回调地址不得包含用户名或密码', 'the callback URL must not hold a user name or password');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    !policy.allowPrivate &&
    (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && !isPublicAddress(host)))
  ) {
    throw refuse(
      '回调地址不得指向本机或内网地址',
      'the callback URL must not point to a loopback, private or reserved address',
    );
  }
  return url.toString();
}

export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

export interface Delivery {
  ok: boolean;
  status?: number;
  error?: string;
}

/** One delivery attempt, within `timeoutMs`. Only a 2xx answer counts as delivered. */
export async function deliverCallback(
  target: string,
  body: string,
  secret: string,
  policy: CallbackPolicy,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<Delivery> {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true, verbatim: true });
  } catch (e) {
    return { ok: false, error: `DNS: ${(e as NodeJS.ErrnoException).code ?? 'lookup failed'}` };
  }
  if (!addresses.length) return { ok: false, error: 'DNS: no address' };
  if (!policy.allowPrivate && addresses.some((a) => !isPublicAddress(a.address)))
    return { ok: false, error: 'the callback host resolves to a non-public address' };
  const pinned = addresses[0]!;
  const t = Math.floor(Date.now() / 1000);
  return new Promise<Delivery>((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        // The checked address, whatever a second lookup would answer (DNS rebinding).
        lookup: (_h, options, cb) =>
          (options as { all?: boolean }).all
            ? (cb as unknown as (e: null, a: typeof addresses) => void)(null, [pinned])
            : cb(null, pinned.address, pinned.family),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'hanjian-batches',
          'hanjian-signature': signatureHeader(secret, body, t),
        },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ok: false, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(body);
  });
}

/** Wait before attempt `n + 1` after `n` failed ones: base × 2^(n−1), at most an hour. */
export function backoffMs(failedAttempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, failedAttempts - 1), 3_600_000);
}
