/**
 * The forecast families as the core knows them before any network exists: name, params schema
 * with defaults, default search space, and what shape of input the network takes. The networks
 * themselves are built in networks.ts, which loads TensorFlow.js.
 */
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { AUTO_DEFAULTS, AUTO_SEARCH_SPACE, AutoParamsSchema, resolveAutoParams } from './auto';
import { CONV1D_DEFAULTS, CONV1D_SEARCH_SPACE, Conv1dParamsSchema, resolveConv1dParams } from './conv1d';
import { GBDT_DEFAULTS, GBDT_SEARCH_SPACE, GbdtParamsSchema, resolveGbdtParams } from './gbdt-params';
import { LINEAR_DEFAULTS, LINEAR_SEARCH_SPACE, LinearParamsSchema, resolveLinearParams } from './linear';
import { MLP_DEFAULTS, MLP_SEARCH_SPACE, MlpParamsSchema, resolveMlpParams } from './mlp';
import type { CommonForecastParams } from './params';
import { RECURRENT_DEFAULTS, RECURRENT_SEARCH_SPACE, RecurrentParamsSchema, resolveRecurrentParams } from './recurrent';

export const FORECAST_FAMILY_NAMES = ['auto', 'linear', 'gbdt', 'mlp', 'lstm', 'gru', 'conv1d'] as const;
export type ForecastFamilyName = (typeof FORECAST_FAMILY_NAMES)[number];

export interface ForecastFamilySpec {
  name: ForecastFamilyName;
  task: 'forecast';
  /** A flat vector (dense families, ridge, trees) or a sequence of time steps (recurrent and convolutional ones). */
  input: 'flat' | 'sequence';
  /** How it is fitted: a network trained epoch by epoch, in closed form or by boosting, or by choosing among candidates. */
  fit: 'network' | 'ridge' | 'gbdt' | 'auto';
  /** The zod schema: the common forecast params plus the family's own. */
  schema:
    | typeof MlpParamsSchema
    | typeof LinearParamsSchema
    | typeof RecurrentParamsSchema
    | typeof Conv1dParamsSchema
    | typeof GbdtParamsSchema
    | typeof AutoParamsSchema;
  defaults: CommonForecastParams & Record<string, ParamValue>;
  /** The default HPO search space over the family's params. */
  searchSpace: SearchSpace;
  /** Params with defaults filled in; InvalidInput naming `params.<key>` when one is wrong. */
  resolve(raw: Record<string, ParamValue> | undefined): CommonForecastParams & Record<string, ParamValue>;
}

export const FORECAST_FAMILY_SPECS: Record<ForecastFamilyName, ForecastFamilySpec> = {
  auto: {
    name: 'auto',
    task: 'forecast',
    input: 'flat',
    fit: 'auto',
    schema: AutoParamsSchema,
    defaults: AUTO_DEFAULTS,
    searchSpace: AUTO_SEARCH_SPACE,
    resolve: resolveAutoParams,
  },
  linear: {
    name: 'linear',
    task: 'forecast',
    input: 'flat',
    fit: 'ridge',
    schema: LinearParamsSchema,
    defaults: LINEAR_DEFAULTS,
    searchSpace: LINEAR_SEARCH_SPACE,
    resolve: resolveLinearParams,
  },
  gbdt: {
    name: 'gbdt',
    task: 'forecast',
    input: 'flat',
    fit: 'gbdt',
    schema: GbdtParamsSchema,
    defaults: GBDT_DEFAULTS,
    searchSpace: GBDT_SEARCH_SPACE,
    resolve: resolveGbdtParams,
  },
  mlp: {
    name: 'mlp',
    task: 'forecast',
    input: 'flat',
    fit: 'network',
    schema: MlpParamsSchema,
    defaults: MLP_DEFAULTS,
    searchSpace: MLP_SEARCH_SPACE,
    resolve: resolveMlpParams,
  },
  lstm: {
    name: 'lstm',
    task: 'forecast',
    input: 'sequence',
    fit: 'network',
    schema: RecurrentParamsSchema,
    defaults: RECURRENT_DEFAULTS,
    searchSpace: RECURRENT_SEARCH_SPACE,
    resolve: (raw) => resolveRecurrentParams('lstm', raw),
  },
  gru: {
    name: 'gru',
    task: 'forecast',
    input: 'sequence',
    fit: 'network',
    schema: RecurrentParamsSchema,
    defaults: RECURRENT_DEFAULTS,
    searchSpace: RECURRENT_SEARCH_SPACE,
    resolve: (raw) => resolveRecurrentParams('gru', raw),
  },
  conv1d: {
    name: 'conv1d',
    task: 'forecast',
    input: 'sequence',
    fit: 'network',
    schema: Conv1dParamsSchema,
    defaults: CONV1D_DEFAULTS,
    searchSpace: CONV1D_SEARCH_SPACE,
    resolve: resolveConv1dParams,
  },
};

/** The families trained as networks, epoch by epoch, with checkpoints. */
export const NETWORK_FAMILY_NAMES = ['mlp', 'lstm', 'gru', 'conv1d'] as const;
export type NetworkFamilyName = (typeof NETWORK_FAMILY_NAMES)[number];

export function isNetworkFamily(name: string): name is NetworkFamilyName {
  return (NETWORK_FAMILY_NAMES as readonly string[]).includes(name);
}

export function isForecastFamily(name: string): name is ForecastFamilyName {
  return (FORECAST_FAMILY_NAMES as readonly string[]).includes(name);
}
