/**
 * What every anomaly family provides once trained: one score per row of a series (higher = more
 * anomalous), and the rule that turns scores into flags. No TensorFlow.js here.
 */
import type { Scaler } from '../../data';
import type { ThresholdMethod } from './params';
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
  /** One score per row of `values` (original scale, oldest first, at least `window` rows). */
  scoreRows(values: ArrayLike<number>): Float64Array;
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
  method: ThresholdMethod;
  /** How it was chosen, for the log and the model card. */
  basis: string;
}

/**
 * The score above which a row is flagged: the `quantile` of the validation rows' scores, or the
 * (1 - contamination) quantile of the training rows' scores. Labels never enter: the threshold is
 * what a user without labels would get.
 */
export function chooseThreshold(
  scores: Float64Array,
  rows: { train: { start: number; end: number }; val: { start: number; end: number } },
  rule: ThresholdRule,
): Threshold {
  if (rule.threshold === 'quantile') {
    const part = scores.subarray(rows.val.start, rows.val.end);
    return {
      value: quantile(part, rule.quantile),
      method: 'quantile',
      basis: `the ${pct(rule.quantile)} quantile of the ${part.length} validation rows' scores`,
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
