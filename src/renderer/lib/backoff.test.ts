import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  const opts = { firstMs: 500, maxMs: 10_000 };
  it('doubles from the first wait up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelayMs(n, opts, 0))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });
  it('takes off at most a fifth at random', () => {
    expect(retryDelayMs(1, opts, 1)).toBe(400);
    expect(retryDelayMs(10, opts, 0.5)).toBe(9000);
  });
});
