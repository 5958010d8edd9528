import { describe, expect, it } from 'vitest';
import { parsePredictionsCsv } from './forecast-data';

describe('predictions.csv as series over time', () => {
  it('reads time, actual, predicted and the seasonal naive, in seconds for uPlot', () => {
    const csv = 'time,actual,predicted,naive,residual,seasonal_naive\n2020-01-01T00:00:00.000Z,10,9.5,9,0.5,8\n2020-02-01T00:00:00.000Z,11,10.5,10,0.5,\n';
    const s = parsePredictionsCsv(csv);
    expect(s.time).toBe(true);
    expect(s.x).toEqual([Date.UTC(2020, 0, 1) / 1000, Date.UTC(2020, 1, 1) / 1000]);
    expect(s.series.map((x) => x.key)).toEqual(['actual', 'predicted', 'seasonal_naive']);
    expect(s.series[2].values).toEqual([8, null]);
  });

  it('reads row numbers when the dataset has no time column, and leaves out a missing seasonal naive', () => {
    const s = parsePredictionsCsv('row,actual,predicted,naive,residual\n41,1,2,1,-1\n42,2,2,1,0\n');
    expect(s).toEqual({ time: false, x: [41, 42], series: [{ key: 'actual', values: [1, 2] }, { key: 'predicted', values: [2, 2] }] });
  });

  it('says what is wrong with a file that is not a predictions file', () => {
    expect(() => parsePredictionsCsv('')).toThrow(/empty/);
    expect(() => parsePredictionsCsv('when,actual,predicted\n')).toThrow(/starts with "when"/);
    expect(() => parsePredictionsCsv('time,actual\n2020-01-01,1\n')).toThrow(/no actual and predicted/);
    expect(() => parsePredictionsCsv('time,actual,predicted\nnot a date,1,2\n')).toThrow(/Row 2 .*"not a date"/);
  });
});
