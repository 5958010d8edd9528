import { describe, expect, it } from 'vitest';
import { metricRecord, naiveForecast, regressionMetrics, seasonalNaiveForecast, skillScore } from './index';

describe('regression metrics', () => {
  it('computes MAE, RMSE, MAPE (percent) and R²', () => {
    const m = regressionMetrics([1, 2, 3, 4], [1, 2, 3, 6]);
    expect(m.mae).toBeCloseTo(0.5);
    expect(m.rmse).toBeCloseTo(1);
    expect(m.mape).toBeCloseTo(12.5);
    expect(m.r2).toBeCloseTo(1 - 4 / 5);
  });

  it('skips zero targets in MAPE and says how many it used', () => {
    const m = regressionMetrics([0, 2, 4], [1, 1, 4]);
    expect(m.mapeCount).toBe(2);
    expect(m.mape).toBeCloseTo(25);
    const none = regressionMetrics([0, 0], [1, 1]);
    expect(none.mape).toBeNull();
    expect(none.r2).toBeNull();
    expect(metricRecord('test', none)).toEqual({ 'test.mae': 1, 'test.rmse': 1 });
  });

  it('forecasts the value horizon steps before each target for the naive baseline', () => {
    const series = [10, 11, 12, 13, 14, 15];
    expect(Array.from(naiveForecast(series, [3, 5], 1))).toEqual([12, 14]);
    expect(Array.from(naiveForecast(series, [3, 5], 3))).toEqual([10, 12]);
    expect(() => naiveForecast(series, [1], 2)).toThrow();
  });

  it('forecasts the value one season back for the seasonal-naive baseline, whole seasons back past the horizon', () => {
    const series = Array.from({ length: 20 }, (_, i) => i);
    expect(Array.from(seasonalNaiveForecast(series, [12, 19], 1, 4))).toEqual([8, 15]);
    // A horizon of 6 with a season of 4: the value 4 steps back is not known yet, 8 steps back is.
    expect(Array.from(seasonalNaiveForecast(series, [12, 19], 6, 4))).toEqual([4, 11]);
    expect(() => seasonalNaiveForecast(series, [3], 1, 4)).toThrow(/no value 4 steps before/);
    expect(() => seasonalNaiveForecast(series, [5], 1, 0)).toThrow(/season must be a positive integer/);
  });

  it('scores skill against a baseline as 1 - RMSE / baseline RMSE', () => {
    const actual = [1, 2, 3, 4];
    const model = regressionMetrics(actual, [1, 2, 3, 5]);
    const base = regressionMetrics(actual, [2, 3, 4, 5]);
    expect(skillScore(model, base)).toBeCloseTo(1 - 0.5 / 1, 12);
    expect(skillScore(base, base)).toBe(0);
    expect(skillScore(model, regressionMetrics(actual, actual))).toBeNull();
  });
});
