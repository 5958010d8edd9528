import { describe, expect, it } from 'vitest';
import { metricsSplits, metricsVerdict } from './metrics-table-data';

/** A forecast run's summary as the pipeline records it (original scale). */
const summary = (over: Record<string, number> = {}): Record<string, number> => ({
  'test.mae': 0.8,
  'test.rmse': 1.0,
  'test.mape': 0.25,
  'test.r2': 0.97,
  'naive.mae': 1.1,
  'naive.rmse': 1.25,
  'naive.mape': 0.31,
  'naive.r2': 0.95,
  'seasonal_naive.mae': 1.6,
  'seasonal_naive.rmse': 2.0,
  'seasonal_naive.r2': 0.9,
  'skill.naive': 0.2,
  'val.mae': 0.7,
  'val.rmse': 0.9,
  'val.skill': 0.1,
  'naive.val.rmse': 1.0,
  ...over,
});

describe('the forecast metrics table', () => {
  it('puts test first with the model, naive and seasonal-naive rows, then validation, marking the best per column', () => {
    const splits = metricsSplits(summary());
    expect(splits.map((s) => s.split)).toEqual(['test', 'validation']);
    const [test, val] = splits;
    expect(test.rows.map((r) => r.prefix)).toEqual(['test', 'naive', 'seasonal_naive']);
    expect(test.rows[0].best).toEqual(new Set(['mae', 'rmse', 'mape', 'r2']));
    expect(test.rows[2].values.mape).toBeUndefined();
    // Skill of a baseline against naive, from the RMSEs; the model's is the recorded one.
    expect(test.rows[2].skill).toBeCloseTo(1 - 2 / 1.25);
    expect(test.rows[0].skill).toBe(0.2);
    expect(test.rows[1].skill).toBeNull();
    expect(val.rows.map((r) => [r.prefix, r.skill])).toEqual([
      ['val', 0.1],
      ['naive.val', null],
    ]);
  });

  it('says by how much the model beats each baseline, in percent of its RMSE', () => {
    expect(metricsVerdict(metricsSplits(summary()))).toBe(
      'On the test split the model beats the naive last-value forecast by 20% (RMSE below it; skill 0.200), and beats the seasonal-naive forecast by 50% (RMSE below it; skill 0.500).',
    );
  });

  it('says "within noise" when the RMSE is within 2% of the baseline, and "worse" when it is above it by more', () => {
    const close = summary({ 'test.rmse': 1.24, 'skill.naive': 1 - 1.24 / 1.25 });
    expect(metricsVerdict(metricsSplits(close))).toMatch(/^On the test split the model is within noise of the naive last-value forecast \(RMSE below it by 0\.8%, under 2%\)/);
    const worse = summary({ 'test.rmse': 2.5, 'skill.naive': 1 - 2.5 / 1.25 });
    expect(metricsVerdict(metricsSplits(worse))).toMatch(/is worse than the naive last-value forecast by 100% .*is worse than the seasonal-naive forecast by 25%/);
  });

  it('has nothing to say without test metrics (an anomaly run, a run still training)', () => {
    expect(metricsSplits({ 'test.f1': 0.5, threshold: 2 })).toEqual([]);
    expect(metricsVerdict([])).toBe('No test metrics were recorded for this run.');
  });
});
