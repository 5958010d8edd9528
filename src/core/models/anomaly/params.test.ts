import { describe, expect, it } from 'vitest';
import { invalid } from '../../../../test/helpers/expect-error';
import { SearchSpace } from '../../../shared/contract';
import { defaultSearchSpace, modelFamily, resolveParams } from '../index';
import { chooseThreshold } from './detector';
import { causalRowScores, quantile, UNSCORED_ROW_SCORE } from './windows';

describe('anomaly family params', () => {
  it('are reachable by model name at submit, with defaults filled in', () => {
    expect(resolveParams('autoencoder', { epochs: '5' })).toMatchObject({
      epochs: 5,
      window: 24,
      bottleneck: 4,
      threshold: 'auto',
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
  it('give each row the score of the window ending at it, and the rows before the first window the unscored score', () => {
    // Windows of 3 over 6 rows: window k ends at row k + 2.
    expect(Array.from(causalRowScores(6, 3, (k) => 10 + k))).toEqual([UNSCORED_ROW_SCORE, UNSCORED_ROW_SCORE, 10, 11, 12, 13]);
  });

  it('take the quantile of validation rows, or of training rows for a contamination share', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25, 12);
    const scores = Float64Array.from({ length: 100 }, (_, i) => i);
    const rows = { train: { start: 0, end: 60 }, val: { start: 60, end: 80 } };
    const q = chooseThreshold(scores, rows, { threshold: 'quantile', quantile: 0.5, contamination: 0.1 }, null);
    expect(q.value).toBeCloseTo(69.5, 12);
    expect(q).toMatchObject({ method: 'quantile', basis: "the 50% quantile of the 20 validation rows' scores" });
    const c = chooseThreshold(scores, rows, { threshold: 'contamination', quantile: 0.5, contamination: 0.1 }, null);
    expect(c.value).toBeCloseTo(53.1, 12);
    // About the contamination share of training rows end up above it.
    expect(Array.from(scores.subarray(0, 60)).filter((s) => s > c.value).length).toBe(6);
  });

  it('choose the best F1 on the validation labels under "auto", never looking at the test rows', () => {
    // Validation rows 10..19: anomalies at 12 and 17 score 0.9 and 0.6; a normal row scores 0.7.
    const scores = new Float64Array(30).fill(0.1);
    const labels = new Array<number>(30).fill(0);
    scores[12] = 0.9;
    scores[17] = 0.6;
    scores[15] = 0.7;
    labels[12] = labels[17] = 1;
    // Test rows 20..29 hold a very different picture, which must not move the threshold.
    scores[25] = 5;
    labels[21] = 1;
    const rows = { train: { start: 0, end: 10 }, val: { start: 10, end: 20 } };
    const rule = { threshold: 'auto' as const, quantile: 0.95, contamination: 0.1 };
    const t = chooseThreshold(scores, rows, rule, labels);
    // Flagging {0.9}: P 1, R 1/2, F1 2/3; {0.9, 0.7}: F1 1/2; {0.9, 0.7, 0.6}: P 2/3, R 1, F1 0.8, the best.
    // The cut lies halfway between the lowest flagged score (0.6) and the next one down (0.1).
    expect(t.method).toBe('best_f1');
    expect(t.value).toBeCloseTo(0.35, 12);
    expect(t.basis).toBe("the best F1 (0.800: precision 0.667, recall 1.000) over the 10 validation rows' labels (2 anomalous)");

    // Without a labelled anomaly in the validation rows (or without labels), "auto" falls back to the quantile rule.
    const none = labels.map((l, i) => (i >= 10 && i < 20 ? 0 : l));
    const q = chooseThreshold(scores, rows, rule, none);
    expect(q.method).toBe('quantile');
    expect(q.value).toBeCloseTo(quantile(scores.subarray(10, 20), 0.95), 12);
    expect(q.basis).toMatch(/^no labelled anomaly in the validation rows, so the 95% quantile/);
    expect(chooseThreshold(scores, rows, rule, null).basis).toMatch(/^no label column, so the 95% quantile/);
    // A rule the user set wins over labels.
    expect(chooseThreshold(scores, rows, { ...rule, threshold: 'contamination' }, labels).method).toBe('contamination');
  });
});
