/**
 * Model families: each declares its params schema, builds its network and trains it.
 *
 * This index loads no TensorFlow.js: the core imports it to check params when a job is submitted,
 * and TensorFlow.js costs about half a second and 50 MB to load. The network half (build, fit,
 * predict, save, load) comes from `forecastKit()`, which the worker awaits once.
 */
import type { ForecastModel, ParamValue } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import type { Forecaster } from './forecast/forecaster';
import { MLP_DEFAULTS, mlpParamsRecord, resolveMlpParams } from './forecast/mlp';

export { MlpParamsSchema, MLP_DEFAULTS, resolveMlpParams, mlpParamsRecord, type MlpParams } from './forecast/mlp';
export {
  fitPreprocessing,
  encodeWindows,
  encodeInputs,
  decodeOutputs,
  featureCount,
  type ForecastPreprocessing,
  type EncodedWindows,
} from './forecast/features';
export type { FitSet, FitOptions, FitResult, EpochEnd } from './forecast/fit';
export type { Forecaster } from './forecast/forecaster';
export type { SaveInfo } from './forecast/persist';

export type ForecastKit = typeof import('./forecast/kit');

/** Build, train, predict, save and load, with TensorFlow.js loaded on first use. */
export function forecastKit(): Promise<ForecastKit> {
  return import('./forecast/kit');
}

/** Loads a saved forecaster (model.json, weights.bin, preprocessing.json) from `modelDir`. */
export async function loadForecaster(modelDir: string): Promise<Forecaster> {
  return (await forecastKit()).loadForecaster(modelDir);
}

export interface ForecastFamily {
  name: ForecastModel;
  /** Params with defaults filled in; InvalidInput naming `params.<key>` when one is wrong. */
  resolveParams(raw: Record<string, ParamValue> | undefined): Record<string, ParamValue>;
  defaults: Record<string, ParamValue>;
}

export const FORECAST_FAMILIES: Record<ForecastModel, ForecastFamily> = {
  mlp: {
    name: 'mlp',
    resolveParams: (raw) => mlpParamsRecord(resolveMlpParams(raw)),
    defaults: mlpParamsRecord(MLP_DEFAULTS),
  },
};

/** Submit-time check of a job's params for its model family. */
export function resolveParams(model: string, raw: Record<string, ParamValue> | undefined): Record<string, ParamValue> {
  const family = Object.prototype.hasOwnProperty.call(FORECAST_FAMILIES, model)
    ? FORECAST_FAMILIES[model as ForecastModel]
    : undefined;
  if (!family) {
    throw new InvalidInput(`Unknown model "${model}"; known: ${Object.keys(FORECAST_FAMILIES).join(', ')}`, 'model');
  }
  return family.resolveParams(raw);
}
