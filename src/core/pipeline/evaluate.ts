/**
 * Step 4: score the kept model on the original scale, on the validation windows and once on the
 * test windows, each beside two baselines on the same targets: the naive last-value forecast and
 * the seasonal-naive one (the value one season earlier). A model that cannot beat them is said to
 * be so, and the skill scores say by how much it does: 1 - RMSE / baseline RMSE. The validation
 * figures (`val.*`) are what model selection and studies may use; the test ones are reported only.
 *
 * MAPE divides by the target, so targets equal to zero cannot count: they are skipped, the number
 * skipped is logged and written in the model card, and there is no MAPE when every target is zero.
 */
import {
  metricRecord,
  naiveForecast,
  regressionMetrics,
  seasonalNaiveForecast,
  skillScore,
  type RegressionMetrics,
} from '../metrics';
import type { Forecaster } from '../models';
import type { Loaded } from './load';
import { heldOutFor, type HeldOut, type Prepared } from './preprocess';
import type { StepContext } from './report';

/** A model and its baselines scored on one split's targets. */
export interface Scored {
  model: RegressionMetrics;
  naive: RegressionMetrics;
  seasonalNaive: RegressionMetrics | null;
  predicted: Float64Array;
  naivePredicted: Float64Array;
  seasonalNaivePredicted: Float64Array | null;
}

export interface Evaluated extends Scored {
  validation: Scored;
  /**
   * `val.*`, `naive.val.*`, `seasonal_naive.val.*`, `val.skill`; `test.*`, `naive.*`,
   * `seasonal_naive.*`, `skill.*` and `test.skill`, as the run records them.
   */
  metrics: Record<string, number>;
}

const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toPrecision(3));

export function describeMetrics(m: RegressionMetrics): string {
  const parts = [`RMSE ${num(m.rmse)}`, `MAE ${num(m.mae)}`];
  if (m.mape !== null) parts.push(`MAPE ${m.mape.toFixed(2)}%`);
  if (m.r2 !== null) parts.push(`R² ${m.r2.toFixed(4)}`);
  return parts.join(', ');
}

/** The model's forecasts for `held`, refused when one is not finite: such a model is never registered. */
async function forecastsOf(forecaster: Forecaster, held: HeldOut, split: string): Promise<Float64Array> {
  const predicted = await forecaster.predictWindows(held.raw);
  const bad = predicted.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new Error(
      `diverged: the model predicts ${predicted[bad]} for ${split} window ${bad + 1}; try a lower learningRate, ` +
        `or the robust scaler if the data has extreme values`,
    );
  }
  return predicted;
}

/** Scores `predicted` and both baselines on `held`'s targets; the seasonal one only when a season reaches back far enough. */
function score(series: ArrayLike<number>, held: HeldOut, predicted: Float64Array, horizon: number, season: number | null): Scored {
  const naivePredicted = naiveForecast(series, held.targetIndex, horizon);
  let seasonalNaivePredicted: Float64Array | null = null;
  if (season !== null && held.targetIndex[0] - season * Math.ceil(horizon / season) >= 0) {
    seasonalNaivePredicted = seasonalNaiveForecast(series, held.targetIndex, horizon, season);
  }
  return {
    model: regressionMetrics(held.actual, predicted),
    naive: regressionMetrics(held.actual, naivePredicted),
    seasonalNaive: seasonalNaivePredicted ? regressionMetrics(held.actual, seasonalNaivePredicted) : null,
    predicted,
    naivePredicted,
    seasonalNaivePredicted,
  };
}

export async function evaluateStep(forecaster: Forecaster, loaded: Loaded, prepared: Prepared, ctx: StepContext): Promise<Evaluated> {
  const { report } = ctx;
  report.progress('evaluate', 0);
  const { season } = prepared;
  const { horizon } = prepared.preprocessing;
  const series = loaded.series.values;
  const held = heldOutFor(loaded, prepared, forecaster.preprocessing.window);

  const v = score(series, held.validation, await forecastsOf(forecaster, held.validation, 'validation'), horizon, season);
  const metrics: Record<string, number> = { ...metricRecord('val', v.model), ...metricRecord('naive.val', v.naive) };
  if (v.seasonalNaive) Object.assign(metrics, metricRecord('seasonal_naive.val', v.seasonalNaive));
  const valSkill = skillScore(v.model, v.naive);
  if (valSkill !== null) metrics['val.skill'] = valSkill;
  report.info(`Validation (${v.model.n} points, original scale): ${describeMetrics(v.model)}; naive ${describeMetrics(v.naive)}`);
  report.progress('evaluate', 0.4);

  const t = score(series, held.test, await forecastsOf(forecaster, held.test, 'test'), horizon, season);
  const m = t.model;
  Object.assign(metrics, metricRecord('test', m), metricRecord('naive', t.naive));
  report.info(`Test (${m.n} points, original scale): ${describeMetrics(m)}`);
  report.info(`Naive last-value forecast on the same targets: ${describeMetrics(t.naive)}`);
  if (t.seasonalNaive) {
    Object.assign(metrics, metricRecord('seasonal_naive', t.seasonalNaive));
    report.info(`Seasonal-naive forecast (season ${season}) on the same targets: ${describeMetrics(t.seasonalNaive)}`);
  } else if (season !== null) {
    report.log('warn', `No seasonal-naive baseline: a season of ${season} steps reaches before the first row`);
  }

  const zeros = m.n - m.mapeCount;
  report.info(
    zeros === 0
      ? 'MAPE skips zero targets; there were none in the test split'
      : `MAPE skips zero targets: ${zeros} of ${m.n} were left out${m.mape === null ? ', so there is no MAPE' : ''}`,
  );

  for (const [name, label, base] of [
    ['naive', 'naive last-value', t.naive],
    ['seasonal_naive', 'seasonal-naive', t.seasonalNaive],
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
  // The name the registry's gate rules read: the test skill against the naive forecast.
  if (metrics['skill.naive'] !== undefined) metrics['test.skill'] = metrics['skill.naive'];
  // The series behind the prediction-vs-actual and residual charts: one point per test target, step = its row.
  for (let k = 0; k < held.test.count; k++) {
    report.metric('predictions.actual', held.test.targetIndex[k], held.test.actual[k]);
    report.metric('predictions.predicted', held.test.targetIndex[k], t.predicted[k]);
  }
  report.progress('evaluate', 1);
  return { ...t, validation: v, metrics };
}
