/**
 * The forecast families as the core knows them before any network exists: name, params schema
 * with defaults, default search space, and what shape of input the network takes. The networks
 * themselves are built in networks.ts, which loads TensorFlow.js.
 */
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { CONV1D_DEFAULTS, CONV1D_SEARCH_SPACE, Conv1dParamsSchema, resolveConv1dParams } from './conv1d';
import { LINEAR_DEFAULTS, LINEAR_SEARCH_SPACE, LinearParamsSchema, resolveLinearParams } from './linear';
import { MLP_DEFAULTS, MLP_SEARCH_SPACE, MlpParamsSchema, resolveMlpParams } from './mlp';
import type { CommonForecastParams } from './params';
import { RECURRENT_DEFAULTS, RECURRENT_SEARCH_SPACE, RecurrentParamsSchema, resolveRecurrentParams } from './recurrent';

export const FORECAST_FAMILY_NAMES = ['linear', 'mlp', 'lstm', 'gru', 'conv1d'] as const;
export type ForecastFamilyName = (typeof FORECAST_FAMILY_NAMES)[number];

export interface ForecastFamilySpec {
  name: ForecastFamilyName;
  task: 'forecast';
  /** A flat vector (dense families) or a sequence of time steps (recurrent and convolutional ones). */
  input: 'flat' | 'sequence';
  /** The zod schema: the common forecast params plus the family's own. */
  schema: typeof MlpParamsSchema | typeof LinearParamsSchema | typeof RecurrentParamsSchema | typeof Conv1dParamsSchema;
  defaults: CommonForecastParams & Record<string, ParamValue>;
  /** The default HPO search space over the family's params. */
  searchSpace: SearchSpace;
  /** Params with defaults filled in; InvalidInput naming `params.<key>` when one is wrong. */
  resolve(raw: Record<string, ParamValue> | undefined): CommonForecastParams & Record<string, ParamValue>;
}

export const FORECAST_FAMILY_SPECS: Record<ForecastFamilyName, ForecastFamilySpec> = {
  linear: {
    name: 'linear',
    task: 'forecast',
    input: 'flat',
    schema: LinearParamsSchema,
    defaults: LINEAR_DEFAULTS,
    searchSpace: LINEAR_SEARCH_SPACE,
    resolve: resolveLinearParams,
  },
  mlp: {
    name: 'mlp',
    task: 'forecast',
    input: 'flat',
    schema: MlpParamsSchema,
    defaults: MLP_DEFAULTS,
    searchSpace: MLP_SEARCH_SPACE,
    resolve: resolveMlpParams,
  },
  lstm: {
    name: 'lstm',
    task: 'forecast',
    input: 'sequence',
    schema: RecurrentParamsSchema,
    defaults: RECURRENT_DEFAULTS,
    searchSpace: RECURRENT_SEARCH_SPACE,
    resolve: (raw) => resolveRecurrentParams('lstm', raw),
  },
  gru: {
    name: 'gru',
    task: 'forecast',
    input: 'sequence',
    schema: RecurrentParamsSchema,
    defaults: RECURRENT_DEFAULTS,
    searchSpace: RECURRENT_SEARCH_SPACE,
    resolve: (raw) => resolveRecurrentParams('gru', raw),
  },
  conv1d: {
    name: 'conv1d',
    task: 'forecast',
    input: 'sequence',
    schema: Conv1dParamsSchema,
    defaults: CONV1D_DEFAULTS,
    searchSpace: CONV1D_SEARCH_SPACE,
    resolve: resolveConv1dParams,
  },
};

export function isForecastFamily(name: string): name is ForecastFamilyName {
  return (FORECAST_FAMILY_NAMES as readonly string[]).includes(name);
}
