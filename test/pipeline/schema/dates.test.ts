import { describe, expect, it } from 'vitest';
import { beijingTime } from '../../../src/pipeline/schema/dates.js';

describe('beijingTime', () => {
  it('shows an instant at UTC+8, across midnight and the year end, and leaves what is not a time alone', () => {
    expect(beijingTime('2026-11-29T06:25:24.000Z')).toBe('2026-11-29 14:25:24（北京时间）');
    expect(beijingTime('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00:00（北京时间）');
    expect(beijingTime('not a time')).toBe('not a time');
  });
});
