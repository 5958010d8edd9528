/**
 * What every anomaly family provides once trained: one score per row of a series (higher = more
 * anomalous), and the rule that turns scores into flags. No TensorFlow.js here.
 */
import type { Scaler } from '../../data';
import { bestF1Threshold } from '../../metrics';
import type { ThresholdChoice, ThresholdMethod } from './params';
import { quantile } from './windows';

export const ANOMALY_FAMILY_NAMES = ['autoencoder', 'isolation_forest'] as const;
export type AnomalyFamilyName = (typeof ANOMALY_FAMILY_NAMES)[number];

export function isAnomalyFamily(model: string): model is AnomalyFamilyName {
  return (ANOMALY_FAMILY_NAMES as readonly string[]).includes(model);
}

export interface AnomalyDetector {
  readonly family: AnomalyFamilyName;
  readonly window: number;
  /** Fitted on the training rows only. */
  readonly scaler: Scaler;
  /** One score per row of `values` (original scale, oldest first, at least `window` rows); asynchronous, as a network reads them off its tfjs backend. */
  scoreRows(values: ArrayLike<number>): Promise<Float64Array>;
  /** Writes the family's own model files into `dir`; returns their paths. */
  saveModel(dir: string): Promise<string[]>;
  dispose(): void;
}

export interface ThresholdRule {
  threshold: ThresholdMethod;
  quantile: number;
  contamination: number;
}

export interface Threshold {
  value: number;
  /** The rule it was chosen by (`auto` resolves to `best_f1` or `quantile`). */
  method: ThresholdChoice;
  /** How it was chosen, for the log, the model card and the run page. */
  basis: string;
}

type Rows = { start: number; end: number };

/**
 * The score above which a row is flagged, chosen without the test rows:
 * - `auto` with validation labels holding an anomaly: the threshold with the best F1 on them;
 * - `quantile` (and `auto` otherwise): the `quantile` of the validation rows' scores;
 * - `contamination`: the (1 - contamination) quantile of the training rows' scores.
 * `rows.train` should start at the first scored row (see causalRowScores).
 */
export function chooseThreshold(
  scores: Float64Array,
  rows: { train: Rows; val: Rows },
  rule: ThresholdRule,
  labels: ArrayLike<number> | null,
): Threshold {
  const valScores = scores.subarray(rows.val.start, rows.val.end);
  if (rule.threshold === 'auto' && labels) {
    const valLabels = Array.prototype.slice.call(labels, rows.val.start, rows.val.end) as number[];
    const positives = valLabels.reduce((a, b) => a + b, 0);
    if (positives > 0) {
      const best = bestF1Threshold(valLabels, valScores);
      return {
        value: best.threshold,
        method: 'best_f1',
        basis:
          `the best F1 (${best.f1.toFixed(3)}: precision ${best.precision.toFixed(3)}, recall ${best.recall.toFixed(3)}) ` +
          `over the ${valScores.length} validation rows' labels (${positives} anomalous)`,
      };
    }
  }
  if (rule.threshold !== 'contamination') {
    const why = rule.threshold === 'auto' ? (labels ? 'no labelled anomaly in the validation rows, so ' : 'no label column, so ') : '';
    return {
      value: quantile(valScores, rule.quantile),
      method: 'quantile',
      basis: `${why}the ${pct(rule.quantile)} quantile of the ${valScores.length} validation rows' scores`,
    };
  }
  const part = scores.subarray(rows.train.start, rows.train.end);
  return {
    value: quantile(part, 1 - rule.contamination),
    method: 'contamination',
    basis: `contamination ${pct(rule.contamination)}: the ${pct(1 - rule.contamination)} quantile of the ${part.length} training rows' scores`,
  };
}

const pct = (f: number) => `${Math.round(f * 10000) / 100}%`;
