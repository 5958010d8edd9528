/**
 * The five steps for the anomaly families: load (CSV or Parquet, validated, with the label column
 * when there is one), preprocess (chronological split sized for the window), train (the
 * autoencoder epoch by epoch, or the forest), evaluate (score every row causally, choose the
 * threshold on the validation rows, then score the validation and test rows against the labels)
 * and register.
 */
import { planAnomalySplit, size, type AnomalyPlan, type SplitBounds } from '../data';
import { anomalyMetricRecord, anomalyMetrics, type AnomalyMetrics } from '../metrics';
import {
  FOREST_FEATURE_NAMES,
  anomalyKit,
  chooseThreshold,
  type AnomalyDetector,
  type AnomalyFamilyName,
  type AutoencoderParams,
  type IsolationForestParams,
  type Threshold,
} from '../models';
import type { TrainTask } from '../workers';
import { readDataset, spanText, type DatasetRead } from './load';
import { PROGRESS_EVERY_MS, RateEta, cancelled, formatLoss as fmt, type StepContext } from './report';
import { explicitRows, reportBounds } from './split-bounds';

/** The dataset file and its columns, the label column among them when the job names one. */
export type AnomalyLoaded = DatasetRead;

const pct = (f: number) => `${(f * 100).toFixed(f < 0.01 ? 2 : 1)}%`;

export async function anomalyLoadStep(task: TrainTask, ctx: StepContext): Promise<AnomalyLoaded> {
  const read = await readDataset(task, ctx, { target: task.spec.target, labelColumn: task.spec.labelColumn });
  const { filename, frame } = read;
  const { series, labels } = frame;
  const n = series.values.length;
  ctx.report.info(`Loaded ${n} rows from ${filename} (${frame.format}; target ${series.target}${spanText(series)})`);
  if (labels) {
    const anomalies = labels.reduce((a, b) => a + b, 0);
    ctx.report.info(
      `Label column ${task.spec.labelColumn}: ${anomalies} rows marked anomalous (${pct(anomalies / n)}); ` +
        'used to choose the threshold on the validation rows and to score the validation and test rows, never to train',
    );
  } else {
    ctx.report.info('No label column: the run reports how many test rows it flags, but no precision, recall or AUC');
  }
  ctx.report.progress('load', 1);
  return read;
}

/** The split for windowed scoring, with the exact boundaries the run records. */
export type AnomalyPrepared = AnomalyPlan & { bounds: SplitBounds };

export function anomalyPreprocessStep(
  loaded: AnomalyLoaded,
  p: { window: number; valFraction: number; testFraction: number },
  ctx: StepContext,
): AnomalyPrepared {
  ctx.report.progress('preprocess', 0);
  const { series } = loaded.frame;
  const split = loaded.handling.split;
  const plan = planAnomalySplit(series.values.length, p, explicitRows(series, split));
  const { rows, windows } = plan;
  ctx.report.info(
    `Chronological split: train ${size(rows.train)} rows, validation ${size(rows.val)}, test ${size(rows.test)}; ` +
      `windows of ${p.window} rows: ${size(windows.train)} train, ${size(windows.val)} validation`,
  );
  const bounds = reportBounds(series, rows, split, ctx);
  ctx.report.info(`Inputs: the target standard-scaled with the mean and spread of the ${size(rows.train)} training rows only`);
  ctx.report.progress('preprocess', 1);
  return { ...plan, bounds };
}

export interface AnomalyTrained {
  detector: AnomalyDetector;
  /** For the model card. */
  training: Record<string, number | string>;
}

