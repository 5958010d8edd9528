/**
 * Step 5 for the anomaly families: the detector's files, the model card and scores.csv (every row's
 * value, score, the threshold, whether it is flagged, its label and its part of the split, for the
 * plot of score against threshold) into the run's model folder, written beside it and renamed into
 * place so the folder holds a complete model or nothing.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ParamValue } from '../../shared/contract';
import { size, type AnomalyPlan } from '../data';
import type { AnomalyMetrics } from '../metrics';
import { anomalyKit, type AnomalyKit } from '../models';
import { VERSION } from '../version';
import type { TrainArtifact, TrainTask } from '../workers';
import type { AnomalyEvaluated, AnomalyLoaded, AnomalyTrained } from './anomaly-steps';
import { fileDigest } from './hash';
import { CARD_FILE } from './register';
import type { StepContext } from './report';

export const SCORES_FILE = 'scores.csv';

export interface AnomalyRegisterInput {
  task: TrainTask;
  params: Record<string, ParamValue>;
  seed: number;
  loaded: AnomalyLoaded;
  plan: AnomalyPlan;
  trained: AnomalyTrained;
  evaluated: AnomalyEvaluated;
  backend: string;
  device: string;
}

function artifactKind(file: string, kit: AnomalyKit): string {
  const kinds: Record<string, string> = {
    [kit.MODEL_FILE]: 'model',
    [kit.WEIGHTS_FILE]: 'weights',
    [kit.FOREST_FILE]: 'model',
    [kit.DETECTOR_FILE]: 'preprocessing',
    [CARD_FILE]: 'card',
    [SCORES_FILE]: 'scores',
  };
  return kinds[file] ?? 'file';
}

export async function anomalyRegisterStep(input: AnomalyRegisterInput, ctx: StepContext): Promise<TrainArtifact[]> {
  ctx.report.progress('register', 0);
  const kit = await anomalyKit();
  const finalDir = input.task.modelDir;
  const staging = join(dirname(finalDir), `.${basename(finalDir)}.partial`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const { series } = input.loaded.frame;
    const modelFiles = await kit.saveDetector(input.trained.detector, staging, {
      target: series.target,
      timeColumn: series.timeColumn,
      threshold: input.evaluated.threshold,
    });
    ctx.report.progress('register', 0.4);
    await writeFile(join(staging, CARD_FILE), JSON.stringify(modelCard(input, kit.tfjsVersion), null, 2));
    await writeFile(join(staging, SCORES_FILE), scoresCsv(input));
    await mkdir(dirname(finalDir), { recursive: true });
    await rm(finalDir, { recursive: true, force: true });
    await rename(staging, finalDir);
    const names = [...modelFiles.map((p) => basename(p)), CARD_FILE, SCORES_FILE];
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

function metricsObject(m: AnomalyMetrics) {
  return {
    n: m.n,
    positives: m.positives,
    flagged: m.flagged,
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    rocAuc: m.rocAuc,
    prAuc: m.prAuc,
    confusion: { tp: m.tp, fp: m.fp, fn: m.fn, tn: m.tn },
  };
}

function modelCard(i: AnomalyRegisterInput, tfjsVersion: string) {
  const { series, labels, format } = i.loaded.frame;
  const { rows, windows } = i.plan;
  const ts = series.timestamps;
  const n = series.values.length;
  const e = i.evaluated;
  return {
    format: 'trainyard.model-card',
    version: 1,
    task: 'anomaly',
    family: i.task.spec.model,
    target: series.target,
    timeColumn: series.timeColumn,
    labelColumn: i.task.spec.labelColumn ?? null,
    params: i.params,
    seed: i.seed,
    threshold: e.threshold,
    metrics: e.test ? metricsObject(e.test) : { n: size(rows.test), flagged: e.flaggedTest },
    baselines: e.random ? { random: e.random } : {},
    dataset: {
      sha256: i.task.datasetSha256,
      file: i.loaded.filename,
      format,
      rows: n,
      labelledAnomalies: labels ? labels.reduce((a, b) => a + b, 0) : null,
      from: ts ? new Date(ts[0]).toISOString() : null,
      to: ts ? new Date(ts[n - 1]).toISOString() : null,
    },
    split: {
      method: 'chronological',
      rows: { train: size(rows.train), val: size(rows.val), test: size(rows.test) },
      windows: { train: size(windows.train), val: size(windows.val) },
    },
    training: i.trained.training,
    backend: i.backend,
    device: i.device,
    trainyardVersion: VERSION,
    tfjsVersion: i.task.spec.model === 'autoencoder' ? tfjsVersion : null,
    jobId: i.task.jobId,
    runId: i.task.runId,
    createdAt: new Date().toISOString(),
  };
}

/** Every row, full precision: time (or file row), value, score, threshold, flagged (0/1), label (0/1, empty without labels), part. */
function scoresCsv(i: AnomalyRegisterInput): string {
  const { series, labels } = i.loaded.frame;
  const { rows } = i.plan;
  const { scores, threshold } = i.evaluated;
  const ts = series.timestamps;
  const part = (k: number) => (k < rows.train.end ? 'train' : k < rows.val.end ? 'val' : 'test');
  const lines = [`${ts ? 'time' : 'row'},value,score,threshold,flagged,label,part`];
  for (let k = 0; k < series.values.length; k++) {
    const when = ts ? new Date(ts[k]).toISOString() : String(series.rowNumbers[k]);
    const flagged = scores[k] > threshold.value ? 1 : 0;
    lines.push(`${when},${series.values[k]},${scores[k]},${threshold.value},${flagged},${labels ? labels[k] : ''},${part(k)}`);
  }
  return lines.join('\n') + '\n';
}
