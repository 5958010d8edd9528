/**
 * Forecast predict and scoring. A forecaster reads a window of `window` rows and predicts the row
 * `horizon` steps after the window's last one. So every row with a full window `horizon` steps
 * before it gets a prediction (`fitted`, beside its actual value), and the windows ending at the
 * last `horizon` rows predict the `horizon` steps past the end (`forecast`).
 *
 * Exogenous inputs for future rows: none are needed. Every input a forecast reads (target,
 * exogenous columns, calendar features) comes from rows inside its window, at or before the
 * window's last row, so the forecast for the j-th step past the end reads rows the file has.
 */
import { InvalidInput } from '../../../shared/errors';
import type { Range, TrainingFrame } from '../../data';
import { metricRecord, naiveForecast, regressionMetrics, skillScore } from '../../metrics';
import type { Forecaster, RawInputs } from '../../models';
import type { PredictOutput, ScoreFile } from '../../workers';
import type { ModelCardView } from './card';
import { checkRows } from './frame';
import { keyColumn, rowKey, toCsv, type Cell } from './table';

/** The raw windows of `window` rows ending at rows `ends.start` .. `ends.end - 1`, with what the model reads beside the target. */
export function windowsEndingAt(frame: TrainingFrame, forecaster: Forecaster, ends: Range): RawInputs {
  const p = forecaster.preprocessing;
  const w = p.window;
  const count = Math.max(0, ends.end - ends.start);
  const copy = (from: ArrayLike<number>) => {
    const out = new Float64Array(count * w);
    for (let k = 0; k < count; k++) {
      const first = ends.start + k - w + 1;
      for (let j = 0; j < w; j++) out[k * w + j] = from[first + j];
    }
    return out;
  };
  const exogenous = p.exogenous.map((name) => {
    const column = frame.exogenous.find((e) => e.name === name);
    if (!column) throw new Error(`the model reads the exogenous column "${name}", which was not read`);
    return copy(column.values);
  });
  const ts = frame.series.timestamps;
  if (p.calendar.length > 0 && !ts) throw new InvalidInput('The model uses calendar features; the file needs its time column', 'data');
  return { target: copy(frame.series.values), exogenous, times: ts ? copy(ts) : null };
}

/** The rows a forecaster can predict in a series of `n` rows: those with a full window `horizon` rows before them. */
export const firstPredictableRow = (forecaster: Forecaster): number => forecaster.preprocessing.window - 1 + forecaster.preprocessing.horizon;

export async function forecastTable(forecaster: Forecaster, frame: TrainingFrame, view: ModelCardView, file: ScoreFile): Promise<PredictOutput> {
  const { window: w, horizon: h } = forecaster.preprocessing;
  const { series } = frame;
  const n = series.values.length;
  checkRows(frame, w, `a window of ${w} rows`, file);
  // Every window there is: ending at row w - 1 up to the last row.
  const predicted = await forecaster.predictWindows(windowsEndingAt(frame, forecaster, { start: w - 1, end: n }));
  const future = { frequency: view.schema.frequency, stepMs: view.stepMs };
  const rows: Cell[][] = [];
  for (let k = 0; k < predicted.length; k++) {
    const t = w - 1 + k + h;
    rows.push(t < n ? [rowKey(series, t, future), series.values[t], predicted[k], 'fitted'] : [rowKey(series, t, future), null, predicted[k], 'forecast']);
  }
  const columns = [keyColumn(series), 'actual', 'predicted', 'kind'];
  return { task: 'forecast', columns, rows, csv: toCsv(columns, rows), skipped: Math.min(n, w - 1 + h) };
}

/** Metrics of the forecaster on target rows `rows` (each predictable), beside the naive last-value forecast on the same rows. */
export async function forecastMetrics(forecaster: Forecaster, frame: TrainingFrame, rows: Range): Promise<Record<string, number>> {
  const h = forecaster.preprocessing.horizon;
  const values = frame.series.values;
  const predicted = await forecaster.predictWindows(windowsEndingAt(frame, forecaster, { start: rows.start - h, end: rows.end - h }));
  const actual = values.slice(rows.start, rows.end);
  const targets = Int32Array.from({ length: rows.end - rows.start }, (_, i) => rows.start + i);
  const model = regressionMetrics(actual, predicted);
  const naive = regressionMetrics(actual, naiveForecast(values, targets, h));
  const out: Record<string, number> = { n: model.n, ...bare(metricRecord('m', model)), ...metricRecord('naive', naive) };
  const skill = skillScore(model, naive);
  if (skill !== null) out['skill.naive'] = skill;
  return out;
}

/** `m.mae` → `mae`: evaluate's own metrics go unprefixed, the baselines keep theirs. */
function bare(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.slice(k.indexOf('.') + 1), v]));
}
