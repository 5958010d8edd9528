/**
 * The anomaly families' params: schemas with defaults, the submit-time check, and the default HPO
 * search spaces. No TensorFlow.js here: the core checks params without loading it.
 *
 * Both families score the window ending at each row of the standard-scaled target (the scaler
 * fitted on the training rows only). The threshold that flags a row is, by default, the one with the
 * best F1 on the validation rows' labels; without labelled validation anomalies, or when the user
 * says so, a quantile of the validation rows' scores ("a score higher than all but 1% of held-out
 * rows") or a contamination share ("about 2% of the training rows are anomalies").
 */
import { z } from 'zod';
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { LEAVES_ROWS_TO_TRAIN, leavesRowsToTrain, numberIn, resolveWith } from '../params';
import { MIN_FOREST_WINDOW } from './windows';

/** Above `min` and below `max`: a share or quantile that must leave some rows on either side. */
const strictlyBetween = (min: number, max: number) => numberIn(min, max, { exclusiveMin: true, exclusiveMax: true });

/** The rule a user sets: `auto` takes the best F1 on the validation labels when they hold an anomaly, else `quantile`. */
export const ThresholdMethod = z.enum(['auto', 'quantile', 'contamination'], {
  error: 'must be "auto" (best F1 on labelled validation rows), "quantile" (of the validation scores) or "contamination" (share of training rows)',
});
export type ThresholdMethod = z.infer<typeof ThresholdMethod>;

/** The rule a threshold was actually chosen by. */
export const THRESHOLD_CHOICES = ['best_f1', 'quantile', 'contamination'] as const;
export type ThresholdChoice = (typeof THRESHOLD_CHOICES)[number];

/** What every anomaly family shares: the window, the split, the seed and the threshold rule. */
const common = {
  /** Consecutive rows each scored window holds. */
  window: numberIn(2, 512, { int: true }).default(24),
  seed: numberIn(0, 2 ** 31 - 1, { int: true }).default(42),
  valFraction: numberIn(0.01, 0.5).default(0.15),
  testFraction: numberIn(0.01, 0.5).default(0.15),
  threshold: ThresholdMethod.default('auto'),
  /** With threshold "quantile" (and "auto" without labelled validation anomalies): rows scoring above this quantile of the validation rows' scores are flagged. */
  quantile: strictlyBetween(0.5, 1).default(0.99),
  /** With threshold "contamination": the share of training rows taken to be anomalies. */
  contamination: strictlyBetween(0, 0.5).default(0.02),
};

export const AutoencoderParamsSchema = z
  .object({
    ...common,
    hiddenUnits: numberIn(1, 1024, { int: true }).default(32),
    /** The narrow middle layer: small enough that the network cannot copy an unusual window. */
    bottleneck: numberIn(1, 256, { int: true }).default(4),
    epochs: numberIn(1, 10000, { int: true }).default(40),
    batchSize: numberIn(1, 65536, { int: true }).default(64),
    learningRate: strictlyBetween(0, 1).default(0.003),
    patience: numberIn(0, 10000, { int: true }).default(8),
  })
  .strict()
  .refine(leavesRowsToTrain, LEAVES_ROWS_TO_TRAIN);
export type AutoencoderParams = z.output<typeof AutoencoderParamsSchema>;

export const IsolationForestParamsSchema = z
  .object({
    ...common,
    window: numberIn(MIN_FOREST_WINDOW, 512, { int: true }).default(12),
    trees: numberIn(1, 5000, { int: true }).default(100),
    /** Rows each tree is grown from; 256 in Liu et al. (2008), where larger rarely helps. */
    sampleSize: numberIn(2, 100000, { int: true }).default(256),
  })
  .strict()
  .refine(leavesRowsToTrain, LEAVES_ROWS_TO_TRAIN);
export type IsolationForestParams = z.output<typeof IsolationForestParamsSchema>;

export type AnomalyParams = AutoencoderParams | IsolationForestParams;

export const AUTOENCODER_DEFAULTS: AutoencoderParams = AutoencoderParamsSchema.parse({});
export const ISOLATION_FOREST_DEFAULTS: IsolationForestParams = IsolationForestParamsSchema.parse({});

export function resolveAutoencoderParams(raw?: Record<string, ParamValue>): AutoencoderParams {
  return resolveWith(AutoencoderParamsSchema, 'autoencoder', Object.keys(AUTOENCODER_DEFAULTS), raw);
}

export function resolveIsolationForestParams(raw?: Record<string, ParamValue>): IsolationForestParams {
  return resolveWith(IsolationForestParamsSchema, 'isolation_forest', Object.keys(ISOLATION_FOREST_DEFAULTS), raw);
}

/** The default HPO space: the knobs that matter most, over ranges that train in seconds to minutes. */
export const AUTOENCODER_SEARCH_SPACE: SearchSpace = {
  window: { type: 'int', low: 8, high: 72, log: false, step: 4 },
  hiddenUnits: { type: 'int', low: 8, high: 128, log: true, step: 1 },
  bottleneck: { type: 'int', low: 2, high: 16, log: false, step: 1 },
  learningRate: { type: 'float', low: 1e-4, high: 1e-2, log: true },
  batchSize: { type: 'categorical', choices: [32, 64, 128] },
};

export const ISOLATION_FOREST_SEARCH_SPACE: SearchSpace = {
  window: { type: 'int', low: 4, high: 48, log: false, step: 1 },
  trees: { type: 'int', low: 50, high: 400, log: true, step: 1 },
  sampleSize: { type: 'categorical', choices: [64, 128, 256, 512] },
};
