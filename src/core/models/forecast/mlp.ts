/**
 * The MLP forecaster's params: schema, defaults, search space, and the check the core runs when a
 * job is submitted (so a bad value fails at once, naming the field) and the worker runs again
 * before training. No TensorFlow.js here: the core validates without loading it.
 */
import type { z } from 'zod';
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { SearchSpace as SearchSpaceSchema } from '../../../shared/contract';
import { COMMON_SEARCH_SPACE } from './search';
import { forecastSchema, numberIn, resolveWith } from './params';

/** The MLP's own params, beside the shared ones (the auto family passes them to its MLP candidate). */
export const MLP_OWN_PARAMS = {
  hiddenUnits: numberIn(1, 1024, { int: true }).default(32),
  layers: numberIn(1, 8, { int: true }).default(2),
};

export const MlpParamsSchema = forecastSchema(MLP_OWN_PARAMS);

export type MlpParams = z.output<typeof MlpParamsSchema>;

export const MLP_DEFAULTS: MlpParams = MlpParamsSchema.parse({});

export const MLP_SEARCH_SPACE: SearchSpace = SearchSpaceSchema.parse({
  ...COMMON_SEARCH_SPACE,
  hiddenUnits: { type: 'int', low: 8, high: 128, log: true },
  layers: { type: 'int', low: 1, high: 3 },
});

/** Checks and completes params; a problem is an InvalidInput naming `params.<key>`. */
export function resolveMlpParams(raw: Record<string, ParamValue> | undefined = {}): MlpParams {
  return resolveWith(MlpParamsSchema, 'mlp', Object.keys(MLP_DEFAULTS), raw);
}

/** The params as a run records them. */
export function mlpParamsRecord(p: MlpParams): Record<string, ParamValue> {
  return { ...p };
}
