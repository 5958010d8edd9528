import { describe, expect, it } from 'vitest';
import { fmtMetric } from './format';

describe('formatting metrics', () => {
  it('writes MAPE as a percentage, other metrics as numbers', () => {
    expect(fmtMetric('test.mape', 0.09009)).toBe('0.09009 %');
    expect(fmtMetric('naive.val.mape', 12.5)).toBe('12.5 %');
    expect(fmtMetric('test.rmse', 0.09009)).toBe('0.09009');
    expect(fmtMetric('test.mape', null)).toBe('—');
  });
});
