import { describe, expect, it } from 'vitest';
import { invalid } from '../../../../test/helpers/expect-error';
import { SearchSpace } from '../../../shared/contract';
import { defaultSearchSpace, modelFamily, resolveParams } from '../index';
import { chooseThreshold } from './detector';
import { quantile, rowScores } from './windows';

describe('anomaly family params', () => {
  it('are reachable by model name at submit, with defaults filled in', () => {
    expect(resolveParams('autoencoder', { epochs: '5' })).toMatchObject({
      epochs: 5,
      window: 24,
      bottleneck: 4,
      threshold: 'quantile',
      quantile: 0.99,
      contamination: 0.02,
    });
    expect(resolveParams('isolation_forest', {})).toMatchObject({ trees: 100, sampleSize: 256, window: 12, seed: 42 });
    expect(modelFamily('isolation_forest').task).toBe('anomaly');
  });

  it('name the wrong field', () => {
    expect(invalid(() => resolveParams('isolation_forest', { tree: 5 })).message).toMatch(
      /^params\.tree: unknown parameter for the isolation_forest model; known: window, seed/,
    );
    expect(invalid(() => resolveParams('autoencoder', { quantile: 1 })).message).toBe(
      'params.quantile: must be a number above 0.5 and below 1 (got 1)',
    );
    expect(invalid(() => resolveParams('autoencoder', { threshold: 'otsu' })).field).toBe('params.threshold');
    expect(invalid(() => resolveParams('isolation_forest', { sampleSize: 1 })).field).toBe('params.sampleSize');
    expect(invalid(() => resolveParams('autoencoder', { valFraction: 0.5, testFraction: 0.4 })).field).toBe('params.testFraction');
  });

  it('offer default search spaces that the contract accepts, over their own params', () => {
    for (const family of ['autoencoder', 'isolation_forest']) {
      const space = defaultSearchSpace(family);
      expect(SearchSpace.safeParse(space).success).toBe(true);
      const known = Object.keys(modelFamily(family).defaults);
      for (const name of Object.keys(space)) expect(known).toContain(name);
    }
  });
});

describe('row scores and thresholds', () => {
  it('give each row the mean of the windows holding it', () => {
    // Window scores 0,1,2 for windows of 2 over 4 rows: rows 0..3 are held by {0}, {0,1}, {1,2}, {2}.
    expect(Array.from(rowScores(4, 2, (k) => k))).toEqual([0, 0.5, 1.5, 2]);
    // Per-position scores: the row's own position in each window.
    expect(Array.from(rowScores(3, 2, (k, j) => 10 * k + j))).toEqual([0, (1 + 10) / 2, 11]);
  });

  it('take the quantile of validation rows, or of training rows for a contamination share', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25, 12);
    const scores = Float64Array.from({ length: 100 }, (_, i) => i);
    const rows = { train: { start: 0, end: 60 }, val: { start: 60, end: 80 } };
    const q = chooseThreshold(scores, rows, { threshold: 'quantile', quantile: 0.5, contamination: 0.1 });
    expect(q.value).toBeCloseTo(69.5, 12);
    expect(q.basis).toBe("the 50% quantile of the 20 validation rows' scores");
    const c = chooseThreshold(scores, rows, { threshold: 'contamination', quantile: 0.5, contamination: 0.1 });
    expect(c.value).toBeCloseTo(53.1, 12);
    // About the contamination share of training rows end up above it.
    expect(Array.from(scores.subarray(0, 60)).filter((s) => s > c.value).length).toBe(6);
  });
});