export async function anomalyTrainStep(
  family: AnomalyFamilyName,
  loaded: AnomalyLoaded,
  plan: AnomalyPlan,
  params: AutoencoderParams | IsolationForestParams,
  ctx: StepContext,
): Promise<AnomalyTrained> {
  const { report } = ctx;
  report.progress('train', 0);
  const kit = await anomalyKit();
  const values = loaded.frame.series.values;
  if (family === 'isolation_forest') {
    const p = params as IsolationForestParams;
    const trainWindows = size(plan.windows.train);
    const psi = Math.min(p.sampleSize, trainWindows);
    report.info(
      `Growing an isolation forest: ${p.trees} trees, each on ${psi} of the ${trainWindows} training windows ` +
        `(height limit ${Math.ceil(Math.log2(psi))}), ${FOREST_FEATURE_NAMES.length} features of the window ending at each row ` +
        `(${FOREST_FEATURE_NAMES.join(', ')}), seed ${p.seed}`,
    );
    const detector = kit.fitForestDetector(values, plan.rows.train.end, p);
    report.progress('train', 1, 0);
    return { detector, training: { trees: p.trees, sampleSize: psi } };
  }

  const p = params as AutoencoderParams;
  const eta = new RateEta();
  let lastProgress = 0;
  const logEvery = Math.max(1, Math.ceil(p.epochs / 100));
  const t = await kit.trainAutoencoderDetector(values, plan.rows, p, {
    shouldStop: ctx.shouldStop,
    onBatch(done, total) {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = now;
      report.progress('train', done / total, eta.estimate(done, total));
    },
    onEpoch(e) {
      report.metric('loss', e.epoch, e.loss);
      report.metric('val_loss', e.epoch, e.valLoss);
      if (e.epoch % logEvery === 0 || e.epoch === 1 || e.epoch === e.epochs) {
        report.info(`Epoch ${e.epoch}/${e.epochs} loss=${fmt(e.loss)} val_loss=${fmt(e.valLoss)}`);
      }
      lastProgress = Date.now();
      report.progress('train', e.epoch / e.epochs, eta.estimate(e.epoch, e.epochs));
    },
  });
  report.info(
    `Trained ${t.description}: batch ${p.batchSize}, Adam lr ${p.learningRate}, seed ${p.seed}, ` +
      `early stopping after ${p.patience > 0 ? `${p.patience} epochs without improvement` : 'never'}`,
  );
  if (t.fit.stopped === 'cancelled') {
    t.detector.dispose();
    throw cancelled();
  }
  report.info(
    `${t.fit.stopped === 'early' ? `Early stopping at epoch ${t.fit.epochsRun}` : `Trained ${t.fit.epochsRun} epochs`}; ` +
      `keeping the weights of epoch ${t.fit.bestEpoch} (val_loss=${fmt(t.fit.bestValLoss)})`,
  );
  report.progress('train', 1, 0);
  return {
    detector: t.detector,
    training: { epochsRun: t.fit.epochsRun, bestEpoch: t.fit.bestEpoch, bestValLoss: t.fit.bestValLoss, stopped: t.fit.stopped },
  };
}

export interface AnomalyEvaluated {
  /** One score per row of the series, each from the rows up to it. */
  scores: Float64Array;
  threshold: Threshold;
  /** Against the labels on the validation rows, at the chosen threshold; null without labels. */
  val: AnomalyMetrics | null;
  /** Against the labels on the test rows; null without a label column. */
  test: AnomalyMetrics | null;
  /** What a scorer that knows nothing gets on the same rows: ROC-AUC 1/2, PR-AUC the share of anomalies, F1 of flagging every row. */
  random: { rocAuc: number; prAuc: number; f1: number } | null;
  flaggedTest: number;
  metrics: Record<string, number>;
}

const auc = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));

function describe(part: string, m: AnomalyMetrics): string {
  const e = m.events;
  const delay = e.detectionDelay === null ? '' : `, first flag ${e.detectionDelay.toFixed(1)} rows after an event starts on average`;
  return (
    `${part} (${m.n} rows, ${m.positives} labelled anomalous): precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, ` +
    `F1 ${m.f1.toFixed(3)}, ROC-AUC ${auc(m.rocAuc)}, PR-AUC ${auc(m.prAuc)}; events detected ${e.detected} of ${e.events}${delay}`
  );
}

