/**
 * Standard scaling (zero mean, unit variance per column). Fitted on the training part alone:
 * statistics taken over validation or test rows would leak the future into training.
 */
export interface StandardScaler {
  mean: number[];
  std: number[];
}

/** Fits on row-major `data` with `cols` columns. */
export function fitScaler(data: ArrayLike<number>, cols = 1): StandardScaler {
  const rows = Math.floor(data.length / cols);
  if (rows < 1) throw new Error('fitScaler needs at least one row');
  const mean = new Array<number>(cols).fill(0);
  const sq = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = data[r * cols + c] - mean[c];
      sq[c] += d * d;
    }
  }
  // A constant column has no spread to divide by; leaving it unscaled keeps it finite.
  const std = sq.map((s) => {
    const v = Math.sqrt(s / rows);
    return v > 1e-12 ? v : 1;
  });
  return { mean, std };
}

export function transform(s: StandardScaler, data: ArrayLike<number>): Float64Array {
  const cols = s.mean.length;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] - s.mean[i % cols]) / s.std[i % cols];
  return out;
}

export function inverseTransform(s: StandardScaler, data: ArrayLike<number>): Float64Array {
  const cols = s.mean.length;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] * s.std[i % cols] + s.mean[i % cols];
  return out;
}
