/**
 * Step 5 for the anomaly families: the detector's files, the model card and scores.csv (every row's
 * value, score, the threshold, whether it is flagged, its label and its part of the split, for the
 * plot of score against threshold) into the run's model folder, written whole or not at all (see
 * model-folder.ts).
 */
import { inferFrequency, medianStep, size } from '../data';
import type { AnomalyMetrics } from '../metrics';
import { anomalyKit } from '../models';
import type { TrainArtifact } from '../workers';
import type { AnomalyEvaluated, AnomalyLoaded, AnomalyPrepared, AnomalyTrained } from './anomaly-steps';
import { cardProvenance, writeModelFolder, type RegisterRun } from './model-folder';
import type { StepContext } from './report';
import { cardSplitBounds } from './split-bounds';

export const SCORES_FILE = 'scores.csv';

export interface AnomalyRegisterInput extends RegisterRun {
  loaded: AnomalyLoaded;
  plan: AnomalyPrepared;
  trained: AnomalyTrained;
  evaluated: AnomalyEvaluated;
}

export async function anomalyRegisterStep(input: AnomalyRegisterInput, ctx: StepContext): Promise<TrainArtifact[]> {
  ctx.report.progress('register', 0);
  const kit = await anomalyKit();
  const { series } = input.loaded.frame;
  const saveInfo = { target: series.target, timeColumn: series.timeColumn, threshold: input.evaluated.threshold };
  return writeModelFolder(
    input.task.modelDir,
    {
      saveModel: (dir) => kit.saveDetector(input.trained.detector, dir, saveInfo),
      modelKinds: { [kit.MODEL_FILE]: 'model', [kit.WEIGHTS_FILE]: 'weights', [kit.FOREST_FILE]: 'model', [kit.DETECTOR_FILE]: 'preprocessing' },
      card: () => modelCard(input, kit.tfjsVersion),
      table: { file: SCORES_FILE, kind: 'scores', csv: () => scoresCsv(input) },
    },
    ctx,
  );
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
    events: m.events,
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
    validationMetrics: e.val && e.val.positives > 0 ? metricsObject(e.val) : null,
    baselines: e.random ? { random: e.random } : {},
    dataset: {
      sha256: i.task.datasetSha256,
      file: i.loaded.filename,
      format,
      rows: n,
      labelledAnomalies: labels ? labels.reduce((a, b) => a + b, 0) : null,
      from: ts ? new Date(ts[0]).toISOString() : null,
      to: ts ? new Date(ts[n - 1]).toISOString() : null,
      /** The rows' spacing: what the registry's schema check compares between versions. */
      frequency: ts ? inferFrequency(ts) : null,
      stepMs: ts ? medianStep(ts) : null,
    },
    split: {
      method: 'chronological',
      rows: { train: size(rows.train), val: size(rows.val), test: size(rows.test) },
      windows: { train: size(windows.train), val: size(windows.val) },
      ...cardSplitBounds(i.plan.bounds),
    },
    data: i.loaded.frame.summary,
    training: i.trained.training,
    ...cardProvenance(i, i.task.spec.model === 'autoencoder' ? tfjsVersion : null),
  };
}

/**
 * Every row, full precision: time (or file row), value, score, threshold, flagged (0/1), label (0/1,
 * empty without labels), part. The first window - 1 rows have no window ending at them and score
 * UNSCORED_ROW_SCORE (0), never flagged.
 */
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
