/**
 * Token buckets keyed by client, with bounded memory: the map is kept in order of last use
 * and the least recently used buckets are evicted first, so a flood of distinct clients
 * forgets the idle ones instead of resetting everyone (which a full clear would do).
 */
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private maxClients = 10_000) {}

  get size(): number {
    return this.buckets.size;
  }

  /**
   * Takes one token from `key`'s bucket of `perMinute` tokens (refilled continuously).
   * Returns 0 when taken, or the seconds until a token will be there.
   */
  take(key: string, perMinute: number, now = Date.now()): number {
    const b = this.peek(key, perMinute, now);
    this.touch(key, b);
    if (b.tokens < 1) return Math.max(1, Math.ceil(((1 - b.tokens) * 60) / perMinute));
    b.tokens -= 1;
    return 0;
  }

  /** Seconds until `key` may act again (0: now), without taking a token. */
  wait(key: string, perMinute: number, now = Date.now()): number {
    const b = this.peek(key, perMinute, now);
    return b.tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - b.tokens) * 60) / perMinute));
  }

  private peek(key: string, perMinute: number, now: number) {
    const b = this.buckets.get(key) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) / 60_000) * perMinute);
    b.at = now;
    return b;
  }

  private touch(key: string, b: { tokens: number; at: number }): void {
    this.buckets.delete(key);
    this.buckets.set(key, b);
    // Map iteration follows insertion order: the first keys are the least recently used.
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= this.maxClients) break;
      this.buckets.delete(k);
    }
  }
}
