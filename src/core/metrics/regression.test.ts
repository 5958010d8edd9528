import { describe, expect, it } from 'vitest';
import { metricRecord, naiveForecast, regressionMetrics } from './index';

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
});
