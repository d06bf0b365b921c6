/** When the session cookie is Secure (and __Host- prefixed), and the CSRF comparison. */
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { sameToken, WebSessions } from '../../src/web/session.js';

const sessions = (publicBaseUrl?: string) => new WebSessions({} as never, { publicBaseUrl });
const req = (secure: boolean, hostname: string) => ({ secure, hostname }) as Request;

describe('the session cookie', () => {
  it('is Secure and __Host- when the browser talks https to us (directly or via a trusted proxy)', () => {
    expect(sessions().secure(req(true, '127.0.0.1'))).toBe(true);
    expect(sessions().cookieName(req(true, 'hanjian.example'))).toBe('__Host-hanjian_session');
  });
  it('is Secure behind an https public address, but not for a person on this machine over http', () => {
    expect(sessions('https://letters.example.com').secure(req(false, 'letters.example.com'))).toBe(true);
    expect(sessions('https://letters.example.com').secure(req(false, 'localhost'))).toBe(false);
    expect(sessions('http://10.0.0.5:8080').secure(req(false, '10.0.0.5'))).toBe(false);
    expect(sessions().cookieName(req(false, 'localhost'))).toBe('hanjian_session');
  });
});

describe('CSRF tokens', () => {
  it('compare whole strings only', () => {
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('ab', 'abc')).toBe(false);
    expect(sameToken(undefined, 'abc')).toBe(false);
    expect(sameToken(['abc'], 'abc')).toBe(false);
  });
});
