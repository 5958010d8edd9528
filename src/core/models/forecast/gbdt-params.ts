/**
 * The gradient-boosted trees forecaster's params: trees on the encoded window (scaled differences
 * and any exogenous or calendar channels) predicting the change over the horizon. The shared
 * training-loop params mean here: `learningRate` the shrinkage of each tree, `patience` the rounds
 * without a better validation error before stopping; `epochs`, `batchSize` and `checkpointEvery`
 * are not used (a fit takes seconds and is not resumed).
 */
import type { z } from 'zod';
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { SearchSpace as SearchSpaceSchema } from '../../../shared/contract';
import { COMMON_FORECAST_PARAMS, forecastSchema, lossParam, numberIn, resolveWith } from './params';
import { DATA_SEARCH_SPACE } from './search';

export const GbdtParamsSchema = forecastSchema({
  /** Boosting rounds at most (one tree each); early stopping usually ends sooner. */
  rounds: numberIn(1, 10000, { int: true }).default(500),
  learningRate: COMMON_FORECAST_PARAMS.learningRate.default(0.05),
  patience: COMMON_FORECAST_PARAMS.patience.default(30),
  maxLeaves: numberIn(2, 1024, { int: true }).default(31),
  /** Levels a tree may have; 0 leaves only maxLeaves to limit it. */
  maxDepth: numberIn(0, 32, { int: true }).default(6),
  /** Fewest training windows in a leaf. */
  minLeaf: numberIn(1, 100000, { int: true }).default(20),
  /** L2 penalty on leaf values. */
  l2: numberIn(0, 1e6).default(1),
  /** Histogram bins per feature. */
  bins: numberIn(2, 255, { int: true }).default(255),
  /** Share of the training windows each tree is fitted on (drawn from the seed); 1 uses all. */
  subsample: numberIn(0, 1, { exclusiveMin: true }).default(1),
  /** `absolute`: trees fitted to the residuals' signs, leaves at their median (LightGBM's l1 objective). */
  loss: lossParam(),
});
export type GbdtParams = z.output<typeof GbdtParamsSchema>;
export const GBDT_DEFAULTS: GbdtParams = GbdtParamsSchema.parse({});
export const GBDT_SEARCH_SPACE: SearchSpace = SearchSpaceSchema.parse({
  ...DATA_SEARCH_SPACE,
  learningRate: { type: 'float', low: 0.01, high: 0.3, log: true },
  maxLeaves: { type: 'int', low: 4, high: 64, log: true },
  maxDepth: { type: 'int', low: 2, high: 10 },
  minLeaf: { type: 'int', low: 5, high: 100, log: true },
  l2: { type: 'float', low: 1e-3, high: 10, log: true },
  subsample: { type: 'float', low: 0.5, high: 1 },
});

export function resolveGbdtParams(raw: Record<string, ParamValue> | undefined = {}): GbdtParams {
  return resolveWith(GbdtParamsSchema, 'gbdt', Object.keys(GBDT_DEFAULTS), raw);
}
