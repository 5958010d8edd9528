/**
 * Step 2: windows, chronological split and scaling. The scalers see the training windows only;
 * validation drives early stopping; the test windows are touched once, in evaluate.
 */
import { makeWindows, planWindowSplit, size, type Range, type WindowPlan, type Windows } from '../data';
import { encodeWindows, featureCount, fitPreprocessing, type FitSet, type ForecastPreprocessing, type MlpParams } from '../models';
import type { Loaded } from './load';
import type { StepContext } from './report';

export interface Prepared {
  windows: Windows;
  plan: WindowPlan;
  preprocessing: ForecastPreprocessing;
  train: FitSet;
  val: FitSet;
  /** Test windows as raw values (row-major), with their targets and where those sit in the series. */
  test: { x: Float64Array; actual: Float64Array; targetIndex: Int32Array; count: number };
}

function fitSet(x: Float64Array, y: Float64Array, r: Range, features: number): FitSet {
  return {
    x: Float32Array.from(x.subarray(r.start * features, r.end * features)),
    y: Float32Array.from(y.subarray(r.start, r.end)),
    count: size(r),
    features,
  };
}

export function preprocessStep(loaded: Loaded, params: MlpParams, ctx: StepContext): Prepared {
  ctx.report.progress('preprocess', 0);
  const values = loaded.series.values;
  const plan = planWindowSplit(values.length, params);
  const windows = makeWindows(values, params.window, params.horizon);
  const preprocessing = fitPreprocessing(windows, plan.windows.train);
  const encoded = encodeWindows(preprocessing, windows);
  const f = featureCount(params.window);
  const t = plan.windows.test;
  const { rows, windows: w } = plan;
  ctx.report.info(
    `Chronological split: train ${size(rows.train)} rows, validation ${size(rows.val)}, test ${size(rows.test)}; ` +
      `windows of ${params.window} values, horizon ${params.horizon}: ${size(w.train)} train, ${size(w.val)} validation, ${size(w.test)} test`,
  );
  ctx.report.info(
    `Inputs: differences inside each window; target: change over the horizon; scalers fitted on the ${size(w.train)} training windows only`,
  );
  ctx.report.progress('preprocess', 1);
  return {
    windows,
    plan,
    preprocessing,
    train: fitSet(encoded.x, encoded.y, w.train, f),
    val: fitSet(encoded.x, encoded.y, w.val, f),
    test: {
      x: windows.x.slice(t.start * params.window, t.end * params.window),
      actual: windows.y.slice(t.start, t.end),
      targetIndex: windows.targetIndex.slice(t.start, t.end),
      count: size(t),
    },
  };
}
