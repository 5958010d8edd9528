/**
 * Step 4: score the test windows once, on the original scale, beside the naive last-value
 * forecast for the same targets. A model that cannot beat "no change" is said to be so.
 */
import type * as tf from '@tensorflow/tfjs';
import { metricRecord, naiveForecast, regressionMetrics, type RegressionMetrics } from '../metrics';
import { forecastKit } from '../models';
import type { Loaded } from './load';
import type { Prepared } from './preprocess';
import type { StepContext } from './report';

export interface Evaluated {
  model: RegressionMetrics;
  naive: RegressionMetrics;
  /** `test.*` and `naive.*`, as the run records them. */
  metrics: Record<string, number>;
  predicted: Float64Array;
  naivePredicted: Float64Array;
}

const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toPrecision(3));

function describe(m: RegressionMetrics): string {
  const parts = [`RMSE ${num(m.rmse)}`, `MAE ${num(m.mae)}`];
  if (m.mape !== null) parts.push(`MAPE ${m.mape.toFixed(2)}%`);
  if (m.r2 !== null) parts.push(`R² ${m.r2.toFixed(4)}`);
  return parts.join(', ');
}

export async function evaluateStep(
  model: tf.LayersModel,
  loaded: Loaded,
  prepared: Prepared,
  ctx: StepContext,
): Promise<Evaluated> {
  const { report } = ctx;
  report.progress('evaluate', 0);
  const { test, preprocessing } = prepared;
  const { predictLevels } = await forecastKit();
  const predicted = predictLevels(model, preprocessing, test.x);
  const naivePredicted = naiveForecast(loaded.series.values, test.targetIndex, preprocessing.horizon);
  const m = regressionMetrics(test.actual, predicted);
  const naive = regressionMetrics(test.actual, naivePredicted);
  report.info(`Test (${m.n} points, original scale): ${describe(m)}`);
  report.info(`Naive last-value forecast on the same targets: ${describe(naive)}`);
  // MAPE divides by the target, so zero targets cannot count; say how many were left out.
  const zeros = m.n - m.mapeCount;
  report.info(
    zeros === 0
      ? 'MAPE skips zero targets; there were none in the test split'
      : `MAPE skips zero targets: ${zeros} of ${m.n} were left out${m.mape === null ? ', so there is no MAPE' : ''}`,
  );
  if (m.rmse < naive.rmse) {
    report.info(`Test RMSE is ${Math.round((1 - m.rmse / naive.rmse) * 100)}% below the naive forecast's`);
  } else {
    report.log('warn', `The model does not beat the naive last-value forecast on test RMSE (${num(m.rmse)} vs ${num(naive.rmse)})`);
  }
  report.progress('evaluate', 1);
  return {
    model: m,
    naive,
    metrics: { ...metricRecord('test', m), ...metricRecord('naive', naive) },
    predicted,
    naivePredicted,
  };
}
