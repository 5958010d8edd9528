import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { numpyArgsort } from './order';

describe('numpy argsort order', () => {
  it('orders tied values as numpy.argsort does (figures from numpy 1.24)', () => {
    const values = [2, 0, 1, 1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 0, 2, 2, 0, 1, 1, 2, 0, 1, 2, 0, 0];
    // Not stable: the zeros come out as 24, 1, 20, 4, ...
    expect(Array.from(numpyArgsort(values))).toEqual([24, 1, 20, 4, 16, 8, 9, 13, 23, 21, 18, 17, 12, 10, 7, 3, 2, 14, 15, 6, 5, 19, 22, 11, 0]);
    // Up to 16 values numpy uses an insertion sort alone, which is stable.
    expect(Array.from(numpyArgsort([1, 0, 1, 0, 1]))).toEqual([1, 3, 0, 2, 4]);
  });

  it('is a sort, whatever the values', () => {
    for (let seed = 0; seed < 40; seed++) {
      const rng = new Rng(seed);
      const n = rng.int(400);
      const values = Float64Array.from({ length: n }, () => (seed % 2 ? rng.int(4) : rng.next()));
      const order = numpyArgsort(values);
      expect(new Set(order).size).toBe(n);
      for (let i = 1; i < n; i++) expect(values[order[i]]).toBeGreaterThanOrEqual(values[order[i - 1]]);
    }
  });
});
