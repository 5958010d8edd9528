/**
 * The linear forecaster's params: one dense layer from the window's (scaled) differences to the
 * change over the horizon. The floor every deeper family should clear; it trains in a blink.
 */
import type { z } from 'zod';
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { SearchSpace as SearchSpaceSchema } from '../../../shared/contract';
import { COMMON_FORECAST_PARAMS, forecastSchema, resolveWith } from './params';
import { COMMON_SEARCH_SPACE } from './search';

export const LinearParamsSchema = forecastSchema({
  // A single layer has a convex loss: a larger step converges in fewer epochs without diverging.
  learningRate: COMMON_FORECAST_PARAMS.learningRate.default(0.01),
});
export type LinearParams = z.output<typeof LinearParamsSchema>;
export const LINEAR_DEFAULTS: LinearParams = LinearParamsSchema.parse({});
export const LINEAR_SEARCH_SPACE: SearchSpace = SearchSpaceSchema.parse({ ...COMMON_SEARCH_SPACE });

export function resolveLinearParams(raw: Record<string, ParamValue> | undefined = {}): LinearParams {
  return resolveWith(LinearParamsSchema, 'linear', Object.keys(LINEAR_DEFAULTS), raw);
}
