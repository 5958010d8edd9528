/**
 * The linear forecaster's params: exact least squares (ridge) from the window's scaled differences
 * (and any exogenous or calendar channels) to the change over the horizon, solved in closed form
 * (ridge.ts). `l2` is the penalty per training window on the scaled coefficients, or `auto`: each
 * penalty of a grid is tried and the one with the lowest validation MAE on the original scale kept.
 * The training-loop params (epochs, batchSize, learningRate, patience, checkpointEvery) are not used.
 */
import { z } from 'zod';
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { SearchSpace as SearchSpaceSchema } from '../../../shared/contract';
import { forecastSchema, lossParam, numberIn, resolveWith } from './params';
import { DATA_SEARCH_SPACE } from './search';

const L2_MESSAGE = 'must be auto or a number from 0 to 1000000';

/** `auto`, or a penalty from 0 (plain least squares) up. Numbers typed as text are read as numbers. */
export const l2Param = () =>
  z.union([z.literal('auto'), numberIn(0, 1e6)], { error: L2_MESSAGE });

export const LinearParamsSchema = forecastSchema({
  l2: l2Param().default('auto'),
  /** `absolute` fits least absolute deviations (iteratively reweighted), for the median. */
  loss: lossParam(),
});
export type LinearParams = z.output<typeof LinearParamsSchema>;
export const LINEAR_DEFAULTS: LinearParams = LinearParamsSchema.parse({});
export const LINEAR_SEARCH_SPACE: SearchSpace = SearchSpaceSchema.parse({
  ...DATA_SEARCH_SPACE,
  l2: { type: 'float', low: 1e-6, high: 1, log: true },
});

export function resolveLinearParams(raw: Record<string, ParamValue> | undefined = {}): LinearParams {
  return resolveWith(LinearParamsSchema, 'linear', Object.keys(LINEAR_DEFAULTS), raw);
}
