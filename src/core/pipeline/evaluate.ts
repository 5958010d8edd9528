/**
 * Step 4: score the test windows once, on the original scale, beside two baselines on the same
 * targets: the naive last-value forecast and the seasonal-naive one (the value one season
 * earlier). A model that cannot beat them is said to be so, and the skill scores say by how much
 * it does: 1 - RMSE / baseline RMSE.
 *
 * MAPE divides by the target, so targets equal to zero cannot count: they are skipped, the number
 * skipped is logged and written in the model card, and there is no MAPE when every target is zero.
 */
import type * as tf from '@tensorflow/tfjs';
import {
  metricRecord,
  naiveForecast,
  regressionMetrics,
  seasonalNaiveForecast,
  skillScore,
  type RegressionMetrics,
} from '../metrics';
import { forecastKit } from '../models';
import type { Loaded } from './load';
import type { Prepared } from './preprocess';
import type { StepContext } from './report';

export interface Evaluated {
  model: RegressionMetrics;
  naive: RegressionMetrics;
  seasonalNaive: RegressionMetrics | null;
  /** `test.*`, `naive.*`, `seasonal_naive.*` and `skill.*`, as the run records them. */
  metrics: Record<string, number>;
  predicted: Float64Array;
  naivePredicted: Float64Array;
  seasonalNaivePredicted: Float64Array | null;
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
  const { test, preprocessing, season } = prepared;
  const kit = await forecastKit();
  const predicted = kit.predictLevels(model, preprocessing, test.raw, prepared.networkInput);
  // A model whose losses stayed finite can still overflow on test inputs: never register it.
  const bad = predicted.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new Error(
      `diverged: the model predicts ${predicted[bad]} for test window ${bad + 1}; try a lower learningRate, ` +
        `or the robust scaler if the data has extreme values`,
    );
  }
  const series = loaded.series.values;
  const naivePredicted = naiveForecast(series, test.targetIndex, preprocessing.horizon);
  const m = regressionMetrics(test.actual, predicted);
  const naive = regressionMetrics(test.actual, naivePredicted);
  const metrics: Record<string, number> = { ...metricRecord('test', m), ...metricRecord('naive', naive) };
  report.info(`Test (${m.n} points, original scale): ${describe(m)}`);
  report.info(`Naive last-value forecast on the same targets: ${describe(naive)}`);

  let seasonalNaive: RegressionMetrics | null = null;
  let seasonalNaivePredicted: Float64Array | null = null;
  if (season !== null) {
    const reach = season * Math.ceil(preprocessing.horizon / season);
    if (test.targetIndex[0] - reach >= 0) {
      seasonalNaivePredicted = seasonalNaiveForecast(series, test.targetIndex, preprocessing.horizon, season);
      seasonalNaive = regressionMetrics(test.actual, seasonalNaivePredicted);
      Object.assign(metrics, metricRecord('seasonal_naive', seasonalNaive));
      report.info(`Seasonal-naive forecast (season ${season}) on the same targets: ${describe(seasonalNaive)}`);
    } else {
      report.log('warn', `No seasonal-naive baseline: a season of ${season} steps reaches before the first row`);
    }
  }

  const zeros = m.n - m.mapeCount;
  report.info(
    zeros === 0
      ? 'MAPE skips zero targets; there were none in the test split'
      : `MAPE skips zero targets: ${zeros} of ${m.n} were left out${m.mape === null ? ', so there is no MAPE' : ''}`,
  );

  for (const [name, label, base] of [
    ['naive', 'naive last-value', naive],
    ['seasonal_naive', 'seasonal-naive', seasonalNaive],
  ] as const) {
    if (!base) continue;
    const skill = skillScore(m, base);
    if (skill !== null) metrics[`skill.${name}`] = skill;
    if (m.rmse < base.rmse) {
      report.info(`Skill vs the ${label} forecast: ${skill!.toFixed(3)} (test RMSE ${Math.round(skill! * 100)}% below it)`);
    } else {
      report.log(
        'warn',
        `The model does not beat the ${label} forecast on test RMSE (${num(m.rmse)} vs ${num(base.rmse)}; skill ${skill === null ? '-' : skill.toFixed(3)})`,
      );
    }
  }
  // The series behind the prediction-vs-actual and residual charts: one point per test target, step = its row.
  for (let k = 0; k < test.count; k++) {
    report.metric('predictions.actual', test.targetIndex[k], test.actual[k]);
    report.metric('predictions.predicted', test.targetIndex[k], predicted[k]);
  }
  report.progress('evaluate', 1);
  return { model: m, naive, seasonalNaive, metrics, predicted, naivePredicted, seasonalNaivePredicted };
}
