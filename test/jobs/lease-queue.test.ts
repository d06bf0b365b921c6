/**
 * The one worker loop (jobs/lease-queue.ts) and the one retry rule (jobs/retry.ts) that batch
 * rows and workspace tasks share.
 */
import { describe, expect, it } from 'vitest';
import { type ClaimSource, LeaseQueue } from '../../src/jobs/lease-queue.js';
import { mayPass, retryDelay } from '../../src/jobs/retry.js';
import { HanjianError } from '../../src/shared/errors.js';

const refusal = (category: HanjianError['category'], code = 'X') =>
  new HanjianError({ code, zh: '拒绝', en: 'refused', category });

describe('the retry rule', () => {
  it('a refusal of the data or the caller is final; busy, timed out or unexpected may pass', () => {
    for (const c of [
      'invalid_input',
      'compliance',
      'template',
      'render',
      'not_found',
      'forbidden',
      'conflict',
    ] as const)
      expect(mayPass(refusal(c)), c).toBe(false);
    expect(mayPass(refusal('internal', 'REGISTRY_BUSY'))).toBe(true);
    expect(mayPass(refusal('internal', 'RENDER_TIMEOUT'))).toBe(true);
    expect(mayPass(new Error('socket hang up'))).toBe(true);
  });

  it('waits longer after each attempt, at most a minute', () => {
    expect([1, 2, 3, 10].map((a) => retryDelay(1_000, a))).toEqual([1_000, 2_000, 4_000, 60_000]);
  });
});

/** Jobs in memory, claimed like the database's: one holder per lease. */
class MemorySource implements ClaimSource<number> {
  claimedUntil = new Map<number, string>();
  constructor(public open: Set<number>) {}
  async claim(n: number, now: string, until: string): Promise<number[]> {
    const free = [...this.open].filter((j) => (this.claimedUntil.get(j) ?? '') < now).slice(0, n);
    for (const j of free) this.claimedUntil.set(j, until);
    return free;
  }
}

describe('the lease queue', () => {
  it('tries a job that threw again with the next attempt number, and never works more than its concurrency at once', async () => {
    const source = new MemorySource(new Set([1, 2, 3, 4]));
    const q = new LeaseQueue(source, { concurrency: 2, leaseMs: 60_000, retryDelayMs: 10, pollMs: 10 });
    const attempts = new Map<number, number[]>();
    let inHand = 0;
    let most = 0;
    const done = new Promise<void>((finish) => {
      void q.start(async (job, attempt) => {
        inHand++;
        most = Math.max(most, inHand);
        attempts.set(job, [...(attempts.get(job) ?? []), attempt]);
        await new Promise((r) => setTimeout(r, 5));
        inHand--;
        if (job === 3 && attempt < 3) throw new Error('busy');
        source.open.delete(job);
        if (source.open.size === 0) finish();
      });
    });
    await done;
    await q.close();
    expect(attempts.get(3)).toEqual([1, 2, 3]);
    expect(attempts.get(1)).toEqual([1]);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('starts once: a second start neither releases the claims of jobs in hand again nor works a job twice', async () => {
    const source = new MemorySource(new Set([1]));
    let released = 0;
    const counted: ClaimSource<number> = {
      claim: (n, now, until) => source.claim(n, now, until),
      releaseClaims: async () => void released++,
    };
    const q = new LeaseQueue(counted, { concurrency: 2, leaseMs: 60_000, retryDelayMs: 10, pollMs: 10 });
    const worked: number[] = [];
    let finish = () => {};
    const done = new Promise<void>((r) => {
      finish = r;
    });
    const handler = async (job: number) => {
      worked.push(job);
      await done;
    };
    await q.start(handler);
    await q.start(handler);
    await new Promise((r) => setTimeout(r, 50));
    finish();
    await q.close();
    expect(released).toBe(1);
    expect(worked).toEqual([1]);
  });
});
