/**
 * Per-column scaling, fitted on the training part alone: statistics taken over validation or test
 * rows would leak the future into training.
 *
 * Every kind is stored the same way, `(x - center) / scale` per column, so inference needs no
 * knowledge of how it was fitted:
 * - standard: center = mean, scale = standard deviation;
 * - minmax:   center = min, scale = max - min (training values land in [0, 1]);
 * - robust:   center = median, scale = interquartile range (outliers barely move either).
 */
export const SCALER_KINDS = ['standard', 'minmax', 'robust'] as const;
export type ScalerKind = (typeof SCALER_KINDS)[number];

export interface Scaler {
  kind: ScalerKind;
  center: number[];
  scale: number[];
}

/** A column with no spread has nothing to divide by; leaving it unscaled keeps it finite. */
const TINY = 1e-12;
const safe = (s: number) => (s > TINY && Number.isFinite(s) ? s : 1);

/** Linear-interpolated quantile `q` (0..1) of values sorted ascending (R's type 7, numpy's default). */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function column(data: ArrayLike<number>, cols: number, c: number, rows: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = data[r * cols + c];
  return out;
}

function fitColumn(kind: ScalerKind, v: Float64Array): [number, number] {
  if (kind === 'standard') {
    let mean = 0;
    for (const x of v) mean += x;
    mean /= v.length;
    let sq = 0;
    for (const x of v) sq += (x - mean) ** 2;
    return [mean, safe(Math.sqrt(sq / v.length))];
  }
  if (kind === 'minmax') {
    let min = Infinity;
    let max = -Infinity;
    for (const x of v) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    return [min, safe(max - min)];
  }
  const sorted = Float64Array.from(v).sort();
  return [sortedQuantile(sorted, 0.5), safe(sortedQuantile(sorted, 0.75) - sortedQuantile(sorted, 0.25))];
}

/** Fits on row-major `data` with `cols` columns. */
export function fitScaler(data: ArrayLike<number>, cols = 1, kind: ScalerKind = 'standard'): Scaler {
  const rows = Math.floor(data.length / cols);
  if (rows < 1) throw new Error('fitScaler needs at least one row');
  const center: number[] = [];
  const scale: number[] = [];
  for (let c = 0; c < cols; c++) {
    const [m, s] = fitColumn(kind, column(data, cols, c, rows));
    center.push(m);
    scale.push(s);
  }
  return { kind, center, scale };
}

export function transform(s: Scaler, data: ArrayLike<number>): Float64Array {
  const cols = s.center.length;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] - s.center[i % cols]) / s.scale[i % cols];
  return out;
}

export function inverseTransform(s: Scaler, data: ArrayLike<number>): Float64Array {
  const cols = s.center.length;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] * s.scale[i % cols] + s.center[i % cols];
  return out;
}
