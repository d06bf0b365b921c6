/**
 * Bounded admission for work that queues behind a shared resource (issuing waits for the
 * registry's write lock and the issue renderer): past the bound a request is refused at once
 * with 503 and Retry-After instead of joining a queue whose wait grows without limit.
 */
import { HanjianError } from '../shared/errors.js';

export const ISSUE_QUEUE_FULL_DETAIL = '出具队列已满，请稍后重试 / the issuing queue is full; retry shortly';

export class Admission {
  private inFlight = 0;

  constructor(readonly max: number) {}

  get active(): number {
    return this.inFlight;
  }
  get saturated(): boolean {
    return this.inFlight >= this.max;
  }

  /** Runs `fn` holding one place, or throws QUEUE_FULL (503) when none is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.saturated)
      throw new HanjianError({
        code: 'QUEUE_FULL',
        category: 'internal',
        zh: '出具队列已满，请稍后重试',
        en: 'the issuing queue is full; retry shortly',
      });
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
    }
  }
}
