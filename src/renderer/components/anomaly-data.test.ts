import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../shared/contract';
import { anomalyMetricRows, anomalySeriesData, labelledWindows, thresholdText } from './anomaly-data';

const pts = (pairs: [number, number][]): MetricPoint[] => pairs.map(([step, value]) => ({ step, ts: 0, value }));

describe('anomaly run page data', () => {
  it('finds the labelled windows as runs of consecutive labelled points', () => {
    expect(labelledWindows(pts([[10, 0], [11, 1], [12, 1], [13, 0], [14, 1]]))).toEqual([
      { from: 11, to: 12 },
      { from: 14, to: 14 },
    ]);
    expect(labelledWindows(undefined)).toEqual([]);
  });

  it('marks flagged rows on the value line, a flag on a dropped point moving to the next kept one', () => {
    const s = anomalySeriesData({
      'scores.value': pts([[10, 5], [12, 6], [14, 7]]),
      'scores.flagged': pts([[10, 0], [11, 1], [14, 1]]),
      'scores.label': pts([[13, 1]]),
    });
    expect(s?.data).toEqual([[10, 12, 14], [5, 6, 7], [null, 6, 7]]);
    expect(s?.flagged).toBe(2);
    expect(s?.windows).toEqual([{ from: 13, to: 13 }]);
    expect(anomalySeriesData({})).toBeNull();
  });

  it('tabulates validation and test figures beside the random scorer, leaving out rows no part has', () => {
    const rows = anomalyMetricRows({ 'val.f1': 0.5, 'test.f1': 0.4, 'random.f1': 0.1, 'test.events': 3, 'test.flagged': 7 });
    expect(rows.map((r) => r.key)).toEqual(['f1', 'events', 'flagged']);
    expect(rows[0]).toMatchObject({ val: 0.5, test: 0.4, random: 0.1, better: 'higher' });
  });

  it('says how the threshold was chosen', () => {
    expect(thresholdText({ params: { threshold: 'auto', thresholdChosenBy: 'best_f1' }, summary: {} })).toBe(
      'the best F1 on the validation rows’ labels (rule “auto”)',
    );
    expect(thresholdText({ params: { threshold: 'auto', thresholdChosenBy: 'quantile', quantile: 0.99 }, summary: {} })).toMatch(
      /^the 99% quantile of the validation rows’ scores \(no labelled validation anomalies/,
    );
    expect(thresholdText({ params: { threshold: 'contamination', thresholdChosenBy: 'contamination', contamination: 0.02 }, summary: {} })).toBe(
      'contamination 2%: the 98% quantile of the training rows’ scores (rule “contamination”)',
    );
  });
});
