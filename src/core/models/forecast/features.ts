/**
 * What the network sees and predicts, for forecasters on lag windows.
 *
 * Inputs are the consecutive differences inside the window, the target is the change from the
 * window's last value to the value `horizon` steps later; both are standard-scaled with
 * statistics from the training windows only. Levels drift (CO2 keeps rising) and a network
 * trained on old levels extrapolates badly to new ones, while changes stay in the range it was
 * trained on. It also makes the naive last-value forecast the network's zero point: it learns a
 * correction to "no change". Predictions are turned back into levels before any metric is taken.
 */
import { fitScaler, inverseTransform, transform, type StandardScaler, type Windows } from '../../data';

export interface ForecastPreprocessing {
  /** Recorded with the model so inference prepares inputs the same way. */
  inputs: 'window-differences';
  output: 'change-over-horizon';
  window: number;
  horizon: number;
  x: StandardScaler;
  y: StandardScaler;
}

/** Input features per window: window - 1 differences. */
export const featureCount = (window: number): number => window - 1;

/** Differences inside each window of row-major `x` (`count` x `window`). */
export function windowDifferences(x: ArrayLike<number>, window: number): Float64Array {
  const count = Math.floor(x.length / window);
  const f = featureCount(window);
  const out = new Float64Array(count * f);
  for (let k = 0; k < count; k++) {
    for (let j = 0; j < f; j++) out[k * f + j] = x[k * window + j + 1] - x[k * window + j];
  }
  return out;
}

/** The last value of each window: the naive forecast, and the level predictions are added to. */
export function lastValues(x: ArrayLike<number>, window: number): Float64Array {
  const count = Math.floor(x.length / window);
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = x[k * window + window - 1];
  return out;
}

export interface EncodedWindows {
  /** Scaled features, row-major `count` x `featureCount(window)`. */
  x: Float64Array;
  /** Scaled targets (only when the windows have targets). */
  y: Float64Array;
  last: Float64Array;
}

/** Fits the scalers on the training windows [start, end) only. */
export function fitPreprocessing(w: Windows, train: { start: number; end: number }): ForecastPreprocessing {
  const f = featureCount(w.window);
  const diffs = windowDifferences(w.x, w.window);
  const last = lastValues(w.x, w.window);
  const change = new Float64Array(w.count);
  for (let k = 0; k < w.count; k++) change[k] = w.y[k] - last[k];
  return {
    inputs: 'window-differences',
    output: 'change-over-horizon',
    window: w.window,
    horizon: w.horizon,
    x: fitScaler(diffs.subarray(train.start * f, train.end * f), f),
    y: fitScaler(change.subarray(train.start, train.end), 1),
  };
}

export function encodeWindows(p: ForecastPreprocessing, w: Windows): EncodedWindows {
  const last = lastValues(w.x, w.window);
  const change = new Float64Array(w.count);
  for (let k = 0; k < w.count; k++) change[k] = w.y[k] - last[k];
  return { x: transform(p.x, windowDifferences(w.x, w.window)), y: transform(p.y, change), last };
}

/** Scaled inputs for raw windows (row-major `count` x `window`), for inference. */
export function encodeInputs(p: ForecastPreprocessing, x: ArrayLike<number>): Float64Array {
  return transform(p.x, windowDifferences(x, p.window));
}

/** Network outputs (scaled changes) back to levels on the original scale. */
export function decodeOutputs(p: ForecastPreprocessing, out: ArrayLike<number>, last: ArrayLike<number>): Float64Array {
  const change = inverseTransform(p.y, out);
  const levels = new Float64Array(change.length);
  for (let k = 0; k < change.length; k++) levels[k] = last[k] + change[k];
  return levels;
}
