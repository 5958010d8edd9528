/**
 * Step 5: write the model (TensorFlow.js layers format), what inference needs (preprocessing.json),
 * the model card and the test predictions into the run's model folder, and describe each file.
 *
 * Files are written to a sibling folder and renamed into place, so the model folder holds either a
 * complete model or nothing.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ParamValue } from '../../shared/contract';
import { size } from '../data';
import type { RegressionMetrics } from '../metrics';
import { forecastKit, type ForecastKit } from '../models';
import { VERSION } from '../version';
import type { TrainArtifact, TrainTask } from '../workers';
import type { Evaluated } from './evaluate';
import { fileDigest } from './hash';
import type { Loaded } from './load';
import type { Prepared } from './preprocess';
import type { StepContext } from './report';
import type { Trained } from './train';

export const CARD_FILE = 'card.json';
export const PREDICTIONS_FILE = 'predictions.csv';

export interface RegisterInput {
  task: TrainTask;
  params: Record<string, ParamValue>;
  seed: number;
  loaded: Loaded;
  prepared: Prepared;
  trained: Trained;
  evaluated: Evaluated;
  backend: string;
  device: string;
}

function artifactKind(file: string, kit: ForecastKit): string {
  const kinds: Record<string, string> = {
    [kit.MODEL_FILE]: 'model',
    [kit.WEIGHTS_FILE]: 'weights',
    [kit.PREPROCESSING_FILE]: 'preprocessing',
    [CARD_FILE]: 'card',
    [PREDICTIONS_FILE]: 'predictions',
  };
  return kinds[file] ?? 'file';
}

export async function registerStep(input: RegisterInput, ctx: StepContext): Promise<TrainArtifact[]> {
  ctx.report.progress('register', 0);
  const kit = await forecastKit();
  const finalDir = input.task.modelDir;
  const staging = join(dirname(finalDir), `.${basename(finalDir)}.partial`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const { series } = input.loaded;
    const modelFiles = await kit.saveForecaster(input.trained.model, input.prepared.preprocessing, staging, {
      family: input.task.spec.model,
      target: series.target,
      timeColumn: series.timeColumn,
    });
    ctx.report.progress('register', 0.4);
    await writeFile(join(staging, CARD_FILE), JSON.stringify(modelCard(input, kit.tfjsVersion), null, 2));
    await writeFile(join(staging, PREDICTIONS_FILE), predictionsCsv(input));
    await mkdir(dirname(finalDir), { recursive: true });
    await rename(staging, finalDir);
    const names = [...modelFiles.map((p) => basename(p)), CARD_FILE, PREDICTIONS_FILE];
    const artifacts: TrainArtifact[] = [];
    for (const name of names) {
      const path = join(finalDir, name);
      artifacts.push({ kind: artifactKind(name, kit), path, ...(await fileDigest(path)) });
    }
    ctx.report.info(`Saved ${names.join(', ')} to ${finalDir}`);
    ctx.report.progress('register', 1, 0);
    return artifacts;
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Metrics as the model card writes them: names a reader knows, absent ones as null. */
function metricsObject(m: RegressionMetrics) {
  return { n: m.n, mae: m.mae, rmse: m.rmse, mape: m.mape, mapeZeroTargetsSkipped: m.n - m.mapeCount, r2: m.r2 };
}

function modelCard(i: RegisterInput, tfjsVersion: string) {
  const { series } = i.loaded;
  const { rows, windows } = i.prepared.plan;
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
    metrics: metricsObject(i.evaluated.model),
    baselines: { naive: metricsObject(i.evaluated.naive) },
    dataset: {
      sha256: i.task.datasetSha256,
      file: i.loaded.filename,
      rows: n,
      from: ts ? new Date(ts[0]).toISOString() : null,
      to: ts ? new Date(ts[n - 1]).toISOString() : null,
    },
    split: {
      method: 'chronological',
      rows: { train: size(rows.train), val: size(rows.val), test: size(rows.test) },
      windows: { train: size(windows.train), val: size(windows.val), test: size(windows.test) },
    },
    training: {
      epochsRun: i.trained.fit.epochsRun,
      bestEpoch: i.trained.fit.bestEpoch,
      bestValLoss: i.trained.fit.bestValLoss,
      stopped: i.trained.fit.stopped,
    },
    backend: i.backend,
    device: i.device,
    trainyardVersion: VERSION,
    tfjsVersion,
    jobId: i.task.jobId,
    runId: i.task.runId,
    createdAt: new Date().toISOString(),
  };
}

/** The test split's forecasts beside the truth and the naive forecast, full precision, for charts and audits. */
function predictionsCsv(i: RegisterInput): string {
  const { series } = i.loaded;
  const { test } = i.prepared;
  const ts = series.timestamps;
  const lines = [`${ts ? 'time' : 'row'},actual,predicted,naive`];
  for (let k = 0; k < test.count; k++) {
    const at = test.targetIndex[k];
    const when = ts ? new Date(ts[at]).toISOString() : String(series.rowNumbers[at]);
    lines.push(`${when},${test.actual[k]},${i.evaluated.predicted[k]},${i.evaluated.naivePredicted[k]}`);
  }
  return lines.join('\n') + '\n';
}
