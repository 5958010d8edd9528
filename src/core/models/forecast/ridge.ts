/**
 * Ridge regression in closed form: the exact minimiser of
 *   mean((y - b - X w)^2) + l2 * |w|^2
 * with an unpenalised intercept b, solved from the normal equations in float64 by Cholesky.
 * Centring X and y first makes the intercept drop out of the penalised system
 *   (Xc'Xc + n * l2 * I) w = Xc'yc,   b = mean(y) - mean(X) . w
 * which is what an intercept column left out of the penalty gives. `l2` is per training row, so the
 * same value means the same strength however long the series is.
 *
 * No TensorFlow.js here: a few hundred coefficients are solved faster in plain loops than a tensor
 * round trip would take.
 */

export interface RidgeCoefficients {
  weights: number[];
  intercept: number;
  l2: number;
}

/** The centred Gram matrix and moment vector of a design: computed once, solved for many `l2`. */
export interface RidgeSystem {
  features: number;
  rows: number;
  /** d x d, row-major: Xc'Xc. */
  gram: Float64Array;
  /** Xc'yc. */
  moment: Float64Array;
  xMean: Float64Array;
  yMean: number;
}

/**
 * Builds the system for row-major `x` (`rows` x `features`) and targets `y`; with `weights` (mean 1)
 * each row's squared error counts that many times, as iteratively reweighted fits need.
 */
export function ridgeSystem(x: ArrayLike<number>, y: ArrayLike<number>, rows: number, features: number, weights?: ArrayLike<number>): RidgeSystem {
  if (rows < 1 || x.length < rows * features || y.length < rows) {
    throw new Error(`ridgeSystem needs ${rows} rows of ${features} features and ${rows} targets`);
  }
  const d = features;
  const wt = (r: number) => (weights ? weights[r] : 1);
  const xMean = new Float64Array(d);
  let yMean = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const w = wt(r);
    total += w;
    yMean += w * y[r];
    for (let j = 0; j < d; j++) xMean[j] += w * x[r * d + j];
  }
  yMean /= total;
  for (let j = 0; j < d; j++) xMean[j] /= total;
  const gram = new Float64Array(d * d);
  const moment = new Float64Array(d);
  const row = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const w = wt(r);
    for (let j = 0; j < d; j++) row[j] = x[r * d + j] - xMean[j];
    const yc = w * (y[r] - yMean);
    for (let i = 0; i < d; i++) {
      const xi = row[i];
      moment[i] += xi * yc;
      const at = i * d;
      const wxi = w * xi;
      for (let j = i; j < d; j++) gram[at + j] += wxi * row[j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) gram[i * d + j] = gram[j * d + i];
  return { features: d, rows, gram, moment, xMean, yMean };
}

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix, or null when it is
 * not positive definite (a column that is constant or a copy of others, with no penalty).
 */
export function cholesky(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j];
      }
    }
  }
  return l;
}

/** Solves L L' w = b for the factor of `cholesky`. */
export function choleskySolve(l: Float64Array, b: ArrayLike<number>, d: number): Float64Array {
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * z[k];
    z[i] = s / l[i * d + i];
  }
  const w = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * w[k];
    w[i] = s / l[i * d + i];
  }
  return w;
}

/**
 * The ridge solution for `l2`. With l2 = 0 and a singular system (a constant or duplicated input
 * column) plain least squares has many solutions: a ridge of 1e-10 times the mean diagonal picks the
 * smallest one, which changes no prediction on the rows it was fitted to by more than rounding.
 */
export function solveRidge(s: RidgeSystem, l2: number): RidgeCoefficients {
  if (!(l2 >= 0)) throw new Error(`l2 must be at least 0 (got ${l2})`);
  const d = s.features;
  const penalty = s.rows * l2;
  const withPenalty = (extra: number) => {
    const a = Float64Array.from(s.gram);
    for (let i = 0; i < d; i++) a[i * d + i] += penalty + extra;
    return cholesky(a, d);
  };
  let trace = 0;
  for (let i = 0; i < d; i++) trace += s.gram[i * d + i];
  const l = withPenalty(0) ?? withPenalty(Math.max(1e-10 * (trace / d), 1e-300));
  if (!l) throw new Error('the ridge system cannot be solved: the inputs are not finite');
  const w = choleskySolve(l, s.moment, d);
  let intercept = s.yMean;
  for (let j = 0; j < d; j++) intercept -= s.xMean[j] * w[j];
  return { weights: Array.from(w), intercept, l2 };
}

/** Predictions of the coefficients for row-major `x`. */
export function ridgePredict(c: RidgeCoefficients, x: ArrayLike<number>, rows: number): Float64Array {
  const d = c.weights.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = c.intercept;
    for (let j = 0; j < d; j++) s += c.weights[j] * x[r * d + j];
    out[r] = s;
  }
  return out;
}

/**
 * Least absolute deviations with the same penalty: minimises mean(|y - b - X w|) + l2 * |w|^2 by
 * iteratively reweighted least squares (each row weighted by 1 / |its last residual|, floored so a
 * row already fitted exactly cannot take every weight). It forecasts the conditional median rather
 * than the mean: what a skewed, noisy series scored on MAE wants.
 */
export function solveRidgeAbsolute(x: ArrayLike<number>, y: ArrayLike<number>, rows: number, features: number, l2: number, iterations = 20): RidgeCoefficients {
  let c = solveRidge(ridgeSystem(x, y, rows, features), l2);
  const weights = new Float64Array(rows);
  for (let it = 0; it < iterations; it++) {
    const pred = ridgePredict(c, x, rows);
    let meanAbs = 0;
    for (let r = 0; r < rows; r++) meanAbs += Math.abs(y[r] - pred[r]);
    meanAbs /= rows;
    const floor = Math.max(1e-6 * meanAbs, 1e-12);
    let total = 0;
    for (let r = 0; r < rows; r++) total += weights[r] = 1 / Math.max(Math.abs(y[r] - pred[r]), floor);
    for (let r = 0; r < rows; r++) weights[r] *= rows / total;
    c = solveRidge(ridgeSystem(x, y, rows, features, weights), l2);
  }
  return c;
}

/** The penalties the linear family tries when `l2` is `auto`, from none to strong. */
export const L2_GRID = [0, 1e-6, 1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1] as const;
