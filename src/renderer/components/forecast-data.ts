/**
 * The test split's forecasts over time, from the `predictions.csv` a forecast run stores beside its
 * model (core/pipeline/register.ts writes it): `time` (ISO) or `row`, then `actual`, `predicted`,
 * `naive`, `residual` and, when the run scored one, `seasonal_naive`. Parsed into uPlot's columns:
 * x (seconds since the epoch, or the row number) and one array per drawn series.
 */
export interface ForecastSeries {
  /** True when x is time (seconds, as uPlot reads a time scale), false when it is the file's row number. */
  time: boolean;
  x: number[];
  /** Series in drawing order: actual, predicted, then seasonal_naive when present. */
  series: { key: 'actual' | 'predicted' | 'seasonal_naive'; values: (number | null)[] }[];
}

const DRAWN = ['actual', 'predicted', 'seasonal_naive'] as const;

export function parsePredictionsCsv(text: string): ForecastSeries {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error('The predictions file is empty');
  const header = lines[0].split(',').map((h) => h.trim());
  const time = header[0] === 'time';
  if (!time && header[0] !== 'row') throw new Error(`The predictions file starts with "${header[0]}", not time or row`);
  const columns = DRAWN.map((key) => ({ key, at: header.indexOf(key) })).filter((c) => c.at >= 0);
  if (!columns.some((c) => c.key === 'actual') || !columns.some((c) => c.key === 'predicted')) {
    throw new Error('The predictions file has no actual and predicted columns');
  }
  const x: number[] = [];
  const series = columns.map((c) => ({ key: c.key, values: [] as (number | null)[] }));
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',');
    const at = time ? Date.parse(cells[0]) / 1000 : Number(cells[0]);
    if (!Number.isFinite(at)) throw new Error(`Row ${i + 2} of the predictions file has "${cells[0]}" for its ${time ? 'time' : 'row'}`);
    x.push(at);
    columns.forEach((c, j) => {
      const v = Number(cells[c.at]);
      series[j].values.push(cells[c.at] === undefined || cells[c.at] === '' || !Number.isFinite(v) ? null : v);
    });
  });
  return { time, x, series };
}
