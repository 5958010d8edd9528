/** The LSTM and GRU forecasters' params: stacked recurrent layers over the window's time steps. */
import type { z } from 'zod';
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { SearchSpace as SearchSpaceSchema } from '../../../shared/contract';
import { COMMON_FORECAST_PARAMS, forecastSchema, numberIn, resolveWith } from './params';
import { COMMON_SEARCH_SPACE } from './search';

export const RecurrentParamsSchema = forecastSchema({
  units: numberIn(1, 512, { int: true }).default(24),
  layers: numberIn(1, 4, { int: true }).default(1),
  // Recurrent layers cost a step per time step: fewer, larger batches keep an epoch short.
  batchSize: COMMON_FORECAST_PARAMS.batchSize.default(64),
  learningRate: COMMON_FORECAST_PARAMS.learningRate.default(0.005),
  epochs: COMMON_FORECAST_PARAMS.epochs.default(40),
});
export type RecurrentParams = z.output<typeof RecurrentParamsSchema>;
export const RECURRENT_DEFAULTS: RecurrentParams = RecurrentParamsSchema.parse({});
export const RECURRENT_SEARCH_SPACE: SearchSpace = SearchSpaceSchema.parse({
  ...COMMON_SEARCH_SPACE,
  units: { type: 'int', low: 8, high: 64, log: true },
  layers: { type: 'int', low: 1, high: 2 },
});

export function resolveRecurrentParams(family: 'lstm' | 'gru', raw: Record<string, ParamValue> | undefined = {}): RecurrentParams {
  return resolveWith(RecurrentParamsSchema, family, Object.keys(RECURRENT_DEFAULTS), raw);
}
