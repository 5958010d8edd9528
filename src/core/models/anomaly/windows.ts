/**
 * What the anomaly families see: every run of `window` consecutive rows of the scaled series (stride
 * 1), and how scores given to windows become one score per row.
 *
 * A row's score is the mean over every window that holds it, of that window's score at the row (the
 * autoencoder's squared reconstruction error at that position) or of the window's score as a whole
 * (the isolation forest). Every row gets a score, the first and last ones from fewer windows, and
 * a spike raises its own row most, not the rows a window's width away.
 *
 * This is offline scoring, as a training run evaluates: a row's score also uses the windows after
 * it. A live monitor, which only has the past, would score the window ending at the newest row.
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

/**
 * One score per row from per-position window scores: `at(k, j)` is window k's score for its j-th
 * row (row k + j).
 */
export function rowScores(rows: number, window: number, at: (k: number, j: number) => number): Float64Array {
  const count = rows - window + 1;
  const out = new Float64Array(rows);
  for (let t = 0; t < rows; t++) {
    const first = Math.max(0, t - window + 1);
    const last = Math.min(t, count - 1);
    let sum = 0;
    for (let k = first; k <= last; k++) sum += at(k, t - k);
    out[t] = sum / (last - first + 1);
  }
  return out;
}

/** Quantile `q` (0..1) of `values` with linear interpolation between order statistics (R's type 7, numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  return sortedQuantile(Float64Array.from(values).sort(), q);
}

/**
 * The isolation forest's features for each window: its scaled values, then the differences between
 * neighbouring values. A forest cuts one feature at a time, so a jump between two rows (the edge of
 * a spike or of a level shift) is only visible to it as a feature of its own.
 */
export function forestFeatures(m: WindowMatrix): { x: Float64Array; features: number } {
  const w = m.window;
  const features = 2 * w - 1;
  const x = new Float64Array(m.count * features);
  for (let k = 0; k < m.count; k++) {
    const row = k * w;
    const out = k * features;
    for (let j = 0; j < w; j++) x[out + j] = m.x[row + j];
    for (let j = 0; j < w - 1; j++) x[out + w + j] = m.x[row + j + 1] - m.x[row + j];
  }
  return { x, features };
}
