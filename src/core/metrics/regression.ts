/** Forecast accuracy on the original scale, and the naive baseline every model must beat. */

export interface RegressionMetrics {
  /** Points scored. */
  n: number;
  mae: number;
  rmse: number;
  /**
   * Mean absolute percentage error, in percent. Targets equal to zero are skipped (the ratio is
   * undefined there); `mapeCount` says how many points it covers, null when none could be used.
   */
  mape: number | null;
  mapeCount: number;
  /** Coefficient of determination; null when the targets are all equal (no variance to explain). */
  r2: number | null;
}

export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics {
  const n = actual.length;
  if (n === 0 || predicted.length !== n) {
    throw new Error(`regressionMetrics needs equal, non-empty arrays (got ${n} and ${predicted.length})`);
  }
  let absSum = 0;
  let sqSum = 0;
  let pctSum = 0;
  let pctCount = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i];
  mean /= n;
  let totSum = 0;
  for (let i = 0; i < n; i++) {
    const e = predicted[i] - actual[i];
    absSum += Math.abs(e);
    sqSum += e * e;
    totSum += (actual[i] - mean) ** 2;
    if (actual[i] !== 0) {
      pctSum += Math.abs(e / actual[i]);
      pctCount++;
    }
  }
  return {
    n,
    mae: absSum / n,
    rmse: Math.sqrt(sqSum / n),
    mape: pctCount > 0 ? (100 * pctSum) / pctCount : null,
    mapeCount: pctCount,
    r2: totSum > 0 ? 1 - sqSum / totSum : null,
  };
}

/**
 * The naive last-value forecast for the targets at `targetIndex`: the value `horizon` steps
 * earlier, the last one known when the forecast is made.
 */
export function naiveForecast(series: ArrayLike<number>, targetIndex: ArrayLike<number>, horizon: number): Float64Array {
  const out = new Float64Array(targetIndex.length);
  for (let i = 0; i < targetIndex.length; i++) {
    const at = targetIndex[i] - horizon;
    if (at < 0) throw new Error(`naiveForecast: target ${targetIndex[i]} has no value ${horizon} steps before it`);
    out[i] = series[at];
  }
  return out;
}

/**
 * The seasonal-naive forecast: the value one season before the target, or k seasons before when
 * the horizon reaches past one season (k = ceil(horizon / season)), so it only ever uses values
 * known when the forecast is made.
 */
export function seasonalNaiveForecast(
  series: ArrayLike<number>,
  targetIndex: ArrayLike<number>,
  horizon: number,
  season: number,
): Float64Array {
  if (!Number.isInteger(season) || season < 1) throw new Error(`seasonalNaiveForecast: season must be a positive integer (got ${season})`);
  const back = season * Math.ceil(horizon / season);
  const out = new Float64Array(targetIndex.length);
  for (let i = 0; i < targetIndex.length; i++) {
    const at = targetIndex[i] - back;
    if (at < 0) throw new Error(`seasonalNaiveForecast: target ${targetIndex[i]} has no value ${back} steps before it`);
    out[i] = series[at];
  }
  return out;
}

/**
 * Skill score against a baseline on RMSE: 1 - rmse / baseline rmse. Above 0 the model beats the
 * baseline (1 would be perfect), 0 ties it, below 0 loses to it. Null when the baseline is perfect.
 */
export function skillScore(model: RegressionMetrics, baseline: RegressionMetrics): number | null {
  return baseline.rmse > 0 ? 1 - model.rmse / baseline.rmse : null;
}

/** Metric keys as runs record them: `test.mae`, `test.rmse`, `test.mape`, `test.r2`. Undefined values are left out. */
export function metricRecord(prefix: string, m: RegressionMetrics): Record<string, number> {
  const out: Record<string, number> = { [`${prefix}.mae`]: m.mae, [`${prefix}.rmse`]: m.rmse };
  if (m.mape !== null) out[`${prefix}.mape`] = m.mape;
  if (m.r2 !== null) out[`${prefix}.r2`] = m.r2;
  return out;
}
