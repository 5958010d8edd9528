import { describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../shared/contract';
import { bestValue, isModelMetric, mixedInputs, overlayKeys } from './CompareData';

const series = (key: string, n: number): MetricSeries => ({
  key,
  total: n,
  points: Array.from({ length: n }, (_, i) => ({ step: i, ts: i, value: i })),
});

describe('overlayKeys', () => {
  it('offers keys with a curve in any run, system samples last, single values and predictions never', () => {
    const keys = overlayKeys({
      a: [series('loss', 5), series('test.rmse', 1), series('sys.cpu', 9)],
      b: [series('val_loss', 5), series('predictions.actual', 50), series('loss', 1)],
    });
    expect(keys).toEqual(['loss', 'val_loss', 'sys.cpu']);
  });
});

describe('bestValue', () => {
  it('is the lowest error and the highest score', () => {
    expect(bestValue('test.rmse', [0.5, 0.4, null])).toBe(0.4);
    expect(bestValue('loss', [3, 2])).toBe(2);
    expect(bestValue('test.r2', [0.9, 0.95])).toBe(0.95);
    expect(bestValue('skill.naive', [0.1, 0.3])).toBe(0.3);
  });

  it('chooses nothing when there is nothing to choose', () => {
    expect(bestValue('test.rmse', [0.5, 0.5])).toBeNull();
    expect(bestValue('test.rmse', [0.5, null])).toBeNull();
    expect(bestValue('test.rmse', [NaN, 0.5])).toBeNull();
  });
});

describe('what Compare ranks and warns about', () => {
  it('ranks the model’s metrics, not the last predictions or system samples', () => {
    expect(['test.rmse', 'predictions.predicted', 'sys.cpu_percent', 'val_loss'].filter(isModelMetric)).toEqual(['test.rmse', 'val_loss']);
  });

  it('warns when runs were trained on different datasets or targets', () => {
    expect(mixedInputs([{ datasetId: 'a', target: 'CO2' }, { datasetId: 'a', target: 'CO2' }])).toBeNull();
    expect(mixedInputs([{ datasetId: 'a', target: 'CO2' }, { datasetId: 'b', target: null }])).toEqual({ datasets: ['a', 'b'], targets: ['CO2'] });
    expect(mixedInputs([{ datasetId: 'a', target: 'CO2' }, { datasetId: 'a', target: 'temp' }])).toEqual({ datasets: ['a'], targets: ['CO2', 'temp'] });
  });
});