export async function anomalyEvaluateStep(
  loaded: AnomalyLoaded,
  plan: AnomalyPlan,
  trained: AnomalyTrained,
  params: AutoencoderParams | IsolationForestParams,
  ctx: StepContext,
): Promise<AnomalyEvaluated> {
  const { report } = ctx;
  report.progress('evaluate', 0);
  const values = loaded.frame.series.values;
  const labels = loaded.frame.labels;
  const scores = await trained.detector.scoreRows(values);
  // The first window - 1 rows have no full window ending at them and no score of their own.
  const scoredTrain = { start: Math.min(params.window - 1, plan.rows.train.end - 1), end: plan.rows.train.end };
  const threshold = chooseThreshold(scores, { train: scoredTrain, val: plan.rows.val }, params, labels);
  report.info(`Threshold ${threshold.value.toPrecision(4)} (${threshold.method}): ${threshold.basis}`);
  const t = plan.rows.test;
  const testScores = scores.subarray(t.start, t.end);
  let flaggedTest = 0;
  for (const s of testScores) if (s > threshold.value) flaggedTest++;
  const metrics: Record<string, number> = {
    threshold: threshold.value,
    'test.flagged': flaggedTest,
    'test.flagged_share': flaggedTest / size(t),
  };
  report.info(`Flagged ${flaggedTest} of ${size(t)} test rows (${pct(flaggedTest / size(t))})`);
  // Every test row's value, score and flag (and label, when known) as series of the run: the run
  // page plots them against the threshold. Steps are row numbers, as in scores.csv.
  for (let i = 0; i < testScores.length; i++) {
    report.metric('scores.value', t.start + i, values[t.start + i]);
    report.metric('scores.score', t.start + i, testScores[i]);
    report.metric('scores.flagged', t.start + i, testScores[i] > threshold.value ? 1 : 0);
  }

  let val: AnomalyMetrics | null = null;
  let test: AnomalyMetrics | null = null;
  let random: AnomalyEvaluated['random'] = null;
  if (labels) {
    const v = plan.rows.val;
    const valLabels = labels.subarray(v.start, v.end);
    val = anomalyMetrics(valLabels, scores.subarray(v.start, v.end), threshold.value);
    if (val.positives > 0) {
      Object.assign(metrics, anomalyMetricRecord('val', val));
      report.info(describe('Validation', val));
    } else {
      report.log('warn', 'The validation rows hold no labelled anomalies: no validation precision, recall or AUC to choose or tune on');
    }
    const testLabels = labels.subarray(t.start, t.end);
    for (let i = 0; i < testLabels.length; i++) report.metric('scores.label', t.start + i, testLabels[i]);
    test = anomalyMetrics(testLabels, testScores, threshold.value);
    const share = test.positives / test.n;
    random = { rocAuc: 0.5, prAuc: share, f1: share > 0 ? (2 * share) / (1 + share) : 0 };
    Object.assign(metrics, anomalyMetricRecord('test', test));
    metrics['random.roc_auc'] = random.rocAuc;
    metrics['random.pr_auc'] = random.prAuc;
    metrics['random.f1'] = random.f1;
    report.info(describe('Test', test));
    report.info(
      `A random scorer on the same rows: ROC-AUC 0.500, PR-AUC ${random.prAuc.toFixed(3)} (the share of anomalies), ` +
        `F1 ${random.f1.toFixed(3)} (flagging every row)`,
    );
    if (test.positives === 0) report.log('warn', 'The test rows hold no labelled anomalies: recall, ROC-AUC and PR-AUC cannot be measured');
    else if (test.rocAuc !== null && test.rocAuc <= 0.5) {
      report.log('warn', `The model ranks anomalies no better than chance on the test rows (ROC-AUC ${test.rocAuc.toFixed(3)})`);
    }
  }
  report.progress('evaluate', 1);
  return { scores, threshold, val, test, random, flaggedTest, metrics };
}
