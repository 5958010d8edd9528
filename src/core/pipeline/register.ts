/**
 * Step 5: write the model (its own files: a TensorFlow.js layers model, ridge.json, gbdt.json or a
 * blend's members), what inference needs (preprocessing.json), the model card and the test
 * predictions into the run's model folder (written whole or not at all, see model-folder.ts), and
 * describe each file.
 */
import { inferFrequency, medianStep, size } from '../data';
import type { RegressionMetrics } from '../metrics';
import { forecastKit } from '../models';
import type { TrainArtifact } from '../workers';
import type { Evaluated } from './evaluate';
import type { Loaded } from './load';
import { cardProvenance, writeModelFolder, type RegisterRun } from './model-folder';
import { cardSplitBounds } from './split-bounds';
import type { Prepared } from './preprocess';
import type { StepContext } from './report';
import type { Trained } from './train';

export const PREDICTIONS_FILE = 'predictions.csv';

export interface RegisterInput extends RegisterRun {
  loaded: Loaded;
  prepared: Prepared;
  trained: Trained;
  evaluated: Evaluated;
}

export async function registerStep(input: RegisterInput, ctx: StepContext): Promise<TrainArtifact[]> {
  ctx.report.progress('register', 0);
  const kit = await forecastKit();
  const { series } = input.loaded;
  const saveInfo = { family: input.task.spec.model, target: series.target, timeColumn: series.timeColumn };
  return writeModelFolder(
    input.task.modelDir,
    {
      saveModel: (dir) => input.trained.forecaster.save(dir, saveInfo),
      modelKinds: kit.FORECASTER_FILE_KINDS,
      card: () => modelCard(input, kit.tfjsVersion),
      table: { file: PREDICTIONS_FILE, kind: 'predictions', csv: () => predictionsCsv(input) },
    },
    ctx,
  );
}

/** Metrics as the model card writes them: names a reader knows, absent ones as null. */
function metricsObject(m: RegressionMetrics) {
  return { n: m.n, mae: m.mae, rmse: m.rmse, mape: m.mape, mapeZeroTargetsSkipped: m.n - m.mapeCount, r2: m.r2 };
}

const MAPE_NOTE =
  'MAPE is in percent over the test targets that are not zero (the ratio is undefined at zero); ' +
  'mapeZeroTargetsSkipped says how many were left out, and mape is null when all were.';

function modelCard(i: RegisterInput, tfjsVersion: string) {
  const { series } = i.loaded;
  const { rows, windows } = i.prepared.plan;
  const { season, seasonSource } = i.prepared;
  // The kept model's own preprocessing: an auto run may keep a candidate that reads a longer window.
  const preprocessing = i.trained.forecaster.preprocessing;
  const ev = i.evaluated;
  const ts = series.timestamps;
  const n = series.values.length;
  return {
    format: 'trainyard.model-card',
    version: 1,
    task: 'forecast',
    family: i.task.spec.model,
    target: series.target,
    timeColumn: series.timeColumn,
    params: i.params,
    seed: i.seed,
    predictor: i.trained.forecaster.kind,
    metrics: metricsObject(ev.model),
    metricsNote: MAPE_NOTE,
    baselines: {
      naive: metricsObject(ev.naive),
      seasonal_naive: ev.seasonalNaive ? { season, seasonFrom: seasonSource, ...metricsObject(ev.seasonalNaive) } : null,
    },
    validation: {
      note: 'The same metrics on the validation windows, which chose the model (early stopping, penalty, candidate); the test windows chose nothing.',
      metrics: metricsObject(ev.validation.model),
      naive: metricsObject(ev.validation.naive),
      seasonal_naive: ev.validation.seasonalNaive ? metricsObject(ev.validation.seasonalNaive) : null,
      skill: ev.metrics['val.skill'] ?? null,
    },
    skill: {
      definition: '1 - test RMSE / baseline RMSE: above 0 beats the baseline',
      naive: ev.metrics['skill.naive'] ?? null,
      seasonal_naive: ev.metrics['skill.seasonal_naive'] ?? null,
    },
    features: {
      inputs: preprocessing.inputs,
      output: preprocessing.output,
      window: preprocessing.window,
      horizon: preprocessing.horizon,
      scaler: preprocessing.scaler,
      levels: preprocessing.levels,
      exogenous: preprocessing.exogenous,
      calendar: preprocessing.calendar,
      channels: preprocessing.channels,
    },
    dataset: {
      sha256: i.task.datasetSha256,
      file: i.loaded.filename,
      rows: n,
      from: ts ? new Date(ts[0]).toISOString() : null,
      to: ts ? new Date(ts[n - 1]).toISOString() : null,
      /** The rows' spacing: what the registry's schema check compares between versions. */
      frequency: ts ? inferFrequency(ts) : null,
      stepMs: ts ? medianStep(ts) : null,
    },
    split: {
      method: 'chronological',
      fractions: { val: i.params.valFraction, test: i.params.testFraction },
      rows: { train: size(rows.train), val: size(rows.val), test: size(rows.test) },
      windows: { train: size(windows.train), val: size(windows.val), test: size(windows.test) },
      ...cardSplitBounds(i.prepared.bounds),
    },
    data: i.loaded.data ?? null,
    training: i.trained.training,
    ...cardProvenance(i, tfjsVersion),
  };
}

/**
 * The test split's forecasts beside the truth and the baselines, full precision, for the
 * prediction-vs-actual and residual charts and for audits. residual = actual - predicted.
 */
function predictionsCsv(i: RegisterInput): string {
  const { series } = i.loaded;
  const { test } = i.prepared;
  const ev = i.evaluated;
  const ts = series.timestamps;
  const seasonal = ev.seasonalNaivePredicted;
  const lines = [`${ts ? 'time' : 'row'},actual,predicted,naive,residual${seasonal ? ',seasonal_naive' : ''}`];
  for (let k = 0; k < test.count; k++) {
    const at = test.targetIndex[k];
    const when = ts ? new Date(ts[at]).toISOString() : String(series.rowNumbers[at]);
    const row = [when, test.actual[k], ev.predicted[k], ev.naivePredicted[k], test.actual[k] - ev.predicted[k]];
    if (seasonal) row.push(seasonal[k]);
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}
