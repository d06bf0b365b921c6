/**
 * Waiting for SQLite's write lock without blocking the event loop. better-sqlite3 is
 * synchronous: its busy_timeout waits inside the call, freezing every request (and /healthz)
 * while another process holds the lock. So the connection fails fast (busy_timeout 0) and the
 * wait happens here, between event-loop turns, up to a deadline; then REGISTRY_BUSY (503).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { HanjianError } from '../../shared/errors.js';

export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export function registryBusy(cause: unknown): HanjianError {
  return new HanjianError({
    code: 'REGISTRY_BUSY',
    category: 'internal',
    zh: '登记簿正被其他进程占用，请稍后重试',
    en: 'the registry is locked by another process; retry shortly',
    cause,
  });
}

/** Runs `fn` until it does not fail with SQLITE_BUSY, backing off from 2 ms to 50 ms, for at most `timeoutMs`. */
export async function retryWhileBusy<T>(fn: () => T, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e)) throw e;
      if (Date.now() + wait > deadline) throw registryBusy(e);
      await sleep(wait);
    }
  }
}
