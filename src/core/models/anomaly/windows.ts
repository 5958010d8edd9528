/**
 * What the anomaly families see: every run of `window` consecutive rows of the scaled series (stride
 * 1), and how scores given to windows become one score per row.
 *
 * Scoring is causal: a row's score comes from the one window that ends at it (rows t-w+1..t), so
 * it uses only the rows up to it, as a live monitor that only has the past would score it, and a
 * run's test figures are the ones such a monitor would get.
 */
import { sortedQuantile } from '../../data';

export interface WindowMatrix {
  window: number;
  count: number;
  /** Row-major `count` x `window`: window k holds rows k..k+window-1. */
  x: Float64Array;
}

export function windowMatrix(series: ArrayLike<number>, window: number): WindowMatrix {
  const count = series.length - window + 1;
  if (count < 1) throw new Error(`windowMatrix: ${series.length} rows are fewer than a window of ${window}`);
  const x = new Float64Array(count * window);
  for (let k = 0; k < count; k++) for (let j = 0; j < window; j++) x[k * window + j] = series[k + j];
  return { window, count, x };
}

/** Windows lying wholly inside rows [start, end): their indices [start, end - window + 1). */
export function windowsWithin(rows: { start: number; end: number }, window: number): { start: number; end: number } {
  return { start: rows.start, end: Math.max(rows.start, rows.end - window + 1) };
}

/** The version of the saved detector files (detector.json, forest.json): 2 since rows are scored causally with these features. */
export const DETECTOR_FORMAT_VERSION = 2;

/** What the rows before the first full window score: the lowest score there is, so they are never flagged. */
export const UNSCORED_ROW_SCORE = 0;

/**
 * One score per row, causally: row t gets the score of the window ending at it (rows t-w+1..t),
 * `at(k)` for window k = t - w + 1, so no row after t ever moves row t's score. The first w - 1
 * rows, which no full window ends at, get UNSCORED_ROW_SCORE; they always lie in the training rows.
 */
export function causalRowScores(rows: number, window: number, at: (k: number) => number): Float64Array {
  const out = new Float64Array(rows).fill(UNSCORED_ROW_SCORE);
  for (let t = window - 1; t < rows; t++) out[t] = at(t - window + 1);
  return out;
}

/** Quantile `q` (0..1) of `values` with linear interpolation between order statistics (R's type 7, numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  return sortedQuantile(Float64Array.from(values).sort(), q);
}

/** Added to spreads before dividing by them: a window that does not move (a flat line) must not divide by 0. */
const SPREAD_FLOOR = 0.05;
/** Two scaled values closer than this are the same reading. */
const SAME = 1e-9;

/**
 * The isolation forest's features of each window, all about its newest row t against the rows
 * before it in the window, so that what makes a row unusual is visible to a forest that cuts one
 * feature at a time:
 * - `value`: the scaled value itself (a level far outside the training range);
 * - `step`: x_t - x_{t-1} (the edge of a spike or of a level shift);
 * - `deviation`: x_t minus the mean of the earlier rows, and `zscore`: the same over their spread;
 * - `spread`: the window's standard deviation, `mean_step`: its mean absolute step, `min_step`: its
 *   smallest absolute step, `flat_share`: the share of steps that are exactly 0, `flat_now`: whether
 *   the newest step is 0 (a stuck sensor);
 * - `step_ratio`: |x_t - x_{t-1}| over the window's usual absolute step (a jump for this stretch).
 */
export const FOREST_FEATURE_NAMES = [
  'value',
  'step',
  'deviation',
  'zscore',
  'spread',
  'mean_step',
  'flat_share',
  'step_ratio',
  'flat_now',
  'min_step',
] as const;

/** The smallest window the features are defined for: two earlier rows, so the earlier steps have a mean. */
export const MIN_FOREST_WINDOW = 3;

export function forestFeatures(m: WindowMatrix): { x: Float64Array; features: number } {
  const w = m.window;
  if (w < MIN_FOREST_WINDOW) throw new Error(`forestFeatures needs a window of at least ${MIN_FOREST_WINDOW} rows; got ${w}`);
  const features = FOREST_FEATURE_NAMES.length;
  const x = new Float64Array(m.count * features);
  for (let k = 0; k < m.count; k++) {
    const row = m.x.subarray(k * w, k * w + w);
    const now = row[w - 1];
    let earlierSum = 0;
    for (let j = 0; j < w - 1; j++) earlierSum += row[j];
    const earlierMean = earlierSum / (w - 1);
    let earlierVar = 0;
    for (let j = 0; j < w - 1; j++) earlierVar += (row[j] - earlierMean) ** 2;
    const earlierSd = Math.sqrt(earlierVar / (w - 1));
    const mean = (earlierSum + now) / w;
    let variance = 0;
    for (let j = 0; j < w; j++) variance += (row[j] - mean) ** 2;
    let earlierSteps = 0;
    let flat = 0;
    let minStep = Infinity;
    for (let j = 1; j < w; j++) {
      const step = Math.abs(row[j] - row[j - 1]);
      if (j < w - 1) earlierSteps += step;
      if (step < SAME) flat++;
      if (step < minStep) minStep = step;
    }
    const lastStep = now - row[w - 2];
    const earlierStepMean = earlierSteps / (w - 2);
    const out = x.subarray(k * features, (k + 1) * features);
    out[0] = now;
    out[1] = lastStep;
    out[2] = now - earlierMean;
    out[3] = (now - earlierMean) / (earlierSd + SPREAD_FLOOR);
    out[4] = Math.sqrt(variance / w);
    out[5] = (earlierSteps + Math.abs(lastStep)) / (w - 1);
    out[6] = flat / (w - 1);
    out[7] = Math.abs(lastStep) / (earlierStepMean + SPREAD_FLOOR);
    out[8] = Math.abs(lastStep) < SAME ? 1 : 0;
    out[9] = minStep;
  }
  return { x, features };
}
